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
//   'tree', 'treeBlocks': the same reads through a prefix tree, for a model with a prefix cache
//       (llama.cpp keeps the previous prompt and computes a new one from where they differ).
//       The sequences are a depth-first walk of a binary tree over leaf blocks; a leaf's
//       sequence is the sibling subtrees along its path from the root, then its own reads, so
//       consecutive sequences share everything above their lowest common node. Exact costs
//       with a one-prompt cache, L = tokens of an item with its label (plan.test.ts proves them):
//         'tree' (exact leave-one-out, a leaf per item): Σ_i depth_i·L + N·L computed tokens,
//             N·log₂N·L + N·L for N a power of two (N = 128: 8·N·L, against ≈ N²·L/2 = 64·N·L
//             for the flat plan on the same cache); N²·L read, as the flat plan.
//         'treeBlocks' (B leaf blocks, item i in block i mod B): N·(log₂B + 1)·L computed,
//             B·N·L read; each read sees the other blocks and its block's earlier items.
//
// Reads are cached one by one, keyed by the text before them: any read whose prefix is unchanged
// is reused, within a step (ConsistencyFix revisits labelings), from the last accepted evaluation,
// or, where the caller keeps the cache for the whole run, from any step before (a rejected step's
// ConsistencyFix candidates recur when the same item and label are proposed again); a sequence is
// cut after its last read that is not. After a one-label change
// only the reads with that label before them change; the tree plans put the items changed since
// the last accepted labeling last (changedLast), so their block's reads before them are reused
// and, when one changes again, its whole block. A model with a prefix cache is also read from
// the end of the walk that starts like what it holds (readPlan).

import type { ICMConfig } from './config';
import type { LabelModel, Segment, SegmentTokens } from './model';
import { logOdds } from './model';
import { labeledItems, type Labels } from './problem';

