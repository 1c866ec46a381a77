// npm run bench: every figure the README quotes, printed and written to bench-results.json.
// Simulated model and ICM at the app's defaults unless a key says otherwise; accuracy in %.
//
// Keys (stable; the README documents them):
//   accuracy.<task>.zeroShot          zero-shot accuracy on the pool (mean over seeds)
//   accuracy.<task>.goldDemos         every other pool item with its gold label in context
//   accuracy.<task>.randomDemos       the same with random labels
//   accuracy.<task>.icm               ICM's final accuracy, default plan (mean over seeds)
//   accuracy.<task>.icmBySeed         the same per seed
//   accuracy.<task>.icmMinusGold      icm − goldDemos, points (target ≥ −3)
//   accuracy.<task>.icmMinusZeroShot  icm − zeroShot, points (target ≥ 10)
//   plans.<task>.N<n>.labeled                      items actually labeled (whole groups, up to n)
//   plans.<task>.N<n>.<plan>.tokensPerEvaluation   tokens one evaluation of U reads with them
//   plans.<task>.N<n>.<plan>.ratioToLeaveOneOut    leave-one-out tokens ÷ this plan's tokens
//   plans.<task>.<plan>.accuracy / .U               final accuracy and U of full runs (mean over seeds)
//   plans.<task>.blocksMinusLeaveOneOut             accuracy difference, points (target within ±1)
//   steps.<task>.N256.algorithmMsPerStep            the algorithm's own time per step, model time excluded
//   steps.<task>.N256.modelMsPerStep                the simulated model's time per step
//   browser.worstLongTaskMs                         the longest main-thread task while a run plays (needs Chromium)
//   honesty.truthfulqaLayout.<method>.accuracy / .shareTrue / .labeled   see scripts/bench-honesty.ts
//   import.rows50000.parseMs                        parse + map a generated 50 000-row CSV in Node (src/lib/data/import)
//   import.jsonlLine20MB.parseMs                   one 20 MB JSONL line pushed in 64 KiB chunks (as a file stream gives it)
//   browser.import50000Ms.toMapping                 50 000-row CSV handed to the file picker → the mapping step shows
//   browser.import50000Ms.toTable                   the same → saved, a run created on it, its review table shows rows
//   sim.<task>.…                                    the simulated model measured as the real ones are (calibration)
//   real.<model>.…                                  real language models behind llama.cpp's server: see scripts/bench-real.ts
// `npm run bench -- --quick` runs one seed and skips N = 256 and the browser, and runs the short
// real-model variant. `--real-only` runs only the real-model part, `--no-real` skips it, `--model ID`
// runs one real model; the keys a run does not measure are kept from bench-results.json.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinDatasets } from '../src/lib/data/builtin/index';
import type { Dataset } from '../src/lib/data/types';
import { accuracy, manyShot, randomLabels, zeroShot } from '../src/lib/eval/baselines';
import { defaultConfig, type ICMConfig } from '../src/lib/icm/config';
import type { LabelModel } from '../src/lib/icm/model';
import { planTokens, type PlanKind } from '../src/lib/icm/plan';
import { drawPool } from '../src/lib/icm/pool';
import { problemOf } from '../src/lib/data/problem';
import type { Problem } from '../src/lib/icm/problem';
import { initialState, isDone, step, type RunState } from '../src/lib/icm/search';
import { defaultSimulatedParams } from '../src/lib/model/params';
import { simulatedModelFor } from '../workers/backends/simulated/model';
import { timed } from '../workers/run/speed';
import { worstLongTask } from './bench-browser';
import { honestyBench } from './bench-honesty';
import { fewShotFigures, realBench, sizes } from './bench-real';
import { realFixtures } from './real-fixtures';
import { realModels } from './real-models';

const quick = process.argv.includes('--quick');
const realOnly = process.argv.includes('--real-only');
const noReal = process.argv.includes('--no-real');
const onlyModel = process.argv.includes('--model') ? process.argv[process.argv.indexOf('--model') + 1] : undefined;
const SEEDS = quick ? [1] : [1, 2, 3, 4, 5];
const PLANS: { name: string; plan: PlanKind }[] = [
  { name: 'leaveOneOut', plan: 'leaveOneOut' },
  { name: 'blocks', plan: 'blocks' },
];
const results: Record<string, number | number[]> = {};
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (x: number | null) => round((x ?? 0) * 100);
function record(key: string, value: number | number[]) {
  results[key] = value;
  console.log(`${key.padEnd(52)} ${Array.isArray(value) ? value.join(', ') : value}`);
}

