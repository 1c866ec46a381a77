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
//   Plans: leaveOneOut, blocks (today's, B = 4), tree (exact leave-one-out through the prefix
//   tree), treeBlocks (B = 2 leaf blocks through the tree: the default with a prefix cache), treeBlocksB4. "computed": tokens a model with a one-prompt
//   prefix cache (llama.cpp) computes; "read": tokens sent, what a model without one (web-llm) computes.
//   plans.<task>.N<n>.labeled                      items actually labeled (whole groups, up to n)
//   plans.<task>.N<n>.tokensPerItem                L: mean tokens of a labeled item with its label
//   plans.<task>.N<n>.<plan>.tokensPerEvaluation   tokens one evaluation of U reads (all labeled, cold cache)
//   plans.<task>.N<n>.<plan>.computedPerEvaluation the same, computed with a one-prompt prefix cache
//   plans.<task>.N<n>.<plan>.ratioToLeaveOneOut    leave-one-out tokens read ÷ this plan's tokens read
//   plans.<task>.N<n>.<plan>.computedVsOfficial    computed ÷ the official code's leave-one-out on vLLM's
//                                                  prefix cache (its sequences share the prefix up to the removed item)
//   plans.<task>.N<n>.tree.computedOverNLog2NL     computed ÷ N·log₂N·L (target ≤ 1.2 at N = 128)
//   plans.<task>.N<n>.<plan>.run.{read,computed,skipped}   tokens of a full run (1000 steps, pool n, seed 1)
//   plans.<task>.N<n>.<plan>.step.{read,computed}          the same per step
//   plans.<task>.N<n>.<plan>.evaluation.{read,computed}    the same per evaluation of U in the run (what reuse
//                                                  across evaluations leaves: compare computedPerEvaluation, cold)
//   plans.<task>.<plan>.accuracy / .U               final accuracy and U of full runs, pool 128 (mean over seeds)
//   plans.<task>.<plan>.run.{read,computed,skipped} tokens of those runs (mean over seeds); skipped: never
//                                                  sent because every read they fed was reused
//   plans.<task>.<plan>.step.{read,computed}, .evaluation.{read,computed}   the same per step, per evaluation of U
//   plans.<task>.blocksMinusLeaveOneOut             accuracy difference, points (target within ±1)
//   plans.<task>.treeMinusLeaveOneOutU              U difference of full runs (0: the tree reads the same U)
//   plans.<task>.prefixDefault.computedVsBlocks     computed per full run by the default plan for a prefix-caching
//                                                  backend ÷ today's blocks plan read (target ≤ 0.5)
//   plans.<task>.prefixDefault.computedVsBlocksCached  the same ÷ blocks computed with a prefix cache
//   plans.<task>.prefixDefault.minusBlocks          accuracy difference, points (target within ±1)
//   steps.<task>.N256.algorithmMsPerStep            the algorithm's own time per step, model time excluded
//   steps.<task>.N256.modelMsPerStep                the simulated model's time per step
//   browser.worstLongTaskMs                         the longest main-thread task while a run plays (needs Chromium)
//   browser.plots5000.seconds                       a run (pool 16) played to 5 000 steps at full speed, plots following
//   browser.plots5000.{playing,clicking,reopening}Ms  the worst main-thread task while it plays, while moving through
//                                                  its steps, and while it reopens (e2e/learn-perf.spec.ts checks the behaviour)
//   browser.firstVisit.{dev,build}.{serverMs,firstFrameMs,appMs,firstStepMs,loadAverage}   a fresh browser's
//                                                  first visit, in ms from asking for the page: the first frame of
//                                                  index.html, the run screen, the demo's first step; dev: `npm start`'s
//                                                  server from an empty dependency cache (a fresh clone), build: the
//                                                  built app; serverMs from starting the server (scripts/bench-browser.ts)
//   honesty.truthfulqaLayout.<method>.accuracy / .shareTrue / .labeled   see scripts/bench-honesty.ts
//   import.rows50000.parseMs                        parse + map a generated 50 000-row CSV in Node (src/lib/data/import)
//   import.jsonlLine20MB.parseMs                   one 20 MB JSONL line pushed in 64 KiB chunks (as a file stream gives it)
//   browser.import50000Ms.toMapping                 50 000-row CSV handed to the file picker → the mapping step shows
//   browser.import50000Ms.toTable                   the same → saved, a run created on it, its review table shows rows
//   browser.import50000Ms.scrollWorstLongTaskMs      the worst main-thread task while that table scrolls (e2e/labeling-scale.spec.ts)
//   calibration.<model>.<task>.…                    the simulated model and the real ones measured alike: scripts/bench-calibration.ts
//   real.<model>.…                                  real language models behind llama.cpp's server: see scripts/bench-real.ts
//   fix.<task>.{sim,<model>}.{before,after}.…       what ConsistencyFix's repairs cost, tokens sent and computed per step
//                                                  and per repair, before and after issue 26: see scripts/bench-fix.ts
//   estimate.<task>.<model>.{server,wllama}Hours   a full default run's computed tokens at that measured prompt speed
//   estimate.<task>.gpu{1000,3000}Minutes          the same at 1 k and 3 k prompt tokens/s (an assumed laptop GPU)
//   wllama.<model>.tokensPerCpuSecond              the same models in llama.cpp (WebAssembly) in headless Chromium:
//                                                  the app's reader, tokens per CPU-second of the browser
//   native.<model>.tokensPerCpuSecond              llama-cpp-python on the same file, ids and threads (one eval)
//   wllama.<model>.nativeRatio                     the two's ratio (target ≥ 0.5)
//   wllama.<model>.<build>.<attention>.threads<t>.…  each engine configuration: decode / reader speeds, and
//                                                  .icm.secondsPerStep for the app's path and the app before
//                                                  issue 23 on the same 8 claims (scripts/bench-wllama.ts)
// `npm run bench -- --quick` runs one seed and skips N = 256 and the browser, and runs the short
// real-model variant. `--real-only` runs only the real-model part, `--no-real` skips it, `--model ID`
// runs one real model, `--no-wllama` skips the WebAssembly part (minutes per step here), `--fix-only`
// runs only scripts/bench-fix.ts (`--fix-steps task=n,…` sets its real part's steps; 41 minutes at a
// load average of 13 on 2 cores, with `--quick` 2 steps of one task); the keys a run does not
// measure are kept from bench-results.json.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinDatasets } from '../src/lib/data/builtin/index';
import type { Dataset } from '../src/lib/data/types';
import { accuracy, manyShot, randomLabels, zeroShot } from '../src/lib/eval/baselines';
import { defaultConfig, planFor, type ICMConfig } from '../src/lib/icm/config';
import type { LabelModel } from '../src/lib/icm/model';
import { planCost, planSequences, type PlanKind } from '../src/lib/icm/plan';
import { drawPool } from '../src/lib/icm/pool';
import { problemOf } from '../src/lib/data/problem';
import type { Problem } from '../src/lib/icm/problem';
import { initialState, isDone, step, type RunState } from '../src/lib/icm/search';
import { runSearch } from '../src/lib/icm/run';
import { defaultSimulatedParams } from '../src/lib/model/params';
import { simulatedModelFor } from '../workers/backends/simulated/model';
import { withPrefixCache } from '../src/lib/model/prefix-cache';
import { timed } from '../workers/run/speed';
import { firstVisit, plots5000, worstLongTask } from './bench-browser';
import { honestyBench } from './bench-honesty';
import { realBench } from './bench-real';
import { simulatedCurves } from './bench-calibration';
import { realFixtures } from './real-fixtures';
import { defaultModels, realModel, realModels } from './real-models';
import { ensureModels } from './models';
import { configKey, defaultConfigs, wllamaBench } from './bench-wllama';
import { fixBenchReal, fixBenchSimulated } from './bench-fix';

