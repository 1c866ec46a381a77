// The baselines ICM is compared with (paper §3 and its critiques): the same model and items, prompted
//   zero-shot:        each item alone
//   golden few-shot:  each item with the demonstration pool and its gold labels in context
//   random few-shot:  the same, with random labels
//   bootstrapped:     start the pool from random (or zero-shot) labels, then a few rounds of
//                     relabeling each pool item by its many-shot prediction given the others'
//                     current labels; predict with the final labels (no search, no consistency)
// Predictions are argmax over the two labels. Gold is read only by golden few-shot, whose
// point is to use it, and by the metrics (evaluation only).

import type { LabelModel } from '../icm/model';
import { logOdds } from '../icm/model';
import { readLeaveOneOut } from '../icm/plan';
import type { Labels } from '../icm/problem';
import { Rng } from '../icm/rng';
import { predictAll, type Demo, type LabelTheRestProgress, type Prediction } from './labelTheRest';

export interface Predictions {
  labels: boolean[];
  tokens: number;
}

export async function zeroShot(model: LabelModel, n: number): Promise<Predictions> {
  const labels: boolean[] = [];
  let tokens = 0;
  for (let i = 0; i < n; i++) {
    const r = await model.readSequence([{ item: i, read: true, label: null }]);
    labels.push(logOdds(r.reads[0]) > 0);
    tokens += r.tokens;
  }
  return { labels, tokens };
}

/** Every item predicted with all other items, labeled `demoLabels`, as demonstrations. */
export async function manyShot(model: LabelModel, demoLabels: boolean[]): Promise<Predictions> {
  const reads = await readLeaveOneOut(demoLabels, model);
  return { labels: reads.logOdds.map((lo) => (lo ?? 0) > 0), tokens: reads.tokens };
}

export const randomLabels = (n: number, seed: number): boolean[] => {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: n }, () => rng.next() < 0.5);
};

export { accuracy } from './figures'; // where the baselines' callers have always found it

export type BaselineMethod = 'zeroShot' | 'randomFewShot' | 'bootstrapped' | 'goldenFewShot';

export const baselineNames: Record<BaselineMethod, string> = {
  zeroShot: 'Zero-shot',
  randomFewShot: 'Few-shot, random labels',
  bootstrapped: 'Bootstrapped few-shot',
  goldenFewShot: 'Few-shot, gold labels',
};

/** Item indices are the model's (Segment.item). */
export interface BaselineSetup {
  targets: number[]; // the items to label: the same ones ICM's labels are compared on
  demoPool: number[]; // the items that may be demonstrations, in order: a set that fits the context (ICM's pool)
  gold: readonly (boolean | undefined)[]; // per model item; golden few-shot only
  seed: number; // random labels
  rounds?: number; // bootstrapping rounds (default 3)
  bootstrapStart?: 'random' | 'zeroShot'; // bootstrapping's starting labels (default random)
}

export interface BaselineResult {
  method: BaselineMethod;
  predictions: Prediction[]; // one per target, in targets order
  demos: Demo[]; // the demonstrations the final predictions were made with (none for zero-shot)
  tokens: number;
}

export type BaselineOutcome = { ok: true; result: BaselineResult } | { ok: false; reason: 'stopped' | 'noGold'; message: string };

export interface BaselineOptions {
  signal?: AbortSignal;
  onProgress?: (p: LabelTheRestProgress) => void; // done / total over every read the method makes
}

export const DEFAULT_ROUNDS = 3;

/** The baselines this setup can run: golden few-shot needs gold on at least one pool item. */
export function availableBaselines(setup: Pick<BaselineSetup, 'demoPool' | 'gold'>): BaselineMethod[] {
  const hasGold = setup.demoPool.some((i) => setup.gold[i] !== undefined);
  return hasGold ? ['zeroShot', 'randomFewShot', 'bootstrapped', 'goldenFewShot'] : ['zeroShot', 'randomFewShot', 'bootstrapped'];
}

const STOPPED: BaselineOutcome = { ok: false, reason: 'stopped', message: 'Stopped before every item was labeled.' };

export async function runBaseline(model: LabelModel, method: BaselineMethod, setup: BaselineSetup, opts: BaselineOptions = {}): Promise<BaselineOutcome> {
  const { targets, demoPool } = setup;
  const rounds = method === 'bootstrapped' ? Math.max(0, Math.floor(setup.rounds ?? DEFAULT_ROUNDS)) : 0;
  const startReads = method === 'bootstrapped' && setup.bootstrapStart === 'zeroShot' ? demoPool.length : 0;
  const total = startReads + rounds * demoPool.length + targets.length;
  let before = 0; // reads done in earlier phases
  let tokens = 0;
  // one phase of reads, with progress counted across phases
  const phase = async (items: number[], demos: Demo[]) => {
    const r = await predictAll(model, items, demos, {
      signal: opts.signal,
      onProgress: (p) => opts.onProgress?.({ done: before + p.done, total, tokens: tokens + p.tokens }),
    });
    before += items.length;
    tokens += r.tokens;
    return r;
  };

  let demos: Demo[];
  if (method === 'zeroShot') demos = [];
  else if (method === 'randomFewShot') demos = withLabels(demoPool, randomLabels(demoPool.length, setup.seed));
  else if (method === 'goldenFewShot') {
    demos = demoPool.flatMap((item) => (setup.gold[item] === undefined ? [] : [{ item, label: setup.gold[item] as boolean }]));
    if (demos.length === 0) return { ok: false, reason: 'noGold', message: 'Few-shot with gold labels needs gold labels on the demonstration items; this dataset has none there.' };
  } else {
    let labels = randomLabels(demoPool.length, setup.seed);
    if (setup.bootstrapStart === 'zeroShot') {
      const r = await phase(demoPool, []);
      if (r.stopped) return STOPPED;
      labels = r.predictions.map((p) => p.label);
    }
    for (let k = 0; k < rounds; k++) {
      // every pool item relabeled from the others' labels of the previous round (leave-one-out)
      const r = await phase(demoPool, withLabels(demoPool, labels));
      if (r.stopped) return STOPPED;
      labels = r.predictions.map((p) => p.label);
    }
    demos = withLabels(demoPool, labels);
  }
  const final = await phase(targets, demos);
  if (final.stopped) return STOPPED;
  return { ok: true, result: { method, predictions: final.predictions, demos, tokens } };
}

const withLabels = (items: number[], labels: boolean[]): Demo[] => items.map((item, k) => ({ item, label: labels[k] }));