export const PLAN_KINDS = ['leaveOneOut', 'blocks', 'tree', 'treeBlocks'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export interface Reads {
  logOdds: (number | null)[]; // per pool item; null when unlabeled
  tokens: number; // tokens sent to the model (sequences served from the read cache cost nothing)
  computed: number; // of those, tokens the model computed (the rest came from its prefix cache)
  skipped: number; // tokens of sequences served from the read cache, never sent: what reuse saved
}

type PlanConfig = Pick<ICMConfig, 'plan' | 'blocks'>;

/** The sequence that reads `target` with every other labeled item as a demonstration. */
export function leaveOneOutSequence(labels: Labels, target: number): Segment[] {
  const segments: Segment[] = [];
  for (const j of labeledItems(labels)) if (j !== target) segments.push({ item: j, read: false, label: labels[j] });
  segments.push({ item: target, read: true, label: null });
  return segments;
}

const demos = (items: number[], labels: Labels): Segment[] => items.map((j) => ({ item: j, read: false, label: labels[j] }));

/** A block's items, each read before its label; nothing reads after the last label, so it has none. */
function blockReads(items: number[], labels: Labels): Segment[] {
  return items.map((j, k) => ({ item: j, read: true, label: k === items.length - 1 ? null : labels[j] }));
}

/** Block b's sequence: the other blocks as demonstrations, then b's items, each read before its label. */
function blockSequence(labeled: number[], labels: Labels, B: number, b: number): Segment[] {
  return [...demos(labeled.filter((_, k) => k % B !== b), labels), ...blockReads(labeled.filter((_, k) => k % B === b), labels)];
}

/**
 * The prefix tree over leaf blocks, walked depth first. A node splits its leaves into two halves;
 * every leaf under the first half reads with the second half's items as its next demonstrations,
 * and the other way round. So a leaf's sequence is the sibling subtrees along its path from the
 * root, then its own reads, and consecutive sequences share everything above their lowest common
 * node: with a cache of the previous prompt, each node's items are computed once per child.
 */
function treeWalk(leaves: number[][], labels: Labels, rank: Map<number, number>, prefix: Segment[], out: Segment[][]): void {
  if (leaves.length === 1) {
    out.push([...prefix, ...blockReads(leaves[0], labels)]);
    return;
  }
  const mid = Math.ceil(leaves.length / 2);
  const [first, second] = [leaves.slice(0, mid), leaves.slice(mid)];
  // a subtree's demonstrations in reading order, so the recently changed come last in it too
  const inOrder = (ls: number[][]) => ls.flat().sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
  treeWalk(first, labels, rank, [...prefix, ...demos(inOrder(second), labels)], out);
  treeWalk(second, labels, rank, [...prefix, ...demos(inOrder(first), labels)], out);
}

/**
 * The labeled items in reading order: by `order` (pool indices, recently changed last), then any
 * labeled item it does not list, in pool order. Order is free in every plan here: the paper's
 * leave-one-out puts every other item in context and does not fix their order.
 */
function readingOrder(labels: Labels, order: readonly number[] = []): number[] {
  const labeled = labeledItems(labels);
  const isLabeled = new Set(labeled);
  const seen = new Set<number>();
  const out: number[] = [];
  for (const i of order) if (isLabeled.has(i) && !seen.has(i)) (seen.add(i), out.push(i));
  for (const i of labeled) if (!seen.has(i)) out.push(i);
  return out;
}

/** `order` with the items whose label differs from `base` (newly labeled ones too) moved to the end. */
export function changedLast(order: readonly number[], base: Labels, labels: Labels): number[] {
  const all = [...new Set([...order, ...labels.keys()])];
  const changed = (i: number) => base[i] !== labels[i];
  return [...all.filter((i) => !changed(i)), ...all.filter(changed)];
}

/**
 * Every sequence of the plan, in the order to read them; together they read each labeled item
 * exactly once. The flat plans ('leaveOneOut', 'blocks') are today's, in pool order. The tree
 * plans read the same contexts through the prefix tree, in `order`:
 *   'tree'        exact leave-one-out: one leaf per item (each read sees all the others);
 *   'treeBlocks'  B leaf blocks, item i in block i mod B (so a new label moves no other item),
 *                 each read sees the other blocks and its block's earlier items.
 */
export function planSequences(labels: Labels, plan: PlanConfig, order: readonly number[] = []): Segment[][] {
  if (plan.plan === 'leaveOneOut') return labeledItems(labels).map((i) => leaveOneOutSequence(labels, i));
  if (plan.plan === 'blocks') {
    const labeled = labeledItems(labels);
    const B = Math.min(plan.blocks, labeled.length);
    return Array.from({ length: B }, (_, b) => blockSequence(labeled, labels, B, b));
  }
  const items = readingOrder(labels, order);
  if (items.length === 0) return [];
  const leaves = plan.plan === 'tree' ? items.map((i) => [i]) : Array.from({ length: plan.blocks }, (_, b) => items.filter((i) => i % plan.blocks === b)).filter((l) => l.length > 0);
  const out: Segment[][] = [];
  treeWalk(leaves, labels, new Map(items.map((i, k) => [i, k])), [], out);
  return out;
}

/**
 * The sequence a step's proposal for `item` is read from, given D before the step (`labels`) and
 * its reading order, up to that read. For a labeled item the last evaluation already read it, in
 * the plan's sequence that reads it (a block, under the blocks plans). An unlabeled item is read
 * with every labeled item before it: in pool order, or, for a model with a prefix cache (`held`:
 * the tokens of a sequence it holds), in the order of the plan's first or last sequence, whichever
 * it holds more of: the same context, so the same read up to order. The search reads by it and the
 * step inspector shows it, so the text shown is the text read.
 */
export function proposalSequence(labels: Labels, item: number, plan: PlanConfig, order: readonly number[] = [], held?: (segments: Segment[]) => number): Segment[] {
  const flat = leaveOneOutSequence(labels, item);
  if (labels[item] === null && !held) return flat;
  const sequences = planSequences(labels, plan, order);
  if (labels[item] !== null) {
    for (const seq of sequences) {
      const at = seq.findIndex((s) => s.read && s.item === item);
      if (at >= 0) return [...seq.slice(0, at), { item, read: true, label: null }];
    }
    return flat; // unreachable: the plan reads every labeled item
  }
  if (!held || sequences.length === 0) return flat;
  const asDemos = (seq: Segment[]): Segment[] => [...seq.map((s) => ({ item: s.item, read: false, label: labels[s.item] })), { item, read: true, label: null }];
  const options = [flat, asDemos(sequences[0]), asDemos(sequences[sequences.length - 1])];
  const tokens = options.map(held);
  return options[tokens.indexOf(Math.max(...tokens))];
}

/** Tokens of the text `a` and `b` start with: their common segments' inputs and labels (reads do not change the text). */
function sharedPrefixTokens(a: Segment[], b: Segment[], tokensOf: SegmentTokens): number {
  let shared = 0;
  for (let k = 0; k < Math.min(a.length, b.length) && a[k].item === b[k].item; k++) {
    const t = tokensOf(a[k].item);
    shared += t.input;
    if (a[k].label === null || a[k].label !== b[k].label) break; // the texts part after this input
    shared += t.label;
  }
  return shared;
}

/** Tokens of a whole sequence. */
export function sequenceTokens(segments: Segment[], tokensOf: SegmentTokens): number {
  let tokens = 0;
  for (const s of segments) {
    const t = tokensOf(s.item);
    tokens += s.label === null ? t.input : t.input + t.label;
  }
  return tokens;
}

/**
 * Tokens of `segments` a cache holding the prompt `previous` saves: their shared text, but no
 * further than one token before the first read, whose logits must be computed (a cache keeps keys
 * and values, not logits).
 */
export function reusableTokens(previous: Segment[] | null, segments: Segment[], tokensOf: SegmentTokens): number {
  if (previous === null) return 0;
  let firstRead = 0;
  for (const s of segments) {
    firstRead += tokensOf(s.item).input;
    if (s.read) break;
    if (s.label !== null) firstRead += tokensOf(s.item).label;
  }
  return Math.min(sharedPrefixTokens(previous, segments, tokensOf), firstRead - 1);
}

export interface PlanCost {
  sequences: number;
  read: number; // tokens of every sequence
  computed: number; // with a cache that holds the previous prompt: each sequence from where it leaves the one before
}

/** A plan's cost per evaluation of U, from a cold cache (the benchmark's and the tests' figures). */
export function planCost(sequences: Segment[][], tokensOf: SegmentTokens): PlanCost {
  let read = 0;
  let computed = 0;
  sequences.forEach((seq, k) => {
    const total = sequenceTokens(seq, tokensOf);
    read += total;
    computed += total - reusableTokens(k === 0 ? null : sequences[k - 1], seq, tokensOf);
  });
  return { sequences: sequences.length, read, computed };
}

/** Σ over the leaves of their depth, for `n` leaves split in halves (the first rounded up). */
const depthSum = (n: number): number => (n <= 1 ? 0 : n + depthSum(Math.ceil(n / 2)) + depthSum(Math.floor(n / 2)));

/**
 * Item texts one evaluation of U reads and computes with a one-prompt prefix cache, for N labeled
 * items (labels not counted): the plans' costs in closed form, for the settings form. Blocks of
 * equal size are assumed; planCost measures any labeling exactly.
 */
export function planItemTexts(plan: PlanConfig, N: number): { read: number; computed: number } {
  const B = Math.max(1, Math.min(plan.blocks, N));
  switch (plan.plan) {
    case 'leaveOneOut': // sequence i shares the items before i − 1 with sequence i − 1
      return { read: N * N, computed: N <= 1 ? N : N + (N * (N + 1)) / 2 - 1 };
    case 'blocks':
      return { read: B * N, computed: B * N };
    case 'tree':
      return { read: N * N, computed: depthSum(N) + N };
    case 'treeBlocks':
      return { read: B * N, computed: (N * depthSum(B)) / B + N };
  }
}

/**
 * Reads already made, each keyed by the text before it (the segments up to and including the
 * read item's input): a read depends on nothing else, so any read whose prefix is unchanged is
 * reused, whichever sequence or evaluation it came from. Prefixes are numbered in a trie, so a
 * sequence's keys cost one short lookup per segment, not one long string per read.
 */
export class ReadCache {
  private nodes = new Map<number, number>(); // parent·2¹⁶ + part → node; part: 0 True, 1 False, 2 + item for its input
  private reads = new Map<number, number>(); // node after a read item's input → its log-odds

  /** A cache kept across steps holds at most about `limit` prefixes (trie nodes: about 70 bytes each,
   *  measured; a 400-step run on a pool of 128 makes 30–80 thousand). */
  constructor(private readonly limit = 500_000) {}

  /** Empties the cache when it has grown past its limit. Only between evaluations: keys from before are void after. */
  trim(): this {
    if (this.nodes.size > this.limit) {
      this.nodes.clear();
      this.reads.clear();
    }
    return this;
  }

  private child(parent: number, part: number): number {
    const key = parent * 65536 + part; // exact below 2⁵³: items < 65534 (pools are ≤ 5000), nodes < 2³⁷
    let node = this.nodes.get(key);
    if (node === undefined) this.nodes.set(key, (node = this.nodes.size + 1));
    return node;
  }
  /** The key of every read of `segments`, in order. */
  keys(segments: Segment[]): number[] {
    const keys: number[] = [];
    let node = 0;
    for (const s of segments) {
      node = this.child(node, 2 + s.item);
      if (s.read) keys.push(node);
      if (s.label !== null) node = this.child(node, s.label ? 0 : 1);
    }
    return keys;
  }
  get(key: number): number | undefined {
    return this.reads.get(key);
  }
  set(key: number, logOdds: number): void {
    this.reads.set(key, logOdds);
  }
}

/** `cache` (a new one by default), told the reads of the labeling last evaluated (its per-item log-odds), in the order it was read. */
export function cacheFrom(labels: Labels, lastLogOdds: (number | null)[], plan: PlanConfig, order: readonly number[] = [], cache = new ReadCache()): ReadCache {
  for (const seq of planSequences(labels, plan, order)) {
    const keys = cache.keys(seq);
    seq.filter((s) => s.read).forEach((s, k) => {
      const r = lastLogOdds[s.item];
      if (r !== null && r !== undefined) cache.set(keys[k], r);
    });
  }
  return cache;
}

interface SequenceResult {
  logOdds: number[]; // one per read of the sequence
  tokens: number; // tokens sent
  computed: number; // tokens the model computed
  skipped: number; // tokens not sent because their reads were reused
}

/**
 * Reads one sequence through the cache. Only the reads not cached are asked for: the sequence is
 * cut after the last of them (what follows only feeds reads already known), or not sent at all.
 */
export async function readThrough(segments: Segment[], model: LabelModel, cache: ReadCache, tokensOf?: SegmentTokens): Promise<SequenceResult> {
  const keys = cache.keys(segments);
  const known = keys.map((k) => cache.get(k));
  const readAt = segments.flatMap((s, k) => (s.read ? [k] : []));
  let lastMissing = known.length - 1;
  while (lastMissing >= 0 && known[lastMissing] !== undefined) lastMissing--;
  const full = tokensOf ? sequenceTokens(segments, tokensOf) : 0;
  if (lastMissing < 0) return { logOdds: known as number[], tokens: 0, computed: 0, skipped: full };
  const end = readAt[lastMissing];
  const missing = new Set(readAt.filter((_, r) => known[r] === undefined));
  const sent = segments.slice(0, end + 1).map((s, k) => ({ ...s, read: missing.has(k), label: k === end ? null : s.label }));
  const result = await model.readSequence(sent);
  let next = 0;
  const out = known.map((r, k) => {
    if (r !== undefined) return r;
    const lo = logOdds(result.reads[next++]);
    cache.set(keys[k], lo);
    return lo;
  });
  const skipped = tokensOf ? full - sequenceTokens(sent, tokensOf) : 0;
  return { logOdds: out, tokens: result.tokens, computed: result.computed, skipped };
}

/**
 * Reads every labeled item by the plan. A model with a prefix cache is read from the end of the
 * walk that starts like what it holds: walked backwards the sequences share the same prefixes, so
 * this only saves the first sequence's shared part (the previous evaluation differs in a label or two).
 */
export async function readPlan(labels: Labels, plan: PlanConfig, model: LabelModel, cache: ReadCache = new ReadCache(), order: readonly number[] = []): Promise<Reads> {
  const out: (number | null)[] = labels.map(() => null);
  let sequences = planSequences(labels, plan, order);
  if (model.cachedPrefix && sequences.length > 1 && model.cachedPrefix(sequences[sequences.length - 1]) > model.cachedPrefix(sequences[0])) sequences = [...sequences].reverse();
  const reads: Reads = { logOdds: out, tokens: 0, computed: 0, skipped: 0 };
  for (const seq of sequences) {
    const r = await readThrough(seq, model, cache, model.segmentTokens);
    seq.filter((s) => s.read).forEach((s, k) => (out[s.item] = r.logOdds[k]));
    reads.tokens += r.tokens;
    reads.computed += r.computed;
    reads.skipped += r.skipped;
  }
  return reads;
}

/** The paper's exact plan, reading everything (used by the baselines). */
export const readLeaveOneOut = (labels: Labels, model: LabelModel): Promise<Reads> => readPlan(labels, { plan: 'leaveOneOut', blocks: 1 }, model);
