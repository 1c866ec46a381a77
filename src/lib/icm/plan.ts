// Scoring plans: which sequences the model reads to get every labeled item's log-odds given
// the other labeled items (DESIGN §3). In the browser a search step costs what the model reads.
//
//   'leaveOneOut' (paper, official code): one sequence per labeled item, every other labeled
//       item as a demonstration (pool order, so groups stay together), the target last.
//       N sequences of N items: O(N²·L) tokens per evaluation of U.
//   'blocks': the labeled items are dealt into B blocks; one sequence per block reads each of
//       its items in turn, with the other blocks' items as demonstrations before them and the
//       block's earlier items (with their labels) too. B sequences of N items: O(B·N·L), N/B
//       times fewer tokens; each read still sees at least (B−1)/B of the others.
//
// Reads are cached by sequence: a sequence whose segments up to its last read are unchanged is
// not read again, within a step (ConsistencyFix revisits labelings) or from the last accepted
// evaluation (after a one-label change, the changed item's own leave-one-out read is unchanged).

import type { ICMConfig } from './config';
import type { LabelModel, Segment } from './model';
import { logOdds, packSegments } from './model';
import { labeledItems, type Labels } from './problem';

export type PlanKind = 'leaveOneOut' | 'blocks';

export interface Reads {
  logOdds: (number | null)[]; // per pool item; null when unlabeled
  tokens: number; // tokens actually read (cached sequences cost nothing)
}

type PlanConfig = Pick<ICMConfig, 'plan' | 'blocks'>;

/** The sequence that reads `target` with every other labeled item as a demonstration. */
export function leaveOneOutSequence(labels: Labels, target: number): Segment[] {
  const segments: Segment[] = [];
  for (const j of labeledItems(labels)) if (j !== target) segments.push({ item: j, read: false, label: labels[j] });
  segments.push({ item: target, read: true, label: null });
  return segments;
}

/** Block b's sequence: the other blocks as demonstrations, then b's items, each read before its label. */
function blockSequence(labeled: number[], labels: Labels, B: number, b: number): Segment[] {
  const demos: Segment[] = [];
  const reads: Segment[] = [];
  labeled.forEach((j, k) => {
    if (k % B === b) reads.push({ item: j, read: true, label: labels[j] });
    else demos.push({ item: j, read: false, label: labels[j] });
  });
  reads[reads.length - 1] = { ...reads[reads.length - 1], label: null }; // nothing reads after the last label
  return [...demos, ...reads];
}

/** Every sequence of the plan; together they read each labeled item exactly once. */
export function planSequences(labels: Labels, plan: PlanConfig): Segment[][] {
  const labeled = labeledItems(labels);
  if (plan.plan === 'leaveOneOut') return labeled.map((i) => leaveOneOutSequence(labels, i));
  const B = Math.min(plan.blocks, labeled.length);
  return Array.from({ length: B }, (_, b) => blockSequence(labeled, labels, B, b));
}

/**
 * The sequence a step's proposal for `item` is read from, given D before the step (`labels`),
 * up to that read: an unlabeled item's leave-one-out sequence; for a labeled item, the last
 * evaluation already read it, in the plan's sequence that reads it (a block, under 'blocks').
 * The search reads by it and the step inspector shows it, so the text shown is the text read.
 */
export function proposalSequence(labels: Labels, item: number, plan: PlanConfig): Segment[] {
  if (labels[item] === null) return leaveOneOutSequence(labels, item);
  for (const seq of planSequences(labels, plan)) {
    const at = seq.findIndex((s) => s.read && s.item === item);
    if (at >= 0) return [...seq.slice(0, at), { item, read: true, label: null }];
  }
  return leaveOneOutSequence(labels, item); // unreachable: the plan reads every labeled item
}

/** Sequences already read, keyed by their segments up to the last read (what the reads depend on). */
export class ReadCache {
  private map = new Map<string, number[]>();

  static key = packSegments;
  get(segments: Segment[]): number[] | undefined {
    return this.map.get(ReadCache.key(segments));
  }
  set(segments: Segment[], logOdds: number[]): void {
    this.map.set(ReadCache.key(segments), logOdds);
  }
}

/** A cache that knows the reads of the labeling last evaluated (its per-item log-odds). */
export function cacheFrom(labels: Labels, lastLogOdds: (number | null)[], plan: PlanConfig): ReadCache {
  const cache = new ReadCache();
  for (const seq of planSequences(labels, plan)) {
    const reads = seq.filter((s) => s.read).map((s) => lastLogOdds[s.item]);
    if (reads.every((r): r is number => r !== null && r !== undefined)) cache.set(seq, reads);
  }
  return cache;
}

/** Reads one sequence through the cache: its reads' log-odds and the tokens it cost. */
export async function readThrough(segments: Segment[], model: LabelModel, cache: ReadCache): Promise<{ logOdds: number[]; tokens: number }> {
  const hit = cache.get(segments);
  if (hit) return { logOdds: hit, tokens: 0 };
  const result = await model.readSequence(segments);
  const out = result.reads.map(logOdds);
  cache.set(segments, out);
  return { logOdds: out, tokens: result.tokens };
}

/** Reads every labeled item by the plan. */
export async function readPlan(labels: Labels, plan: PlanConfig, model: LabelModel, cache: ReadCache = new ReadCache()): Promise<Reads> {
  const out: (number | null)[] = labels.map(() => null);
  let tokens = 0;
  for (const seq of planSequences(labels, plan)) {
    const r = await readThrough(seq, model, cache);
    seq.filter((s) => s.read).forEach((s, k) => (out[s.item] = r.logOdds[k]));
    tokens += r.tokens;
  }
  return { logOdds: out, tokens };
}

/** Tokens one evaluation of U would read for this labeling, without a cache (for the benchmark). */
export async function planTokens(labels: Labels, plan: PlanConfig, model: LabelModel): Promise<number> {
  return (await readPlan(labels, plan, model)).tokens;
}

/** The paper's exact plan, reading everything (used by the baselines). */
export const readLeaveOneOut = (labels: Labels, model: LabelModel): Promise<Reads> => readPlan(labels, { plan: 'leaveOneOut', blocks: 1 }, model);
