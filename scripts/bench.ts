// npm run bench: the figures the README quotes, printed and written to bench-results.json.
//
// Keys (stable; the README documents them):
//   accuracy.<task>.zeroShot        zero-shot accuracy of the simulated model on the pool, %
//   accuracy.<task>.goldDemos       accuracy with every other pool item and its gold label in context, %
//   accuracy.<task>.randomDemos     the same with random labels, %
//   accuracy.<task>.icm             ICM's final accuracy, mean over seeds, %
//   accuracy.<task>.icmBySeed       ICM's final accuracy per seed, %
//   accuracy.<task>.icmMinusGold    icm − goldDemos, points (target: ≥ −3)
//   accuracy.<task>.icmMinusZeroShot icm − zeroShot, points (target: ≥ 10)
//   run.<task>.msPerStep            wall time of one ICM step with the simulated model, ms (mean)
// Run with the defaults of the app: the simulated model's defaults and the paper's ICM defaults.

import { writeFileSync } from 'node:fs';
import { builtinDatasets } from '../src/lib/data/builtin/index';
import type { Dataset } from '../src/lib/data/types';
import { accuracy, manyShot, randomLabels, zeroShot } from '../src/lib/eval/baselines';
import { defaultConfig, type ICMConfig } from '../src/lib/icm/config';
import { drawPool } from '../src/lib/icm/pool';
import { initialState, isDone, step } from '../src/lib/icm/search';
import { defaultSimulatedParams } from '../src/lib/model/params';
import { createSimulatedModel } from '../src/lib/model/simulated';

const SEEDS = [1, 2, 3];
const results: Record<string, number | number[]> = {};
const pct = (x: number | null) => Math.round((x ?? 0) * 1000) / 10;
const record = (key: string, value: number | number[]) => {
  results[key] = value;
  console.log(`${key.padEnd(40)} ${Array.isArray(value) ? value.join(', ') : value}`);
};

async function benchTask(ds: Dataset) {
  const task = ds.id.replace(/^builtin-/, '');
  const zs: number[] = [];
  const gd: number[] = [];
  const rd: number[] = [];
  const icm: number[] = [];
  let stepMs = 0;
  let steps = 0;
  for (const seed of SEEDS) {
    const config: ICMConfig = { ...defaultConfig, seed };
    const pool = drawPool(ds.items, config.poolSize, seed).map((i) => ds.items[i]);
    const gold = pool.map((it) => it.gold);
    const model = createSimulatedModel(ds.kind, pool, defaultSimulatedParams);
    zs.push(pct(accuracy((await zeroShot(model, pool.length)).labels, gold)));
    gd.push(pct(accuracy((await manyShot(model, gold as boolean[])).labels, gold)));
    rd.push(pct(accuracy((await manyShot(model, randomLabels(pool.length, seed))).labels, gold)));
    const problem = { items: pool.map(({ group, key }) => ({ group, key })), comparison: ds.kind === 'comparison' };
    let { state } = await initialState(problem, config, model);
    const t0 = performance.now();
    while (!isDone(state, config)) state = (await step(problem, state, config, model)).state;
    stepMs += performance.now() - t0;
    steps += state.iteration;
    icm.push(pct(accuracy(state.labels, gold)));
  }
  const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
  record(`accuracy.${task}.zeroShot`, mean(zs));
  record(`accuracy.${task}.goldDemos`, mean(gd));
  record(`accuracy.${task}.randomDemos`, mean(rd));
  record(`accuracy.${task}.icm`, mean(icm));
  record(`accuracy.${task}.icmBySeed`, icm);
  record(`accuracy.${task}.icmMinusGold`, Math.round((mean(icm) - mean(gd)) * 10) / 10);
  record(`accuracy.${task}.icmMinusZeroShot`, Math.round((mean(icm) - mean(zs)) * 10) / 10);
  record(`run.${task}.msPerStep`, Math.round((stepMs / steps) * 1000) / 1000);
}

console.log(`ICM on the simulated model, defaults, seeds ${SEEDS.join(', ')} (accuracy in %, averaged over seeds)`);
for (const ds of builtinDatasets()) await benchTask(ds);
writeFileSync('bench-results.json', JSON.stringify(results, null, 2) + '\n');
console.log('wrote bench-results.json');
