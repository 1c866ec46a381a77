// Bench of the llama.cpp backend in a worker (scripts/bench-wllama.ts drives it). For each engine
// configuration asked for (build × attention settings × threads) on one real ICM sequence (the
// first `items` claims of the task, each a demonstration read at its label):
//   decode   the sequence's token ids in one go (decode() calls of at most one batch): the engine's best
//   reader   the app's reader (readSequence, one read point per item, nothing cached)
// each in tokens per CPU-second of the whole browser (the page asks Node for the CPU clock, cpuMark)
// and per wall second; then ICM steps at the app's default plan on a pool of `pool` claims for the
// configurations in `icm`. The sequence's token ids go back too, for native llama.cpp to read the same.
import { builtinDatasets } from '../../src/lib/data/builtin/index';
import { sequenceText } from '../../src/lib/data/prompt';
import { problemOf } from '../../src/lib/data/problem';
import { defaultConfig } from '../../src/lib/icm/config';
import type { Segment } from '../../src/lib/icm/model';
import { drawPool } from '../../src/lib/icm/pool';
import { initialState, step } from '../../src/lib/icm/search';
import { tokenizeSequence } from '../../src/lib/model/tokens';
import { BATCH, loadEngine, type LoadedEngine } from '../../workers/backends/wllama/engine';
import { readGgufHeader } from '../../workers/backends/wllama/gguf';
import { createWllamaModel, engineTokenizer } from '../../workers/backends/wllama/reader';
import { loadGpuEngine } from '../../workers/backends/wllama/gpu-engine';
import { createGpuModel } from '../../workers/backends/wllama/gpu-reader';
import { completionBody } from '../../src/lib/server/request';
import { parseCompletion } from '../../src/lib/server/response';
import type { DataItem } from '../../src/lib/data/types';
import type { LabelModel } from '../../src/lib/icm/model';
import { loadSimdEngine, simdBuild } from '../../workers/backends/wllama/simd-engine';
import { defaultPlan } from '../../workers/backends/kinds';

type Figures = Record<string, number | string | boolean>;
const log = (s: string) => postMessage({ log: s });

let markId = 0;
const waiting = new Map<number, (cpu: number) => void>();
/** CPU seconds the browser has used so far, all its processes (measured by Node from /proc). */
function cpu(): Promise<number> {
  const id = ++markId;
  postMessage({ mark: id });
  return new Promise((resolve) => waiting.set(id, resolve));
}

async function measure<T>(f: () => Promise<T>): Promise<{ value: T; cpuS: number; wallS: number }> {
  const c0 = await cpu();
  const t0 = performance.now();
  const value = await f();
  const wallS = (performance.now() - t0) / 1000;
  return { value, cpuS: (await cpu()) - c0, wallS };
}

interface Config {
  build: 'wllama' | 'simd' | 'webgpu'; // webgpu: wllama 3's build, through its completions (gpu-engine.ts)
  attention: 'reader' | 'wllama';
  threads: number;
}
const nameOf = (c: Config) => `${c.build}.${c.attention}.threads${c.threads}`;

async function load(file: File, c: Config, trainContext: number, kvBytesPerToken: number): Promise<LoadedEngine> {
  if (c.build === 'wllama') return loadEngine(file, { threads: c.threads, trainContext, kvBytesPerToken, contextCap: 4096, attention: c.attention });
  const simd = simdBuild();
  if (!simd) throw new Error('the SIMD build is missing: run bash scripts/build-llama-wasm.sh');
  return loadSimdEngine(simd, file, 4096, BATCH, { attention: c.attention });
}

