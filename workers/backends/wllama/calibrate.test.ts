import { describe, expect, it } from 'vitest';
import { candidates, candidatesKey, fastest, PROBE_TEXT, type EngineChoice } from './calibrate';
import type { LoadedEngine } from './engine';
import { FakeWllama } from './fake';

/** Engines whose decode takes `perToken[key]` seconds a token on a shared fake clock. */
function bench(perToken: Record<string, number>) {
  let t = 0;
  const exited: string[] = [];
  const decoded: Record<string, number> = {}; // tokens each candidate decoded
  const load = async (c: EngineChoice): Promise<LoadedEngine> => {
    const key = candidatesKey([c]);
    const fake = new FakeWllama();
    const decode = fake.decode.bind(fake);
    fake.decode = async (tokens, o) => {
      t += tokens.length * perToken[key] * 1000;
      decoded[key] = (decoded[key] ?? 0) + tokens.length;
      return decode(tokens, o);
    };
    fake.exit = async () => void exited.push(key);
    return { engine: fake, threads: c.threads, multiThread: c.threads > 1, contextWindow: 4096, batch: 512, trainContext: 8192, bos: null, vocabSize: 200 };
  };
  return { load, now: () => t, exited, decoded };
}

describe('choosing the engine by measurement', () => {
  it('offers one thread, and the multi-threaded build only where there are threads to use', () => {
    expect(candidates(true, 2)).toEqual([{ build: 'simd', threads: 1 }, { build: 'wllama', threads: 2 }]);
    expect(candidates(false, 4)).toEqual([{ build: 'wllama', threads: 1 }, { build: 'wllama', threads: 4 }]);
    expect(candidates(true, 1)).toEqual([{ build: 'simd', threads: 1 }]);
  });

  it('keeps one thread where a second does not pay, and exits the engine it did not choose', async () => {
    const b = bench({ 'wllama:1': 0.05, 'wllama:2': 0.051 }); // two busy cores: the second thread burns what it gets
    const r = await fastest(candidates(false, 2), b.load, PROBE_TEXT, b.now);
    expect(r.choice).toEqual({ build: 'wllama', threads: 1 });
    expect(b.exited).toEqual(['wllama:2']);
    expect(r.seconds).toHaveLength(2);
  });

  it('measures each candidate on about one item\'s decode, so a first load on slow cores does not wait minutes for it', async () => {
    // wllama's build on two busy cores decoded ~1 token/s: 8 + 96 probe tokens per candidate made the
    // first load of "Run it on a real model" take 285 s, past what the page waits for
    const b = bench({ 'wllama:1': 0.9, 'wllama:2': 0.8 });
    const r = await fastest(candidates(false, 2), b.load, PROBE_TEXT, b.now);
    expect(r.choice).toEqual({ build: 'wllama', threads: 2 });
    for (const key of ['wllama:1', 'wllama:2']) expect(b.decoded[key]).toBeLessThanOrEqual(40);
    expect(r.seconds.every((s) => s > 0)).toBe(true);
  });

  it('takes more threads only when they are clearly faster, never a near tie', async () => {
    const tie = bench({ 'simd:1': 0.01, 'wllama:4': 0.0098 });
    expect((await fastest(candidates(true, 4), tie.load, PROBE_TEXT, tie.now)).choice).toEqual({ build: 'simd', threads: 1 });
    const clear = bench({ 'simd:1': 0.01, 'wllama:4': 0.004 });
    const r = await fastest(candidates(true, 4), clear.load, PROBE_TEXT, clear.now);
    expect(r.choice).toEqual({ build: 'wllama', threads: 4 });
    expect(clear.exited).toEqual(['simd:1']);
  });
});
