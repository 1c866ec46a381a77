// The baselines ICM is compared with (paper §3): the same model and items, prompted
//   zero-shot:        each item alone
//   golden few-shot:  each item with every other pool item and its gold label in context
//   random few-shot:  the same, with random labels
// Predictions are argmax over the two labels. Gold is read here for evaluation only.

import type { LabelModel } from '../icm/model';
import { logOdds } from '../icm/model';
import { readLeaveOneOut } from '../icm/plan';
import type { Labels } from '../icm/problem';
import { Rng } from '../icm/rng';

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

/** Share of labeled items whose label equals gold; null when nothing is labeled or no gold. */
export function accuracy(labels: Labels, gold: (boolean | undefined)[]): number | null {
  let right = 0;
  let n = 0;
  labels.forEach((l, i) => {
    if (l === null || gold[i] === undefined) return;
    n++;
    if (l === gold[i]) right++;
  });
  return n === 0 ? null : right / n;
}