const quick = process.argv.includes('--quick');
const realOnly = process.argv.includes('--real-only');
const noReal = process.argv.includes('--no-real');
const noWllama = process.argv.includes('--no-wllama');
const fixOnly = process.argv.includes('--fix-only');
// steps per task of the real part of bench-fix.ts; `--fix-steps math=2,truthfulqaLayout=3` sets them
const fixSteps: Record<string, number> = quick ? { truthfulqaLayout: 2 } : { truthfulqaLayout: 3, truthfulqaLayoutAsIs: 4 };
if (process.argv.includes('--fix-steps'))
  for (const part of (process.argv[process.argv.indexOf('--fix-steps') + 1] ?? '').split(',')) {
    const [task, n] = part.split('=');
    if (task && Number.isInteger(Number(n))) fixSteps[task] = Number(n);
  }
const onlyModel = process.argv.includes('--model') ? process.argv[process.argv.indexOf('--model') + 1] : undefined;
const SEEDS = quick ? [1] : [1, 2, 3, 4, 5];
const PREFIX_DEFAULT = planFor({ prefixCache: true });
const PLANS: { name: string; plan: PlanKind; blocks: number }[] = [
  { name: 'leaveOneOut', plan: 'leaveOneOut', blocks: 1 },
  { name: 'blocks', plan: 'blocks', blocks: defaultConfig.blocks },
  { name: 'tree', plan: 'tree', blocks: 1 },
  { name: 'treeBlocks', plan: 'treeBlocks', blocks: PREFIX_DEFAULT.blocks },
  { name: 'treeBlocksB4', plan: 'treeBlocks', blocks: 4 },
];
const PREFIX_NAME = PLANS.find((p) => p.plan === PREFIX_DEFAULT.plan && p.blocks === PREFIX_DEFAULT.blocks)?.name ?? 'treeBlocks';
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
  // the simulated model's reads, counted as by a backend with a one-prompt prefix cache
  return { pool, problem, gold: pool.map((it) => it.gold), model: withPrefixCache(simulatedModelFor(ds.kind, ds.items, indices, defaultSimulatedParams)) };
}

