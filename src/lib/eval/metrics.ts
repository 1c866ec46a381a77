// How methods compare on the same items: accuracy against gold with a bootstrap 95%
// confidence interval (evaluation only), label balance, and pairwise agreement. Label
// arrays are aligned: index i is the same item in every array; null means unlabeled.

import { Rng } from '../icm/rng';
import { countLabels } from '../icm/score';

export type LabelList = readonly (boolean | null)[];
export type GoldList = readonly (boolean | undefined)[];

export interface AccuracyCI {
  accuracy: number; // share of items with a label and gold where they agree
  low: number; // 2.5th percentile of the bootstrap accuracies
  high: number; // 97.5th percentile
  n: number; // items with both a label and gold
}

export const BOOTSTRAP_RESAMPLES = 1000;

/**
 * Accuracy with a percentile bootstrap interval: resample the n scored items with replacement
 * `resamples` times (seeded, so the interval is reproducible), take the accuracies' 2.5th and
 * 97.5th percentiles by nearest rank (sorted[⌊0.025·R⌋] and sorted[⌈0.975·R⌉ − 1]).
 * null when no item has both a label and gold.
 */
export function accuracyWithCI(labels: LabelList, gold: GoldList, seed = 1, resamples = BOOTSTRAP_RESAMPLES): AccuracyCI | null {
  const correct: number[] = [];
  labels.forEach((l, i) => {
    const g = gold[i];
    if (l !== null && g !== undefined) correct.push(l === g ? 1 : 0);
  });
  const n = correct.length;
  if (n === 0) return null;
  const right = correct.reduce((a, b) => a + b, 0);
  const rng = Rng.fromSeed(seed);
  const accs = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += correct[rng.int(n)];
    accs[b] = sum / n;
  }
  accs.sort();
  return { accuracy: right / n, low: accs[Math.floor(0.025 * resamples)], high: accs[Math.ceil(0.975 * resamples) - 1], n };
}

/** Share of labeled items labeled True; null when none is labeled. */
export function labelBalance(labels: LabelList): number | null {
  const { trues, labeled } = countLabels(labels);
  return labeled === 0 ? null : trues / labeled;
}

/** Share of items labeled by both with equal labels; null when no item is labeled by both. */
export function agreement(a: LabelList, b: LabelList): number | null {
  let same = 0;
  let n = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === null || y === null) continue;
    n++;
    if (x === y) same++;
  }
  return n === 0 ? null : same / n;
}

export interface MethodLabels {
  name: string; // e.g. 'ICM', 'Zero-shot'
  labels: LabelList;
}

export interface MethodSummary {
  name: string;
  labeled: number;
  balance: number | null; // share True
  accuracy: AccuracyCI | null; // null without gold
}

export interface Comparison {
  methods: MethodSummary[];
  agreement: (number | null)[][]; // agreement[i][j] between methods i and j (1 on the diagonal when labeled)
}

/** The side-by-side table: every method's figures and the agreement between each two. */
export function compareMethods(methods: MethodLabels[], gold: GoldList, seed = 1): Comparison {
  return {
    methods: methods.map((m) => ({
      name: m.name,
      labeled: m.labels.filter((l) => l !== null).length,
      balance: labelBalance(m.labels),
      accuracy: accuracyWithCI(m.labels, gold, seed),
    })),
    agreement: methods.map((a) => methods.map((b) => agreement(a.labels, b.labels))),
  };
}
