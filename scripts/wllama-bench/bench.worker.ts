// Bench of the llama.cpp backend in a worker: prompt tokens/s with 1 and 2 threads, then ICM
// steps at the default plan on a built-in task, with tokens read vs computed per step.
import { builtinDatasets } from '../../src/lib/data/builtin/index';
import { problemOf } from '../../src/lib/data/problem';
import { defaultConfig } from '../../src/lib/icm/config';
import { drawPool } from '../../src/lib/icm/pool';
import { initialState, step } from '../../src/lib/icm/search';
import { loadEngine } from '../../workers/backends/wllama/engine';
import { readGgufHeader } from '../../workers/backends/wllama/gguf';
import { createWllamaModel } from '../../workers/backends/wllama/reader';
import { defaultPlan } from '../../workers/backends/kinds';

const log = (s: string) => postMessage({ log: s });

async function promptSpeed(file: File, threads: number, trainContext: number, text: string) {
  const t0 = performance.now();
  const loaded = await loadEngine(file, { threads, trainContext, contextCap: 4096 });
  const loadMs = performance.now() - t0;
  log(`  loaded with ${loaded.threads} thread(s) in ${Math.round(loadMs)} ms`);
  const ids = (await loaded.engine.tokenize(text, false)).slice(0, 512);
  await loaded.engine.decode(ids.slice(0, 16), {}); // warm-up
  await loaded.engine.kvClear();
  const t1 = performance.now();
  await loaded.engine.decode(ids, {});
  const s = (performance.now() - t1) / 1000;
  return { loaded, loadMs, tokensPerSecond: ids.length / s, tokens: ids.length };
}

onmessage = async (e: MessageEvent<{ file: File; params: Record<string, string>; isolated: boolean }>) => {
  try {
    const { file, params } = e.data;
    const header = await readGgufHeader(file);
    log(`${file.name}: ${header.architecture}, context ${header.contextLength}, isolated ${e.data.isolated}`);
    const ds = builtinDatasets().find((d) => d.id === (params.task ?? 'builtin-factual')) ?? builtinDatasets()[1];
    const text = ds.items.slice(0, 40).map((it) => `Question: ${it.question}\nClaim: ${it.claim}\nI think this claim is True`).join('\n\n');
    const result: Record<string, number | string | boolean> = { model: file.name, isolated: e.data.isolated };
    let keep = null as Awaited<ReturnType<typeof promptSpeed>> | null;
    for (const threads of (params.threads ?? '1,2').split(',').map(Number)) {
      const r = await promptSpeed(file, threads, header.contextLength, text);
      result[`threads${threads}.used`] = r.loaded.threads;
      result[`threads${threads}.promptTokensPerSecond`] = Math.round(r.tokensPerSecond);
      result[`threads${threads}.loadMs`] = Math.round(r.loadMs);
      log(`threads ${threads} (used ${r.loaded.threads}, multi ${r.loaded.multiThread}): ${Math.round(r.tokensPerSecond)} prompt tokens/s over ${r.tokens}; load ${Math.round(r.loadMs)} ms`);
      if (keep) await keep.loaded.engine.exit();
      keep = r;
    }
    if (!keep) throw new Error('no thread count given');
    const steps = Number(params.steps ?? 5);
    const poolSize = Number(params.pool ?? defaultConfig.poolSize);
    const config = { ...defaultConfig, ...defaultPlan('wllama'), poolSize, seed: 1 }; // the app's default on this backend
    const indices = drawPool(ds.items, poolSize, 1);
    const problem = problemOf(ds, indices);
    const model = await createWllamaModel(keep.loaded.engine, ds.kind, indices.map((i) => ds.items[i]), {
      contextWindow: keep.loaded.contextWindow,
      bos: keep.loaded.bos,
      description: ds.description,
    });
    const t0 = performance.now();
    let { state } = await initialState(problem, config, model);
    const init = model.stats();
    log(`init: ${Math.round(performance.now() - t0)} ms, read ${init.tokens} computed ${init.computed}`);
    const t1 = performance.now();
    for (let i = 0; i < steps; i++) state = (await step(problem, state, config, model)).state;
    const s = model.stats();
    const per = (x: number) => Math.round(x / steps);
    result['icm.pool'] = poolSize;
    result['icm.plan'] = config.plan;
    result['icm.secondsPerStep'] = Math.round((performance.now() - t1) / steps) / 1000;
    result['icm.tokensReadPerStep'] = per(s.tokens - init.tokens);
    result['icm.tokensComputedPerStep'] = per(s.computed - init.computed);
    result['icm.fullVocabReads'] = s.fullVocab;
    log(JSON.stringify(result));
    postMessage({ result });
  } catch (err) {
    postMessage({ error: err instanceof Error ? `${err.name}: ${err.message}\n${err.stack}` : String(err) });
  }
};