const configFor = (p: (typeof PLANS)[number], seed: number, poolSize = defaultConfig.poolSize): ICMConfig => ({ ...defaultConfig, seed, poolSize, plan: p.plan, blocks: p.blocks });
const runTokens = (s: RunState) => ({ read: s.tokens, computed: s.computed ?? s.tokens, skipped: s.skipped ?? 0, evaluations: evaluationsOf.get(s) ?? 1 });

const evaluationsOf = new WeakMap<RunState, number>(); // evaluations of U a run made, init included

async function runICM(problem: Problem, config: ICMConfig, model: LabelModel, maxSteps = Infinity): Promise<RunState> {
  const { init, state, steps } = await runSearch(problem, config, model, { maxSteps });
  evaluationsOf.set(state, steps.reduce((n, s) => n + s.evaluations, 1 + init.fixes.length));
  return state;
}

async function accuracyFigures(ds: Dataset, task: string) {
  const zs: number[] = [];
  const gd: number[] = [];
  const rd: number[] = [];
  const byPlan = new Map(PLANS.map((p) => [p.name, { acc: [] as number[], U: [] as number[], read: [] as number[], computed: [] as number[], skipped: [] as number[], evaluations: [] as number[] }]));
  for (const seed of SEEDS) {
    const { pool, problem, gold, model } = setup(ds, defaultConfig.poolSize, seed);
    zs.push(pct(accuracy((await zeroShot(model, pool.length)).labels, gold)));
    gd.push(pct(accuracy((await manyShot(model, gold as boolean[])).labels, gold)));
    rd.push(pct(accuracy((await manyShot(model, randomLabels(pool.length, seed))).labels, gold)));
    for (const p of PLANS) {
      const state = await runICM(problem, configFor(p, seed), model);
      const r = byPlan.get(p.name);
      const t = runTokens(state);
      r?.acc.push(pct(accuracy(state.labels, gold)));
      r?.U.push(state.U);
      r?.read.push(t.read);
      r?.computed.push(t.computed);
      r?.skipped.push(t.skipped);
      r?.evaluations.push(t.evaluations);
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
    for (const k of ['read', 'computed', 'skipped'] as const) record(`plans.${task}.${name}.run.${k}`, Math.round(mean(r[k])));
    record(`plans.${task}.${name}.step.read`, Math.round(mean(r.read) / defaultConfig.iterations));
    record(`plans.${task}.${name}.step.computed`, Math.round(mean(r.computed) / defaultConfig.iterations));
    record(`plans.${task}.${name}.evaluation.read`, Math.round(mean(r.read) / mean(r.evaluations)));
    record(`plans.${task}.${name}.evaluation.computed`, Math.round(mean(r.computed) / mean(r.evaluations)));
  }
  const get = (name: string) => byPlan.get(name) ?? { acc: [0], U: [0], read: [1], computed: [1], skipped: [0], evaluations: [1] };
  record(`plans.${task}.blocksMinusLeaveOneOut`, round(mean(get('blocks').acc) - mean(get('leaveOneOut').acc)));
  record(`plans.${task}.treeMinusLeaveOneOutU`, round(mean(get('tree').U) - mean(get('leaveOneOut').U), 6));
  const dflt = get(PREFIX_NAME);
  record(`plans.${task}.prefixDefault.computedVsBlocks`, round(mean(dflt.computed) / mean(get('blocks').read), 3));
  record(`plans.${task}.prefixDefault.computedVsBlocksCached`, round(mean(dflt.computed) / mean(get('blocks').computed), 3));
  record(`plans.${task}.prefixDefault.minusBlocks`, round(mean(dflt.acc) - mean(get('blocks').acc)));
}

async function tokenFigures(ds: Dataset, task: string) {
  for (const n of quick ? [32, 128] : [32, 128, 256]) {
    const { problem, gold, model } = setup(ds, n, 1);
    const labels = gold.map((g) => g ?? false);
    const cost = (p: (typeof PLANS)[number]) => planCost(planSequences(labels, configFor(p, 1, n)), model.segmentTokens);
    const loo = cost(PLANS[0]);
    const N = labels.length;
    const L = planCost([labels.map((l, i) => ({ item: i, read: false, label: l }))], model.segmentTokens).read / N;
    record(`plans.${task}.N${n}.labeled`, N); // whole groups: up to n
    record(`plans.${task}.N${n}.tokensPerItem`, round(L));
    for (const p of PLANS) {
      const c = cost(p);
      record(`plans.${task}.N${n}.${p.name}.tokensPerEvaluation`, c.read);
      record(`plans.${task}.N${n}.${p.name}.computedPerEvaluation`, c.computed);
      record(`plans.${task}.N${n}.${p.name}.ratioToLeaveOneOut`, round(loo.read / c.read));
      record(`plans.${task}.N${n}.${p.name}.computedVsOfficial`, round(c.computed / loo.computed, 3));
      if (p.plan === 'tree') record(`plans.${task}.N${n}.tree.computedOverNLog2NL`, round(c.computed / (N * Math.log2(N) * L), 3));
      if (n === defaultConfig.poolSize) continue; // the pool-128 runs are in accuracyFigures, over every seed
      if (n === 256 && p.plan === 'leaveOneOut') continue; // N² tokens a step: hours on a real model, minutes here
      const state = await runICM(problem, configFor(p, 1, n), model);
      const t = runTokens(state);
      for (const k of ['read', 'computed', 'skipped'] as const) record(`plans.${task}.N${n}.${p.name}.run.${k}`, t[k]);
      record(`plans.${task}.N${n}.${p.name}.step.read`, Math.round(t.read / state.iteration));
      record(`plans.${task}.N${n}.${p.name}.step.computed`, Math.round(t.computed / state.iteration));
      record(`plans.${task}.N${n}.${p.name}.evaluation.read`, Math.round(t.read / t.evaluations));
      record(`plans.${task}.N${n}.${p.name}.evaluation.computed`, Math.round(t.computed / t.evaluations));
    }
  }
}

async function simulatedBench() {
  console.log(`ICM on the simulated model; seeds ${SEEDS.join(', ')}; accuracy in %`);
  for (const ds of builtinDatasets()) {
    const task = ds.id.replace(/^builtin-/, '');
    await accuracyFigures(ds, task);
    await tokenFigures(ds, task);
    for (const [k, v] of Object.entries(await simulatedCurves(ds))) record(`calibration.sim.${task}.${k}`, v);
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
    const plots = await plots5000();
    if (plots === null) console.log('browser.plots5000: skipped (no built app or no Chromium; run `npm run build`)');
    else {
      record('browser.plots5000.seconds', round(plots.seconds));
      record('browser.plots5000.playingMs', round(plots.playingMs));
      record('browser.plots5000.clickingMs', round(plots.clickingMs));
      record('browser.plots5000.reopeningMs', round(plots.reopeningMs));
    }
    // what a first visit waits for (issue 25, item 4): reported, not asserted
    for (const [kind, port] of [['dev', 4183], ['build', 4184]] as const) {
      const times = await firstVisit(kind, port);
      if (times === null) console.log(`browser.firstVisit.${kind}: skipped (no built app or no Chromium)`);
      else for (const [k, v] of Object.entries(times)) record(`browser.firstVisit.${kind}.${k}`, round(v, k === 'loadAverage' ? 2 : 0));
    }
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
        record('browser.import50000Ms.scrollWorstLongTaskMs', round(ui.scrollWorstLongTaskMs));
      }
    }
  }
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

