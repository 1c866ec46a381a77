// npm run record-real: records one whole ICM run of a real language model for the app to ship
// as a replay (src/lib/export/recording.ts). It starts llama.cpp's server (scripts/llama-server.ts)
// with the smallest fetched model (SmolLM2 135M Instruct), reads it through the app's own server
// backend (workers/backends/server) exactly as a run in the browser would, on factual claims: the
// built-in task on which it did best in the real-model bench (README; the first-visit demo's
// math task costs it three times the tokens a step and tells little on the pools it affords). It
// writes the step log, the pool's item ids, the settings, the model, the
// machine and the date to src/lib/data/recorded/<model>-<task>.json. No model weights and no item
// texts go into the file (the app has the built-in items).
//
//   npm run record-real -- [--model ID] [--pool N] [--steps N] [--minutes M] [--seed S] [--task math|factual|comparison]
//                          [--threads N] [--out FILE]
//
// The defaults (pool 16, 80 steps, 45 minutes) made the shipped file. --minutes is a guard: when
// the next step would likely end past it (at the mean pace of the steps so far), it stops and the
// recording says it ran that many iterations
// (its `config.iterations`; nothing about a step depends on the planned number). The Python of
// llama-cpp-python's server is .venv-llama's (npm run real-fixtures), or $LLAMA_PYTHON.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinDatasets } from '../src/lib/data/builtin/index';
import { problemOf } from '../src/lib/data/problem';
import { accuracy } from '../src/lib/eval/figures';
import { defaultConfig, validateConfig, type ICMConfig } from '../src/lib/icm/config';
import { drawPool } from '../src/lib/icm/pool';
import { initialState, isDone, step, type StepEvent } from '../src/lib/icm/search';
import { RECORDING_FORMAT, RECORDING_VERSION, serializeRecording, type Recording, type RecordingMachine } from '../src/lib/export/recording';
import { serverBackend } from '../workers/backends/server/index';
import { LLAMA_CPP_PYTHON, llamaServerPython, serverSpecFor, startLlamaServer } from './llama-server';
import { realModel } from './real-models';
import { defaultPlan } from '../workers/backends/kinds';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const numArg = (name: string, fallback: number): number => {
  const v = arg(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not "${v}".`);
  return n;
};

/** "2 × AMD EPYC 7B13, 8 GB memory, Linux": what the replay's label says the run ran on. */
function machine(): RecordingMachine {
  const list = cpus();
  const cpuModel = (list[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  const memoryBytes = totalmem();
  const os = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' }[platform() as string] ?? platform();
  return {
    text: `${list.length} × ${cpuModel}, ${Math.round(memoryBytes / 2 ** 30)} GB memory, ${os}`,
    cpus: list.length,
    cpuModel,
    memoryBytes,
    platform: platform(),
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
  };
}

async function main(): Promise<void> {
  const python = process.env.LLAMA_PYTHON || llamaServerPython();
  if (!python) {
    console.log(`No llama.cpp server: ${LLAMA_CPP_PYTHON} is not installed in .venv-llama. Run \`npm run real-fixtures\` first (or set LLAMA_PYTHON).`);
    process.exit(2);
  }
  const model = realModel(arg('--model') ?? 'smollm2');
  const task = arg('--task') ?? 'factual';
  const ds = builtinDatasets().find((d) => d.id === `builtin-${task}`);
  if (!ds) throw new Error(`No built-in task "${task}"; there are math, factual and comparison.`);
  const minutes = numArg('--minutes', 45);
  const config: ICMConfig = {
    ...defaultConfig,
    seed: numArg('--seed', 1),
    poolSize: numArg('--pool', 16),
    iterations: numArg('--steps', 80),
    ...defaultPlan('server'), // the plan the app gives a server run
  };
  const errors = validateConfig(config);
  if (Object.keys(errors).length > 0) throw new Error(`Settings refused: ${Object.values(errors).join(' ')}`);
  const out = resolve(arg('--out') ?? fileURLToPath(new URL(`../src/lib/data/recorded/${model.id}-${task}.json`, import.meta.url)));

  const where = machine(); // before the server starts loading the machine
  console.log(`Recording ICM on ${model.name}, ${ds.name}: pool ${config.poolSize}, ${config.iterations} steps, plan ${config.plan} (B = ${config.blocks}), seed ${config.seed}; ${where.text}, load ${where.loadAverage}.`);
  const server = await startLlamaServer(python, model, { nCtx: 4096, threads: numArg('--threads', 1) }); // one thread: a second costs more than it gives on a busy 2-core machine (issue 23)
  try {
    // as the app's run would: one request in flight (the server reads one at a time), a long timeout for a busy machine
    const spec = serverSpecFor(server, 900);
    const pool = drawPool(ds.items, config.poolSize, config.seed);
    const runModel = await serverBackend().open(spec, ds, pool);
    const problem = problemOf(ds, pool);
    const t0 = performance.now();
    const elapsed = () => (performance.now() - t0) / 1000;
    const init = await initialState(problem, config, runModel);
    console.log(`  seed labels and their repairs: ${elapsed().toFixed(0)} s, ${init.event.tokens} tokens read`);
    let state = init.state;
    const steps: StepEvent[] = [];
    const searchStart = elapsed(); // the steps' own pace decides when to stop, not the seed labels'
    while (!isDone(state, config)) {
      const t = elapsed();
      const next = await step(problem, state, config, runModel);
      state = next.state;
      steps.push(next.event);
      const perStep = (elapsed() - t).toFixed(1);
      console.log(`  step ${state.iteration}/${config.iterations}: ${perStep} s, ${next.event.tokens} tokens, ${next.event.accepted ? 'accepted' : 'refused'}; ${state.labels.filter((l) => l !== null).length} labeled, ${elapsed().toFixed(0)} s so far`);
      // stop before a step that would likely end past the guard
      const mean = (elapsed() - searchStart) / steps.length;
      if (!isDone(state, config) && elapsed() + mean > minutes * 60) {
        console.log(`  stopping after step ${state.iteration}: the next would pass --minutes ${minutes}`);
        config.iterations = state.iteration;
      }
    }
    const gold = pool.map((d) => ds.items[d].gold);
    const recording: Recording = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      id: `${model.id}-${task}`,
      datasetId: ds.id,
      items: pool.map((d) => ds.items[d].id),
      model: { name: model.name, file: model.file, sha256: model.sha256, source: model.source, via: `${LLAMA_CPP_PYTHON.replace('[server]==', ' ')} server, top-${spec.topK} log-probabilities` },
      machine: where,
      recordedAt: new Date().toISOString(),
      seconds: Math.round(elapsed()),
      accuracy: accuracy(state.labels, gold),
      config,
      init: init.event,
      steps,
      state,
    };
    const text = serializeRecording(recording);
    writeFileSync(out, text + '\n');
    const acc = recording.accuracy === null ? 'no gold' : `${(recording.accuracy * 100).toFixed(1)} %`;
    console.log(`Wrote ${out}: ${steps.length} steps in ${recording.seconds} s, accuracy ${acc} (evaluation only), ${(text.length / 1024).toFixed(0)} KiB.`);
  } finally {
    await server.close();
  }
}

await main();
