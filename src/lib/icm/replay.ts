// Replay: the persisted log is enough to rebuild the labeling at every step without the model.
// Initial labels are the seeds after ConsistencyFix; an accepted step sets the sampled item to
// its proposal and then applies ConsistencyFix's moves; a rejected or unchanged step changes
// nothing. Used by the step inspector (what D looked like before a step) and to replay a run.

import type { InitEvent, StepEvent } from './search';
import { changedLast } from './plan';
import type { Labels } from './problem';

export function initialLabels(poolSize: number, init: InitEvent): Labels {
  const labels: Labels = Array.from({ length: poolSize }, (_, i) => init.fixed?.[i] ?? null);
  init.seeds.forEach((item, k) => (labels[item] = init.seedLabels[k]));
  applyFixes(labels, init.fixes);
  return labels;
}

function applyFixes(labels: Labels, fixes: InitEvent['fixes']): void {
  for (const f of fixes) {
    labels[f.items[0]] = f.to[0];
    labels[f.items[1]] = f.to[1];
  }
}

/** The labeling after `step` (a new array). */
export function applyStep(labels: Labels, step: StepEvent): Labels {
  const next = [...labels];
  if (!step.accepted) return next;
  next[step.item] = step.proposal;
  applyFixes(next, step.fixes);
  return next;
}

/** The labeling before step number `iteration` (1-based): after the init and steps 1 … iteration−1. */
export function labelsBefore(poolSize: number, init: InitEvent, steps: StepEvent[], iteration: number): Labels {
  let labels = initialLabels(poolSize, init);
  for (const s of steps) {
    if (s.iteration >= iteration) break;
    labels = applyStep(labels, s);
  }
  return labels;
}

/**
 * D and its reading order before step number `iteration` (RunState.order, which the tree plans read
 * in): the seeds' changes after ConsistencyFix go last, then each accepted step's changes.
 */
export function stateBefore(poolSize: number, init: InitEvent, steps: StepEvent[], iteration: number): { labels: Labels; order: number[] } {
  const seeded: Labels = Array.from({ length: poolSize }, (_, i) => init.fixed?.[i] ?? null);
  init.seeds.forEach((item, k) => (seeded[item] = init.seedLabels[k]));
  let labels = initialLabels(poolSize, init);
  let order = changedLast([], seeded, labels);
  for (const s of steps) {
    if (s.iteration >= iteration) break;
    const next = applyStep(labels, s);
    if (s.accepted) order = changedLast(order, labels, next);
    labels = next;
  }
  return { labels, order };
}