function setup(ds: Dataset, poolSize: number, seed: number) {
  const indices = drawPool(ds.items, poolSize, seed);
  const pool = indices.map((i) => ds.items[i]);
  const problem = problemOf(ds, indices);
  return { pool, problem, gold: pool.map((it) => it.gold), model: simulatedModelFor(ds.kind, ds.items, indices, defaultSimulatedParams) };
}

async function runICM(problem: Problem, config: ICMConfig, model: LabelModel, maxSteps = Infinity): Promise<RunState> {
  let { state } = await initialState(problem, config, model);
  while (!isDone(state, config) && state.iteration < maxSteps) state = (await step(problem, state, config, model)).state;
  return state;
}

async function accuracyFigures(ds: Dataset, task: string) {
  const zs: number[] = [];
  const gd: number[] = [];
  const rd: number[] = [];
  const byPlan = new Map(PLANS.map((p) => [p.name, { acc: [] as number[], U: [] as number[] }]));
  for (const seed of SEEDS) {
    const { pool, problem, gold, model } = setup(ds, defaultConfig.poolSize, seed);
    zs.push(pct(accuracy((await zeroShot(model, pool.length)).labels, gold)));
    gd.push(pct(accuracy((await manyShot(model, gold as boolean[])).labels, gold)));
    rd.push(pct(accuracy((await manyShot(model, randomLabels(pool.length, seed))).labels, gold)));
    for (const p of PLANS) {
      const state = await runICM(problem, { ...defaultConfig, seed, plan: p.plan }, model);
      byPlan.get(p.name)?.acc.push(pct(accuracy(state.labels, gold)));
      byPlan.get(p.name)?.U.push(state.U);
    }
  }
  const icm = byPlan.get(defaultConfig.plan === 'blocks' ? 'blocks' : 'leaveOneOut')?.acc ?? [];
  record(`accuracy.${task}.zeroShot`, round(mean(zs)));
  record(`accuracy.${task}.goldDemos`, round(mean(gd)));
  record(`accuracy.${task}.randomDemos`, round(mean(rd)));
  record(`accuracy.${task}.icm`, round(mean(icm)));
  record(`accuracy.${task}.icmBySeed`, icm);
  record(`accuracy.${task}.icmMinusGold`, round(mean(icm) - mean(gd)));
  record(`accuracy.${task}.icmMinusZeroShot`, round(mean(icm) - mean(zs)));
  for (const [name, r] of byPlan) {
    record(`plans.${task}.${name}.accuracy`, round(mean(r.acc)));
    record(`plans.${task}.${name}.U`, round(mean(r.U), 2));
  }
  record(`plans.${task}.blocksMinusLeaveOneOut`, round(mean(byPlan.get('blocks')?.acc ?? []) - mean(byPlan.get('leaveOneOut')?.acc ?? [])));
}

async function tokenFigures(ds: Dataset, task: string) {
  for (const n of quick ? [32, 128] : [32, 128, 256]) {
    const { gold, model } = setup(ds, n, 1);
    const labels = gold.map((g) => g ?? false);
    const loo = await planTokens(labels, { plan: 'leaveOneOut', blocks: 1 }, model);
    record(`plans.${task}.N${n}.labeled`, labels.length); // whole groups: up to n
    for (const p of PLANS) {
      const tokens = p.plan === 'leaveOneOut' ? loo : await planTokens(labels, { plan: p.plan, blocks: defaultConfig.blocks }, model);
      record(`plans.${task}.N${n}.${p.name}.tokensPerEvaluation`, tokens);
      record(`plans.${task}.N${n}.${p.name}.ratioToLeaveOneOut`, round(loo / tokens));
    }
  }
}

