// Scoring plans: which sequences to read to get every labeled item's log-odds given
// the other labeled items (DESIGN §3). The paper's exact plan is leave-one-out: one
// sequence per labeled item, all other labeled items as demonstrations in pool order
// (grouped, as the official code sorts them), the target last. O(N²·L) tokens.

import type { LabelModel, Segment } from './model';
import { logOdds } from './model';
import { labeledItems, type Labels } from './problem';

export interface Reads {
  logOdds: (number | null)[]; // per pool item; null when unlabeled
  tokens: number;
}

/** The sequence that reads `target` with every other labeled item as a demonstration. */
export function leaveOneOutSequence(labels: Labels, target: number): Segment[] {
  const segments: Segment[] = [];
  for (const j of labeledItems(labels)) if (j !== target) segments.push({ item: j, read: false, label: labels[j] });
  segments.push({ item: target, read: true, label: null });
  return segments;
}

/** Reads every labeled item, one leave-one-out sequence each. */
export async function readLeaveOneOut(labels: Labels, model: LabelModel): Promise<Reads> {
  const out: (number | null)[] = labels.map(() => null);
  let tokens = 0;
  for (const i of labeledItems(labels)) {
    const result = await model.readSequence(leaveOneOutSequence(labels, i));
    out[i] = logOdds(result.reads[0]);
    tokens += result.tokens;
  }
  return { logOdds: out, tokens };
}
