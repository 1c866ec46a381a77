// Which engine reads fastest on this machine, measured once per model: the candidates are one thread
// (the SIMD build where it is built, else wllama's) and, where the page is cross-origin isolated and
// has the cores, wllama's multi-threaded build. A second thread pays only in wall time, and on two
// busy cores it measured slower than one (issue 23), so each candidate decodes the same short probe
// and the fastest wins; a one-thread candidate wins a near tie, so the choice is never slower than
// one thread. The choice is kept per model (storage.ts) and measured again when the candidates change.

import type { LoadedEngine } from './engine';

export interface EngineChoice {
  build: 'simd' | 'wllama'; // the SIMD build (scripts/build-llama-wasm.sh) or wllama 2.4.0's
  threads: number;
}

/** What the run screen says about the engine, e.g. "CPU, 1 thread (SIMD build)". */
export const choiceText = (c: EngineChoice): string => `${c.threads} thread${c.threads === 1 ? '' : 's'}${c.build === 'simd' ? ' (SIMD build)' : ''}`;

/** The engines worth measuring here; the first is the one-thread one. */
export function candidates(simd: boolean, multiThreads: number): EngineChoice[] {
  const one: EngineChoice = { build: simd ? 'simd' : 'wllama', threads: 1 };
  return multiThreads > 1 ? [one, { build: 'wllama', threads: multiThreads }] : [one];
}

/** A signature of the candidates, so a kept choice is measured again when they change. */
export const candidatesKey = (cs: EngineChoice[]): string => cs.map((c) => `${c.build}:${c.threads}`).join(',');

/** What the probe decodes: claims in the prompt layout, as a run reads them. */
export const PROBE_TEXT = ['France? Paris', 'Japan? Tokyo', 'Italy? Milan', 'Peru? Lima', 'Canada? Ottawa', 'Egypt? Cairo', 'Chile? Quito', 'Kenya? Nairobi']
  .map((s, i) => `Question: What is the capital of ${s.split('? ')[0]}?\nClaim: ${s.split('? ')[1]}\nI think this claim is ${i % 3 ? 'True' : 'False'}`)
  .join('\n\n');

// A probe decode: one item's worth, as the reader decodes (20-70 tokens). Each candidate is also a
// load and a first decode, so on wllama's build (no SIMD build) on busy cores the probe is what the
// first load waits for: 96 tokens took 88 s there at load 11, and the load timed out.
export const PROBE_TOKENS = 32;
const WARM_UP = 4; // the first decode allocates and touches the weights: not timed
const TIE = 1.05; // a multi-threaded candidate must be more than 5% faster to be chosen

/** Wall seconds of one decode of `ids` on a fresh cache, after a short warm-up. */
export async function timeDecode(loaded: LoadedEngine, ids: number[], now: () => number): Promise<number> {
  await loaded.engine.decode(ids.slice(0, WARM_UP), {});
  await loaded.engine.kvClear();
  const t0 = now();
  await loaded.engine.decode(ids.slice(0, Math.min(ids.length, loaded.batch)), {});
  const s = (now() - t0) / 1000;
  await loaded.engine.kvClear();
  return s;
}

/**
 * Loads each candidate in turn, times the same probe text on each and keeps the fastest loaded;
 * the others are exited. `seconds` are the probe's timings, in the candidates' order.
 */
export async function fastest(
  cs: EngineChoice[],
  load: (c: EngineChoice) => Promise<LoadedEngine>,
  probe: string,
  now: () => number = () => performance.now(),
): Promise<{ choice: EngineChoice; loaded: LoadedEngine; seconds: number[] }> {
  let best: { choice: EngineChoice; loaded: LoadedEngine; s: number } | null = null;
  const seconds: number[] = [];
  for (const c of cs) {
    const loaded = await load(c);
    try {
      const ids = (await loaded.engine.tokenize(probe, false)).slice(0, PROBE_TOKENS);
      const s = await timeDecode(loaded, ids, now);
      seconds.push(s);
      const wins = !best || (c.threads > best.choice.threads ? s * TIE < best.s : s < best.s * TIE);
      if (wins) {
        if (best) await best.loaded.engine.exit().catch(() => undefined);
        best = { choice: c, loaded, s };
      } else await loaded.engine.exit().catch(() => undefined);
    } catch (e) {
      await loaded.engine.exit().catch(() => undefined);
      if (best) await best.loaded.engine.exit().catch(() => undefined);
      throw e;
    }
  }
  if (!best) throw new Error('No engine to choose from.');
  return { choice: best.choice, loaded: best.loaded, seconds };
}