async function run(file: File, params: Record<string, string>): Promise<Figures> {
  const header = await readGgufHeader(file);
  log(`${file.name}: ${header.architecture}, context ${header.contextLength}`);
  const ds = builtinDatasets().find((d) => d.id === (params.task ?? 'builtin-factual')) ?? builtinDatasets()[1];
  const n = Number(params.items ?? 32);
  const items = ds.items.slice(0, n);
  const segments: Segment[] = items.map((it, i) => ({ item: i, read: true, label: i === n - 1 ? null : (it.gold ?? true) }));
  const configs: Config[] = (params.configs ?? 'wllama.reader.1').split(',').map((s) => {
    const [build, attention, threads] = s.split('.');
    return { build: build === 'simd' || build === 'webgpu' ? build : 'wllama', attention: attention === 'wllama' ? 'wllama' : 'reader', threads: Number(threads) };
  });
  const icmFor = new Set((params.icm ?? '').split(',').filter(Boolean));
  const out: Figures = { model: file.name, items: n };
  for (const c of configs) {
    const name = nameOf(c);
    if (c.build === 'webgpu') {
      Object.assign(out, await webgpuBuild(file, header, ds, items, segments, params, name, icmFor.has(`${c.build}.${c.attention}.${c.threads}`)));
      continue;
    }
    const t0 = performance.now();
    const loaded = await load(file, c, header.contextLength, header.kvBytesPerToken);
    out[`${name}.loadMs`] = Math.round(performance.now() - t0);
    out[`${name}.threadsUsed`] = loaded.threads;
    const tok = engineTokenizer(loaded.engine);
    const t = await tok.run((enc) => tokenizeSequence(enc, sequenceText(ds.kind, items, segments, ds.description)));
    const ids = loaded.bos === null ? t.ids : [loaded.bos, ...t.ids];
    const offset = ids.length - t.ids.length;
    out.sequenceTokens = ids.length;
    out.sequenceIds = JSON.stringify(ids);
    out.readEnds = JSON.stringify(t.readAt.map((r) => r + offset));
    await loaded.engine.decode(ids.slice(0, 16), {}); // warm-up
    await loaded.engine.kvClear();
    const whole = await measure(async () => {
      for (let from = 0; from < ids.length; from += loaded.batch) await loaded.engine.decode(ids.slice(from, from + loaded.batch), { skipLogits: from + loaded.batch < ids.length });
      return loaded.engine.getLogits(40);
    });
    await loaded.engine.kvClear();
    const model = await createWllamaModel(loaded.engine, ds.kind, items, { contextWindow: loaded.contextWindow, bos: loaded.bos, batch: loaded.batch, description: ds.description });
    const read = await measure(() => model.readSequence(segments));
    out.labelIds = JSON.stringify([model.labels.trueId, model.labels.falseId]);
    out[`${name}.reads`] = JSON.stringify(read.value.reads.map((r) => [r.logTrue, r.logFalse]));
    const perCpu = (s: number) => Math.round((ids.length / s) * 10) / 10;
    out[`${name}.decode.tokensPerCpuSecond`] = perCpu(whole.cpuS);
    out[`${name}.decode.tokensPerSecond`] = perCpu(whole.wallS);
    out[`${name}.reader.tokensPerCpuSecond`] = perCpu(read.cpuS);
    out[`${name}.reader.tokensPerSecond`] = perCpu(read.wallS);
    out[`${name}.readerVsDecode`] = Math.round((whole.cpuS / read.cpuS) * 100) / 100; // 1: the reader as fast as one decode
    log(`${name}: decode ${out[`${name}.decode.tokensPerCpuSecond`]} tokens/CPU-s, reader ${out[`${name}.reader.tokensPerCpuSecond`]} (${ids.length} tokens, ${n} read points)`);
    if (icmFor.has(`${c.build}.${c.attention}.${c.threads}`)) {
      await loaded.engine.kvClear();
      const make = (pool: DataItem[]) =>
        createWllamaModel(loaded.engine, ds.kind, pool, { contextWindow: loaded.contextWindow, bos: loaded.bos, batch: loaded.batch, description: ds.description });
      Object.assign(out, await icmSteps(make, ds, params, name));
    }
    await loaded.engine.exit();
  }
  return out;
}

/**
 * wllama 3's build (the app's GPU path; on the CPU where llama.cpp's WebGPU backend finds no GPU it
 * can use, as here): `decode` is one completion of the whole sequence, `reader` the app's GPU reader
 * (one completion per read point, the prompt cache reusing the last), after a short prompt that
 * empties the cache. Tokens are the build's own count (usage.prompt_tokens).
 */
