// The scoring function (paper §2.1–2.3): U(D) = α·P(D) − I(D).
//
// P, mutual predictability, from each labeled item's read given all the others:
//   'logOdds' (official code): mean_i ±[log P(True) − log P(False)], + for label True   (nats)
//   'logProb' (paper eq. 1):   Σ_i log P(y_i | x_i, D∖i), normalised over the two labels (nats)
// A cheap knob never redoes expensive work: changing α or the P form recomputes U from the
// same reads, without asking the model again.

import type { PForm } from './config';
import type { Labels } from './problem';

export interface Score {
  U: number; // α·P − I
  P: number; // mutual predictability, nats
  I: number; // inconsistent pairs
}

/** ±(log P(True) − log P(False)) for the item's own label: positive when the model agrees. */
export const signedLogOdds = (label: boolean, logOdds: number): number => (label ? logOdds : -logOdds);

/** log P(label) normalised over {True, False}: −log(1 + e^(−s)), computed stably. */
export function logProbOfLabel(label: boolean, logOdds: number): number {
  const s = signedLogOdds(label, logOdds);
  return s >= 0 ? -Math.log1p(Math.exp(-s)) : s - Math.log1p(Math.exp(s));
}

/** P(D) from per-item log-odds (null for unlabeled items). */
export function mutualPredictability(labels: Labels, logOdds: (number | null)[], form: PForm): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const lo = logOdds[i];
    if (label === null || lo === null) continue;
    sum += form === 'logOdds' ? signedLogOdds(label, lo) : logProbOfLabel(label, lo);
    n++;
  }
  if (form === 'logProb') return sum;
  return n === 0 ? 0 : sum / n;
}

/**
 * The mean log-odds of the labeled items from the last evaluation of U: the threshold of the
 * 'calibrated' proposals (a departure from the paper, see config.ts), 0 when none is labeled.
 */
export function meanLogOdds(labels: Labels, logOdds: (number | null)[]): number {
  let sum = 0;
  let n = 0;
  labels.forEach((l, i) => {
    const lo = logOdds[i];
    if (l === null || lo === null || lo === undefined) return;
    sum += lo;
    n++;
  });
  return n === 0 ? 0 : sum / n;
}

/** U = α·P − I, less the label-balance prior λ·(share True − share False)² where λ > 0. */
export const U = (alpha: number, P: number, I: number, balancePrior = 0, labels?: Labels): number =>
  alpha * P - I - (balancePrior > 0 && labels ? balancePrior * imbalance(labels) : 0);

/**
 * (share True − share False)² of the labeled items, 0 (balanced) to 1 (one label only).
 * Departure from the paper (off by default): a prior against labelings that say nothing. On data
 * whose answers do not exclude each other the consistency rules never penalise a constant
 * labeling, and ICM's proposals, which follow the labels in context, can drift to one.
 */
export function imbalance(labels: Labels): number {
  const { trues, labeled } = countLabels(labels);
  return labeled === 0 ? 0 : ((2 * trues - labeled) / labeled) ** 2;
}

/** How many items are labeled, and how many of them True. */
export function countLabels(labels: readonly (boolean | null)[]): { trues: number; labeled: number } {
  let trues = 0;
  let labeled = 0;
  for (const l of labels) {
    if (l === null) continue;
    labeled++;
    if (l) trues++;
  }
  return { trues, labeled };
}

/** σ(x): the probability of True from log-odds x. */
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The model's probability of an item's current label, from its log-odds. */
export const confidence = (label: boolean, logOdds: number): number => sigmoid(signedLogOdds(label, logOdds));
