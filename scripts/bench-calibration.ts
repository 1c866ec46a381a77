// Issue 11, item 4: the behaviours the simulated model assumes (DESIGN §4), measured on the real
// models and on the simulated one the same way, on samples large enough to draw curves from:
//   - how zero-shot leans: the share of targets called True, and the mean log-odds of " True";
//   - how predictions move with the share of demonstrations that fit the truth: D demonstrations
//     (the same for every target, so a prefix cache reads them once per share), a seeded share s
//     of them with their gold label and the rest flipped, then each of T other items read after them;
//   - whether following an inverted labeling is harder: accuracy against the flipped labels at
//     s = 0 beside accuracy against gold at s = 1.
// Keys calibration.<model>.<task>.{zeroShot,share<s>}.{accuracy,trueShare,logOdds}, demosTrueShare<s>,
// followsTruth, followsInversion, targets, demos; merged into bench-results.json.
//
//   npx tsx scripts/bench-calibration.ts [--model sim|smollm2|gemma3 …] [--demos 8] [--targets 40] [--task math …]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinDatasets } from '../src/lib/data/builtin/index';
import type { Dataset } from '../src/lib/data/types';
import { accuracy } from '../src/lib/eval/figures';
import { logOdds, type LabelModel } from '../src/lib/icm/model';
import { drawPool } from '../src/lib/icm/pool';
import { Rng } from '../src/lib/icm/rng';
import { defaultSimulatedParams } from '../src/lib/model/params';
import { simulatedModelFor } from '../workers/backends/simulated/model';
import { llamaServerPython, serverModelFor, startLlamaServer } from './llama-server';
import { realModel } from './real-models';

const SHARES = [0, 0.25, 0.5, 0.75, 1];

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (x: number | null) => round((x ?? 0) * 100);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** A seeded order of 0..n−1. */
const shuffled = (n: number, seed: number): number[] => Rng.fromSeed(seed).shuffle(Array.from({ length: n }, (_, i) => i));

/**
 * The curves of one model on one pool (model items 0..gold.length−1): the first `demos` items of a
 * seeded order are the demonstrations, the next `targets` the items read after them.
 */
export async function calibrationCurves(model: LabelModel, gold: boolean[], o: CurveOptions): Promise<Record<string, number>> {
  const order = shuffled(gold.length, o.seed);
  const demos = order.slice(0, o.demos);
  const targets = order.slice(o.demos, o.demos + o.targets);
  const out: Record<string, number> = { demos: demos.length, targets: targets.length };
  const summarise = (name: string, lo: number[]) => {
    const called = lo.map((x) => x > 0);
    out[`${name}.accuracy`] = pct(accuracy(called, targets.map((t) => gold[t])));
    out[`${name}.trueShare`] = pct(mean(called.map(Number)));
    out[`${name}.logOdds`] = round(mean(lo), 2);
  };
  // each target after the demonstrations with these labels (none: zero-shot)
  const readAfter = async (labels: boolean[] | null) => {
    const lo: number[] = [];
    for (const t of targets) {
      const context = labels ? demos.map((d, k) => ({ item: d, read: false, label: labels[k] })) : [];
      const r = await model.readSequence([...context, { item: t, read: true, label: null }]);
      lo.push(logOdds(r.reads[0]));
    }
    return lo;
  };
  summarise('zeroShot', await readAfter(null));
  const keepOrder = shuffled(demos.length, o.seed + 1); // which demonstrations keep their gold label
  for (const s of SHARES) {
    const keep = new Set(keepOrder.slice(0, Math.round(s * demos.length)));
    const labels = demos.map((d, k) => (keep.has(k) ? gold[d] : !gold[d]));
    const name = `share${Math.round(s * 100)}`;
    summarise(name, await readAfter(labels));
    out[`demosTrueShare${Math.round(s * 100)}`] = pct(mean(labels.map(Number)));
    if (s === 1) out.followsTruth = out[`${name}.accuracy`];
    if (s === 0) out.followsInversion = round(100 - out[`${name}.accuracy`]); // accuracy against the flipped labels
  }
  return out;
}

export interface CurveOptions {
  demos: number;
  targets: number;
  seed: number;
}
export const defaultCurveOptions: CurveOptions = { demos: 8, targets: 40, seed: 1 };

/** The pool the curves are read on: demos + targets items, drawn as whole groups. */
export const curvePool = (ds: Dataset, o: CurveOptions): number[] => drawPool(ds.items, o.demos + o.targets, o.seed);

/** The simulated model's curves at its defaults (`npm run bench` records them too). */
export function simulatedCurves(ds: Dataset, o: CurveOptions = defaultCurveOptions): Promise<Record<string, number>> {
  const indices = curvePool(ds, o);
  const model = simulatedModelFor(ds.kind, ds.items, indices, defaultSimulatedParams);
  return calibrationCurves(model, indices.map((i) => ds.items[i].gold ?? false), o);
}

const args = process.argv.slice(2);
const listArg = (name: string): string[] => {
  const out: string[] = [];
  args.forEach((a, i) => a === name && args[i + 1] && out.push(args[i + 1]));
  return out;
};
const numArg = (name: string, fallback: number) => Number(listArg(name)[0] ?? fallback);

async function main() {
  const models = listArg('--model').length ? listArg('--model') : ['sim', 'smollm2'];
  const tasks = listArg('--task');
  const datasets = builtinDatasets().filter((d) => !tasks.length || tasks.includes(d.id.replace(/^builtin-/, '')));
  const o: CurveOptions = { demos: numArg('--demos', defaultCurveOptions.demos), targets: numArg('--targets', defaultCurveOptions.targets), seed: numArg('--seed', defaultCurveOptions.seed) };
  const results: Record<string, number> = {};
  const record = (key: string, value: number) => {
    results[key] = value;
    console.log(`${key.padEnd(56)} ${value}`);
  };
  for (const id of models) {
    const t0 = performance.now();
    if (id === 'sim') {
      for (const ds of datasets) for (const [k, v] of Object.entries(await simulatedCurves(ds, o))) record(`calibration.sim.${ds.id.replace(/^builtin-/, '')}.${k}`, v);
      continue;
    }
    const python = llamaServerPython();
    if (!python) throw new Error('No llama.cpp server: run `npm run real-fixtures` first.');
    const m = realModel(id);
    const server = await startLlamaServer(python, m, { nCtx: 4096 });
    try {
      for (const ds of datasets) {
        const items = curvePool(ds, o).map((i) => ds.items[i]);
        const fig = await calibrationCurves(serverModelFor(server, ds, items, 900), items.map((it) => it.gold ?? false), o);
        for (const [k, v] of Object.entries(fig)) record(`calibration.${m.id}.${ds.id.replace(/^builtin-/, '')}.${k}`, v);
      }
    } finally {
      await server.close();
    }
    record(`calibration.${m.id}.seconds`, round((performance.now() - t0) / 1000));
  }
  const previous = existsSync('bench-results.json') ? (JSON.parse(readFileSync('bench-results.json', 'utf8')) as Record<string, unknown>) : {};
  writeFileSync('bench-results.json', JSON.stringify({ ...previous, ...results }, null, 2) + '\n');
  console.log('wrote bench-results.json');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