async function simulatedBench() {
  console.log(`ICM on the simulated model; seeds ${SEEDS.join(', ')}; accuracy in %`);
  for (const ds of builtinDatasets()) {
    const task = ds.id.replace(/^builtin-/, '');
    await accuracyFigures(ds, task);
    await tokenFigures(ds, task);
    await simCalibration(ds, task);
    if (!quick) await stepTimes(ds, task);
  }
  // Issue 15: ICM as the paper runs it and with each countermeasure on a TruthfulQA-layout file
  await honestyBench({
    prefix: 'honesty.truthfulqaLayout',
    modelFor: (ds, pool) => simulatedModelFor(ds.kind, ds.items, pool, defaultSimulatedParams),
    seeds: SEEDS,
    config: {},
    record,
  });
  if (!quick) {
    const worst = await worstLongTask();
    if (worst === null) console.log('browser.worstLongTaskMs: skipped (no built app or no Chromium; run `npm run build`)');
    else record('browser.worstLongTaskMs', round(worst));
  }
  // Import (issue 5): 50 000 rows parsed and mapped with the import functions the worker uses, in
  // Node; then, in Chromium, the same size of file through the UI (see import50000).
  {
    const { applyMapping, guessMapping, parseText } = await import('../src/lib/data/import/index');
    const { import50000, rowsCsv } = await import('./bench-browser');
    const text = rowsCsv(50_000);
    const t0 = performance.now();
    const table = parseText(text, 'csv');
    if (!table.ok) throw new Error(`the generated file did not parse: ${table.errors[0]?.message}`);
    const mapped = applyMapping(table.value, guessMapping(table.value.columns, table.value.rows.slice(0, 50)).mapping, { id: 'bench', name: 'bench' });
    if (!mapped.ok || mapped.value.dataset.items.length !== 50_000) throw new Error('the generated file did not map to 50 000 items');
    record('import.rows50000.parseMs', round(performance.now() - t0));
    const { JsonlParser } = await import('../src/lib/data/import/json');
    const line = `{"question":"q","claim":"${'x'.repeat(20_000_000)}"}\n`;
    const t1 = performance.now();
    const jsonl = new JsonlParser();
    for (let i = 0; i < line.length; i += 65_536) jsonl.push(line.slice(i, i + 65_536));
    if (!jsonl.finish().ok) throw new Error('the 20 MB line did not parse');
    record('import.jsonlLine20MB.parseMs', round(performance.now() - t1));
    if (!quick) {
      const ui = await import50000();
      if (ui === null) console.log('browser.import50000Ms: skipped (no built app or no Chromium; run `npm run build`)');
      else {
        record('browser.import50000Ms.toMapping', round(ui.toMapping));
        record('browser.import50000Ms.toTable', round(ui.toTable));
      }
    }
  }
}

/** The simulated model on the real models' pools, read the same way (keys sim.<task>.…), for calibration. */
async function simCalibration(ds: Dataset, task: string) {
  const { pools, shares } = sizes(false);
  const { pool, gold, model } = setup(ds, pools[task] ?? 8, 1);
  const fig = await fewShotFigures(model, gold.map((g) => g ?? false), shares);
  for (const [name, value] of Object.entries(fig)) record(`sim.${task}.${name}`, value);
  record(`sim.${task}.pool`, pool.length);
}

async function stepTimes(ds: Dataset, task: string) {
  const { problem, model } = setup(ds, 256, 1);
  const m = timed(model);
  const config = { ...defaultConfig, poolSize: 256, iterations: 400 };
  let { state } = await initialState(problem, config, m);
  const t0 = performance.now();
  const s0 = m.seconds();
  const first = state.iteration;
  while (!isDone(state, config)) state = (await step(problem, state, config, m)).state;
  const steps = state.iteration - first;
  const modelMs = (m.seconds() - s0) * 1000;
  record(`steps.${task}.N256.algorithmMsPerStep`, round((performance.now() - t0 - modelMs) / steps, 3));
  record(`steps.${task}.N256.modelMsPerStep`, round(modelMs / steps, 3));
}

if (!realOnly) await simulatedBench();
if (!noReal) {
  const fixtures = realFixtures();
  if (fixtures.python === null) console.log(fixtures.reason);
  else {
    console.log(`Real models behind llama.cpp's server${quick ? ' (quick sizes)' : ''}; accuracy in %`);
    await realBench({ python: fixtures.python, models: realModels.filter((m) => !onlyModel || m.id === onlyModel), datasets: builtinDatasets(), quick, record });
  }
}
const previous = existsSync('bench-results.json') ? (JSON.parse(readFileSync('bench-results.json', 'utf8')) as Record<string, number | number[]>) : {};
writeFileSync('bench-results.json', JSON.stringify({ ...previous, ...results }, null, 2) + '\n');
console.log('wrote bench-results.json');