/**
 * How long a full default run (pool 128, 1000 steps) takes on a real model: the tokens such a run
 * computes on a prefix-caching backend (plans.<task>.treeBlocks.run.computed, counted on the
 * simulated model's reads) at a measured prompt speed. Estimates, not timings: a real model's
 * tokenizer and acceptances differ, and a server spends more than its prompt tokens per request.
 */
function fullRunEstimates(all: Record<string, number | number[]>) {
  const num = (k: string) => (typeof all[k] === 'number' ? (all[k] as number) : null);
  for (const ds of builtinDatasets()) {
    const task = ds.id.replace(/^builtin-/, '');
    const computed = num(`plans.${task}.${PREFIX_NAME}.run.computed`);
    if (computed === null) continue;
    for (const m of realModels) {
      const speeds: [string, number | null][] = [
        ['server', num(`real.${m.id}.server.promptTokensPerSecond`)],
        ['wllama', num(`wllama.${m.id}.${configKey(defaultConfigs()[0])}.reader.tokensPerSecond`)],
      ];
      for (const [where, speed] of speeds) if (speed) record(`estimate.${task}.${m.id}.${where}Hours`, round(computed / speed / 3600, 1));
    }
    // a laptop GPU reads a 0.5 B model's prompt at about 1–3 k tokens a second (not measured here: no GPU)
    for (const speed of [1000, 3000]) record(`estimate.${task}.gpu${speed}Minutes`, round(computed / speed / 60));
  }
}