async function webgpuBuild(
  file: File,
  header: { contextLength: number; kvBytesPerToken: number },
  ds: ReturnType<typeof builtinDatasets>[number],
  items: DataItem[],
  segments: Segment[],
  params: Record<string, string>,
  name: string,
  icm: boolean,
): Promise<Figures> {
  const t0 = performance.now();
  const g = await loadGpuEngine(file, { trainContext: header.contextLength, kvBytesPerToken: header.kvBytesPerToken });
  const out: Figures = { [`${name}.loadMs`]: Math.round(performance.now() - t0), [`${name}.onGpu`]: g.onGpu };
  const seq = sequenceText(ds.kind, items, segments, ds.description);
  const complete = (prompt: string) => g.engine.createCompletion(completionBody(file.name, prompt, 40));
  await complete('Hello'); // warm-up
  const whole = await measure(() => complete(seq.text.slice(0, seq.reads[seq.reads.length - 1].at)));
  const tokens = parseCompletion(whole.value, file.name).promptTokens ?? NaN;
  await complete('Hello'); // the cache holds this now, not the sequence
  const model = createGpuModel(g.engine, ds.kind, items, { contextWindow: g.contextWindow, description: ds.description });
  const read = await measure(() => model.readSequence(segments));
  const perCpu = (s: number) => Math.round((tokens / s) * 10) / 10;
  out[`${name}.decode.tokensPerCpuSecond`] = perCpu(whole.cpuS);
  out[`${name}.decode.tokensPerSecond`] = perCpu(whole.wallS);
  out[`${name}.reader.tokensPerCpuSecond`] = perCpu(read.cpuS);
  out[`${name}.reader.tokensPerSecond`] = perCpu(read.wallS);
  out[`${name}.readerVsDecode`] = Math.round((whole.cpuS / read.cpuS) * 100) / 100;
  out[`${name}.reads`] = JSON.stringify(read.value.reads.map((r) => [r.logTrue, r.logFalse]));
  log(`${name}: ${g.onGpu ? 'on the GPU' : 'on the CPU'}, decode ${out[`${name}.decode.tokensPerCpuSecond`]} tokens/CPU-s, reader ${out[`${name}.reader.tokensPerCpuSecond`]} (${tokens} tokens)`);
  if (icm) {
    await complete('Hello');
    Object.assign(out, await icmSteps(async (pool) => createGpuModel(g.engine, ds.kind, pool, { contextWindow: g.contextWindow, description: ds.description }), ds, params, name));
  }
  await g.engine.exit();
  return out;
}

/** Seconds (wall and browser CPU) per ICM step at this backend's default plan, pool `pool`, seed 1. */
async function icmSteps(
  make: (pool: DataItem[]) => Promise<LabelModel & { stats(): { tokens: number; computed: number } }>,
  ds: ReturnType<typeof builtinDatasets>[number],
  params: Record<string, string>,
  name: string,
): Promise<Figures> {
  const steps = Number(params.steps ?? 2);
  const poolSize = Number(params.pool ?? 8);
  const config = { ...defaultConfig, ...defaultPlan('wllama'), poolSize, seed: 1 };
  const indices = drawPool(ds.items, poolSize, 1);
  const problem = problemOf(ds, indices);
  const model = await make(indices.map((i) => ds.items[i]));
  let { state } = await initialState(problem, config, model);
  const init = model.stats();
  const r = await measure(async () => {
    for (let i = 0; i < steps; i++) state = (await step(problem, state, config, model)).state;
  });
  const s = model.stats();
  const f: Figures = {
    [`${name}.icm.pool`]: poolSize,
    [`${name}.icm.secondsPerStep`]: Math.round((r.wallS / steps) * 10) / 10,
    [`${name}.icm.cpuSecondsPerStep`]: Math.round((r.cpuS / steps) * 10) / 10,
    [`${name}.icm.tokensReadPerStep`]: Math.round((s.tokens - init.tokens) / steps),
    [`${name}.icm.tokensComputedPerStep`]: Math.round((s.computed - init.computed) / steps),
    [`${name}.icm.labels`]: state.labels.map((l) => (l === null ? '-' : l ? 'T' : 'F')).join(''),
  };
  log(`${name}: ICM ${f[`${name}.icm.secondsPerStep`]} s a step (${f[`${name}.icm.cpuSecondsPerStep`]} CPU-s), ${f[`${name}.icm.tokensComputedPerStep`]} tokens computed`);
  return f;
}

onmessage = async (e: MessageEvent<{ file?: File; params?: Record<string, string>; marked?: number; cpu?: number }>) => {
  if (e.data.marked !== undefined) {
    waiting.get(e.data.marked)?.(e.data.cpu ?? NaN);
    waiting.delete(e.data.marked);
    return;
  }
  try {
    if (!e.data.file) throw new Error('no model file');
    postMessage({ result: await run(e.data.file, e.data.params ?? {}) });
  } catch (err) {
    postMessage({ error: err instanceof Error ? `${err.name}: ${err.message}\n${err.stack}` : String(err) });
  }
};