/** Issue 26: what a repair costs, before and after; the real part on the first bench model (minutes). */
async function fixBench() {
  console.log('What ConsistencyFix costs, before and after issue 26 (scripts/bench-fix.ts)');
  if (!realOnly) await fixBenchSimulated(record, quick);
  if (noReal) return;
  const fixtures = realFixtures();
  if (fixtures.python === null) console.log(fixtures.reason);
  else if (existsSync(benchModels[0].path)) await fixBenchReal(fixtures.python, benchModels[0], record, { steps: fixSteps });
}

// the default models, or the one named (an opt-in model is fetched first: `npm run models -- --model ID`)
const benchModels = onlyModel ? [realModel(onlyModel)] : defaultModels;
if (!noReal && onlyModel && realModel(onlyModel).optIn) await ensureModels({ models: benchModels });
if (fixOnly) await fixBench();
else if (!realOnly) await simulatedBench();
if (!noReal && !fixOnly) {
  const fixtures = realFixtures();
  if (fixtures.python === null) console.log(fixtures.reason);
  else {
    console.log(`Real models behind llama.cpp's server${quick ? ' (quick sizes)' : ''}; accuracy in %`);
    await realBench({ python: fixtures.python, models: benchModels, datasets: builtinDatasets(), quick, record });
  }
  // the llama.cpp (WebAssembly) backend in headless Chromium, on the same files (issue 12)
  for (const m of noWllama ? [] : benchModels.filter((m) => existsSync(m.path))) {
    console.log(`${m.name} in llama.cpp (WebAssembly), headless Chromium`);
    const before = 'wllama.wllama.2'; // the app before issue 23 on two cores: wllama's build and settings, two threads
    const gpuBuild = 'webgpu.reader.1'; // the GPU path's build (wllama 3), on the CPU here: no GPU llama.cpp can use
    const configs = quick ? defaultConfigs() : [...defaultConfigs(), gpuBuild];
    const icm = quick ? [configs[0]] : [configs[0], before, gpuBuild];
    const figures = await wllamaBench({ model: m.path, configs, icm, items: 32, steps: quick ? 1 : 2, pool: quick ? 4 : 8, task: 'builtin-factual', timeoutS: 3600, log: (l) => console.log(`  ${l}`) });
    if (figures === null) console.log('wllama: skipped (no Chromium)');
    else
      for (const [k, v] of Object.entries(figures))
        if (typeof v === 'number') record(k.startsWith('native.') ? `native.${m.id}.${k.slice(7)}` : `wllama.${m.id}.${k}`, v);
  }
}
if (!fixOnly) await fixBench();
const previous = existsSync('bench-results.json') ? (JSON.parse(readFileSync('bench-results.json', 'utf8')) as Record<string, number | number[]>) : {};
fullRunEstimates({ ...previous, ...results });
writeFileSync('bench-results.json', JSON.stringify({ ...previous, ...results }, null, 2) + '\n');
console.log('wrote bench-results.json');
