import { describe, expect, it } from 'vitest';
import { packSegments, unpackSegments, type LabelModel, type Segment } from './model';
import { cacheFrom, changedLast, leaveOneOutSequence, PLAN_KINDS, planCost, planItemTexts, planSequences, proposalSequence, readPlan, ReadCache } from './plan';
import type { Labels } from './problem';
import { defaultConfig, planFor, settings, validateConfig, type ICMConfig } from './config';
import { initialState, step } from './search';
import { runSearch } from './run';
import { inconsistencyCount } from './consistency';
import { mutualPredictability, U } from './score';
import { toyModel, toyProblem } from './test-toy';
import { withPrefixCache } from '../model/prefix-cache';

type Reader = (segments: Segment[]) => { item: number; logTrue: number; logFalse: number }[];

// Log-odds from the labeled demonstrations before each read: as a sum (order does not matter, as
// for the simulated model) or as a running hash (order matters, as for a real LM).
const bagReader: Reader = (segments) => {
  let h = 0;
  const reads = [];
  for (const s of segments) {
    if (s.read) reads.push({ item: s.item, logTrue: Math.sin(h + s.item), logFalse: 0 });
    if (s.label !== null) h += s.label ? s.item + 1 : -(s.item + 1);
  }
  return reads;
};
const orderReader: Reader = (segments) => {
  let h = 7;
  const reads = [];
  for (const s of segments) {
    if (s.read) reads.push({ item: s.item, logTrue: Math.sin(h + s.item), logFalse: 0 });
    if (s.label !== null) h = (h * 31 + (s.label ? 2 * s.item + 1 : 2 * s.item)) % 1_000_003;
  }
  return reads;
};

// The counting fake: a model whose text is real tokens (item i's input is L(i) tokens, a label one)
// and which keeps the previous prompt, computing a new one from where their tokens differ, but at
// least from one token before the first read (whose logits it needs). Written token by token, apart
// from the plan's own cost functions, so the two can check each other.
function cachingModel(L: (item: number) => number = () => 10, reader: Reader = bagReader) {
  let previous: string[] = [];
  const calls: { segments: Segment[]; computed: number }[] = [];
  const text = (segments: Segment[]) => {
    const tokens: string[] = [];
    let firstRead = -1;
    for (const s of segments) {
      for (let t = 0; t < L(s.item); t++) tokens.push(`x${s.item}.${t}`);
      if (s.read && firstRead < 0) firstRead = tokens.length;
      if (s.label !== null) tokens.push(`y${s.item}${s.label}`);
    }
    return { tokens, firstRead };
  };
  const shared = (segments: Segment[]) => {
    const { tokens, firstRead } = text(segments);
    let k = 0;
    while (k < tokens.length && k < previous.length && tokens[k] === previous[k]) k++;
    return Math.min(k, firstRead - 1);
  };
  const model: LabelModel = {
    segmentTokens: (item) => ({ input: L(item), label: 1 }),
    cachedPrefix: shared,
    async readSequence(segments) {
      const { tokens } = text(segments);
      const computed = tokens.length - shared(segments);
      previous = tokens;
      calls.push({ segments, computed });
      return { reads: reader(segments), tokens: tokens.length, computed };
    },
  };
  return { model, calls, computed: () => calls.reduce((a, c) => a + c.computed, 0) };
}

const labelsOf = (n: number): Labels => Array.from({ length: n }, (_, i) => (i % 5 === 4 ? null : i % 3 === 0));
const allLabeled = (n: number): Labels => Array.from({ length: n }, (_, i) => i % 3 !== 1);
const labeledOf = (labels: Labels) => labels.flatMap((l, i) => (l === null ? [] : [i]));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
/** For every read: the labeled demonstrations before it. */
const contexts = (seqs: Segment[][]) =>
  new Map(seqs.flatMap((seq) => seq.flatMap((s, k) => (s.read ? [[s.item, sorted(seq.slice(0, k).filter((d) => d.label !== null).map((d) => d.item))] as const] : []))));

/** Σ over the tree's leaves of their depth, for the halving split (first half rounded up). */
const depthSum = (n: number): number => (n <= 1 ? 0 : n + depthSum(Math.ceil(n / 2)) + depthSum(Math.floor(n / 2)));

describe('flat plans (today’s)', () => {
  it('a sequence packs into a short string and back, and a string it did not write is refused', () => {
    const seq: Segment[] = [{ item: 12, read: false, label: true }, { item: 3, read: true, label: false }, { item: 0, read: true, label: null }];
    expect(packSegments(seq)).toBe('12T,3rF,0r,');
    expect(unpackSegments(packSegments(seq))).toEqual(seq);
    expect(unpackSegments('')).toEqual([]);
    expect(unpackSegments('12T,x,')).toBeNull();
    expect(unpackSegments('12T')).toBeNull();
  });

  it('blocks: B sequences that read every labeled item once, each with the other blocks in context', () => {
    const labels = labelsOf(40);
    const seqs = planSequences(labels, { plan: 'blocks', blocks: 4 });
    expect(seqs).toHaveLength(4);
    const read = sorted(seqs.flatMap((s) => s.filter((x) => x.read).map((x) => x.item)));
    expect(read).toEqual(labeledOf(labels));
    const N = read.length;
    for (const s of seqs) {
      expect(s).toHaveLength(N); // every labeled item once per sequence
      const firstRead = s.findIndex((x) => x.read);
      expect(firstRead).toBeGreaterThanOrEqual(Math.floor((N * 3) / 4) - 1); // (B−1)/B of the others before any read
      expect(s.at(-1)?.label).toBeNull();
    }
  });

  it('reads N/B times fewer tokens than leave-one-out', async () => {
    const labels: Labels = Array.from({ length: 128 }, (_, i) => i % 2 === 0);
    const loo = await readPlan(labels, { plan: 'leaveOneOut', blocks: 1 }, cachingModel(() => 1).model);
    const blocks = await readPlan(labels, { plan: 'blocks', blocks: 4 }, cachingModel(() => 1).model);
    expect(loo.tokens).toBe(128 * (128 * 2 - 1)); // input + label per demonstration, input alone for the target
    expect(blocks.tokens).toBe(4 * (128 * 2 - 1));
    expect(blocks.logOdds.every((x) => x !== null)).toBe(true);
  });

  it('leave-one-out with a prefix cache (the official code on vLLM) still computes about N²·L/2', async () => {
    const N = 128;
    const L = 10;
    const fake = cachingModel(() => L);
    await readPlan(allLabeled(N), { plan: 'leaveOneOut', blocks: 1 }, fake.model);
    // sequence i shares items 0 … i−2 with sequence i−1: it computes (N − i + 1) demonstrations and its target
    const expected = N * L + Array.from({ length: N }, (_, i) => (i === 0 ? N - 1 : N - i) * (L + 1)).reduce((a, b) => a + b, 0);
    expect(fake.computed()).toBe(expected);
    expect(fake.computed() / ((N * N * (L + 1)) / 2)).toBeCloseTo(1, 1);
  });
});

describe('the prefix-tree plan', () => {
  it('exact: every read sees every other labeled item, so the reads and U are those of leave-one-out', async () => {
    const labels = labelsOf(45);
    const seqs = planSequences(labels, { plan: 'tree', blocks: 1 });
    const ctx = contexts(seqs);
    const labeled = labeledOf(labels);
    expect(sorted([...ctx.keys()])).toEqual(labeled);
    for (const [i, c] of ctx) expect(c).toEqual(labeled.filter((j) => j !== i));
    const tree = await readPlan(labels, { plan: 'tree', blocks: 1 }, cachingModel().model);
    const flat = await readPlan(labels, { plan: 'leaveOneOut', blocks: 1 }, cachingModel().model);
    expect(tree.logOdds).toEqual(flat.logOdds);
  });

  it('exact: computes Σ_i depth_i·(L+1) + N·L tokens, N·log₂N·(L+1) + N·L for N a power of two', async () => {
    for (const N of [1, 2, 3, 5, 8, 13, 32, 100, 128]) {
      const L = 7;
      const fake = cachingModel(() => L);
      const labels = allLabeled(N);
      const r = await readPlan(labels, { plan: 'tree', blocks: 1 }, fake.model);
      expect(fake.computed()).toBe(depthSum(N) * (L + 1) + N * L);
      expect(r.computed).toBe(fake.computed()); // the plan counts what the model says it computed
      expect(planCost(planSequences(labels, { plan: 'tree', blocks: 1 }), fake.model.segmentTokens!).computed).toBe(fake.computed());
      if (Number.isInteger(Math.log2(N))) expect(fake.computed()).toBe(N * Math.log2(N) * (L + 1) + N * L);
    }
  });

  it('exact at N = 128: within 1.2·N·log₂N·L computed tokens (L per labeled item), 8× fewer than the official code computes on a prefix cache, 16× fewer than it reads', async () => {
    const N = 128;
    const L = 30; // tokens per demonstration, label included
    const tree = cachingModel(() => L - 1);
    const flat = cachingModel(() => L - 1);
    await readPlan(allLabeled(N), { plan: 'tree', blocks: 1 }, tree.model);
    await readPlan(allLabeled(N), { plan: 'leaveOneOut', blocks: 1 }, flat.model);
    expect(tree.computed()).toBeLessThanOrEqual(1.2 * N * Math.log2(N) * L);
    expect(flat.computed() / tree.computed()).toBeGreaterThan(8);
    expect((N * N * L) / tree.computed()).toBeGreaterThan(16);
  });

  it('blocks: each read sees the other blocks and its block’s earlier items, for N·(log₂B + 1)·L computed', async () => {
    const N = 128;
    const L = 9;
    for (const B of [1, 2, 4, 8, 16]) {
      const labels = allLabeled(N);
      const plan = { plan: 'treeBlocks' as const, blocks: B };
      const seqs = planSequences(labels, plan);
      expect(seqs).toHaveLength(B);
      for (const [i, c] of contexts(seqs)) {
        const others = labeledOf(labels).filter((j) => j !== i);
        expect(c.filter((j) => j % B !== i % B)).toEqual(others.filter((j) => j % B !== i % B)); // every other block
        expect(c.length).toBeGreaterThanOrEqual(((B - 1) / B) * others.length - 1);
      }
      const fake = cachingModel(() => L);
      await readPlan(labels, plan, fake.model);
      // each level of the tree computes every item once, the leaves read each once; no label after a block's last read
      expect(fake.computed()).toBe(N * (Math.log2(B) + 1) * (L + 1) - B);
    }
  });

  it('blocks through the tree read the same contexts as today’s blocks when the pool is in block order', async () => {
    // today's blocks deal the k-th labeled item to block k mod B; the tree deals pool item i to i mod B
    const labels = allLabeled(64);
    const flat = await readPlan(labels, { plan: 'blocks', blocks: 4 }, cachingModel().model);
    const tree = await readPlan(labels, { plan: 'treeBlocks', blocks: 4 }, cachingModel().model);
    expect(tree.logOdds).toEqual(flat.logOdds);
  });
});

describe('reuse', () => {
  it('never reads a sequence twice, and after a one-label change keeps the reads that cannot have changed', async () => {
    const plan = { plan: 'leaveOneOut' as const, blocks: 1 };
    const fake = cachingModel(() => 1, orderReader);
    const labels = labelsOf(20);
    const first = await readPlan(labels, plan, fake.model);
    const cache = cacheFrom(labels, first.logOdds, plan);
    fake.calls.length = 0;
    const again = await readPlan(labels, plan, fake.model, cache);
    expect(fake.calls).toHaveLength(0); // the same labeling costs nothing
    expect(again.logOdds).toEqual(first.logOdds);
    expect(again.skipped).toBe(first.tokens);

    const changed = [...labels];
    changed[3] = !changed[3];
    const after = await readPlan(changed, plan, fake.model, cache);
    const N = labeledOf(labels).length;
    expect(fake.calls).toHaveLength(N - 1); // item 3's own read (the others in context) is unchanged
    expect(after.logOdds[3]).toBe(first.logOdds[3]);
    expect(after.logOdds).toEqual((await readPlan(changed, plan, cachingModel(() => 1, orderReader).model)).logOdds); // the cache never changes a result
    expect(leaveOneOutSequence(changed, 3)).toEqual(leaveOneOutSequence(labels, 3));
  });

  it('changed items go last: the reads before them are reused, and when one changes again, all of its block', async () => {
    const plan = { plan: 'treeBlocks' as const, blocks: 4 };
    const labels = allLabeled(32);
    const fake = cachingModel(() => 5, orderReader);
    const asked = () => sorted(fake.calls.flatMap((c) => c.segments.filter((s) => s.read).map((s) => s.item)));
    const first = await readPlan(labels, plan, fake.model);
    const block = labeledOf(labels).filter((i) => i % 4 === 1); // 1, 5, 9, 13, …
    const others = labeledOf(labels).filter((i) => i % 4 !== 1);

    const changed = [...labels];
    changed[9] = !changed[9];
    const order = changedLast([], labels, changed);
    expect(order.at(-1)).toBe(9);
    fake.calls.length = 0;
    const after = await readPlan(changed, plan, fake.model, cacheFrom(labels, first.logOdds, plan), order);
    expect(asked()).toEqual(sorted([...others, ...block.filter((i) => i >= 9)])); // 1 and 5 were read before 9
    expect([after.logOdds[1], after.logOdds[5]]).toEqual([first.logOdds[1], first.logOdds[5]]);

    const back = [...changed];
    back[9] = !back[9];
    const order2 = changedLast(order, changed, back);
    expect(order2).toEqual(order); // 9 is already last
    fake.calls.length = 0;
    const again = await readPlan(back, plan, fake.model, cacheFrom(changed, after.logOdds, plan, order), order2);
    expect(asked()).toEqual(others); // block 1 is unchanged up to 9's read, and 9's own label comes after it
    expect(again.skipped).toBeGreaterThan(0);
    // nothing reused is stale: the same labelings in the same orders, read from scratch
    const fresh = (l: Labels, o: number[]) => readPlan(l, plan, cachingModel(() => 5, orderReader).model, new ReadCache(), o);
    expect(after.logOdds).toEqual((await fresh(changed, order)).logOdds);
    expect(again.logOdds).toEqual((await fresh(back, order2)).logOdds);
  });

  it('a model that holds the end of the last walk is read from that end', async () => {
    const plan = { plan: 'tree' as const, blocks: 1 };
    const labels = allLabeled(32);
    const fake = cachingModel(() => 5);
    const first = await readPlan(labels, plan, fake.model);
    const changed = [...labels];
    changed[30] = !changed[30];
    const second = await readPlan(changed, plan, fake.model, new ReadCache(), changedLast([], labels, changed));
    expect(second.computed).toBeLessThan(first.computed); // the first sequence of the second walk starts like the last of the first
  });

  it('the proposal read starts like the prompt the model holds, with the same context as leave-one-out', async () => {
    const plan = { plan: 'treeBlocks' as const, blocks: 4 };
    const labels = labelsOf(40);
    const fake = cachingModel(() => 5);
    await readPlan(labels, plan, fake.model);
    const seq = proposalSequence(labels, 4, plan, [], fake.model.cachedPrefix);
    expect(sorted(seq.filter((s) => !s.read).map((s) => s.item))).toEqual(labeledOf(labels));
    expect(seq.at(-1)).toEqual({ item: 4, read: true, label: null });
    expect(fake.model.cachedPrefix!(seq)).toBeGreaterThan(fake.model.cachedPrefix!(leaveOneOutSequence(labels, 4)));
    expect(proposalSequence(labels, 4, plan)).toEqual(leaveOneOutSequence(labels, 4)); // no cache: today's
  });
});

describe('full runs through the prefix tree', () => {
  const problem = toyProblem(30);
  const run = async (config: ICMConfig, model: LabelModel) => {
    const { state, steps } = await runSearch(problem, config, model, { reads: false });
    return { state, events: steps };
  };
  const config: ICMConfig = { ...defaultConfig, K: 4, iterations: 100, poolSize: 30 };
  const cached = () => withPrefixCache({ ...toyModel(problem), segmentTokens: () => ({ input: 3, label: 1 }) });

  it('exact: the same steps and U as leave-one-out, for a fraction of the tokens computed', async () => {
    const flat = await run({ ...config, plan: 'leaveOneOut' }, cached());
    const tree = await run({ ...config, plan: 'tree' }, cached());
    expect(tree.state.labels).toEqual(flat.state.labels);
    expect(tree.events.map((e) => [e.item, e.proposal, e.accepted, e.after.U])).toEqual(flat.events.map((e) => [e.item, e.proposal, e.accepted, e.after.U]));
    expect(tree.state.computed).toBeLessThan((flat.state.computed ?? 0) / 2);
    expect(tree.state.computed).toBeLessThan(tree.state.tokens); // the cache did the rest
    expect(tree.state.tokens + (tree.state.skipped ?? 0)).toBeGreaterThan(tree.state.tokens); // and reuse saved some
    // every step's counts add up to the run's
    const sum = (k: 'tokens' | 'computed') => tree.events.reduce((a, e) => a + (e[k] ?? 0), 0);
    const init = await initialState(problem, { ...config, plan: 'tree' }, cached());
    expect(sum('computed') + (init.state.computed ?? 0)).toBe(tree.state.computed);
    expect(sum('tokens') + init.state.tokens).toBe(tree.state.tokens);
  });

  it('a resumed run (its state through JSON) reads in the same order and takes the same steps', async () => {
    const c = { ...config, plan: 'treeBlocks' as const, iterations: 40 };
    const model = cached();
    let { state } = await initialState(problem, c, model);
    for (let k = 0; k < 20; k++) state = (await step(problem, state, c, model)).state;
    const saved = JSON.parse(JSON.stringify(state));
    const direct = await step(problem, state, c, toyModel(problem));
    const resumed = await step(problem, saved, c, toyModel(problem));
    expect(resumed).toEqual(direct);
    expect(state.order?.length).toBe(problem.items.length);
  });
});

describe('what a repair costs', () => {
  // groups of three with two keys: contradictions fire, so ConsistencyFix scores candidates
  const problem = toyProblem(30);
  const config: ICMConfig = { ...defaultConfig, K: 6, iterations: 40, poolSize: 30 };

  /** A model double that counts the reads it is asked for, each by the text before it. */
  function countingModel(reader: Reader) {
    const asked: string[] = [];
    const model: LabelModel = {
      async readSequence(segments) {
        let text = '';
        for (const s of segments) {
          if (s.read) asked.push(`${text}${s.item}?`);
          text += `${s.item}${s.label === null ? '' : s.label ? 'T' : 'F'},`;
        }
        return { reads: reader(segments), tokens: segments.length, computed: segments.length };
      },
    };
    return { model, asked };
  }

  const run = async (c: ICMConfig, model: LabelModel, reads?: ReadCache | false) => {
    const r = await runSearch(problem, c, model, { reads });
    return { state: r.state, events: r.steps };
  };

  it('no read is made twice in a run that keeps its reads, and it takes the same steps, labels and U as one that reads afresh', async () => {
    for (const reader of [bagReader, orderReader])
      for (const plan of PLAN_KINDS) {
        const c = { ...config, plan, blocks: 2 };
        const kept = countingModel(reader);
        const fresh = countingModel(reader);
        const a = await run(c, kept.model);
        const b = await run(c, fresh.model, false); // as before: each step reads afresh
        const decisions = (r: typeof a) => r.events.map((e) => [e.item, e.proposal, e.changed, e.fixes, e.after, e.deltaU, e.accepted]);
        expect(decisions(a)).toEqual(decisions(b));
        expect(a.state.labels).toEqual(b.state.labels);
        expect(a.state.U).toBe(b.state.U);
        // the repairs did work: candidates were scored, some repairs applied
        const repairs = a.events.reduce((n, e) => n + (e.repair?.evaluations ?? 0), 0);
        expect(repairs).toBeGreaterThan(20);
        expect(repairs).toBe(a.events.reduce((n, e) => n + (e.changed ? e.evaluations - 1 : 0), 0)); // all but D̂'s
        expect(a.events.some((e) => e.fixes.length > 0)).toBe(true);

        expect(new Set(kept.asked).size).toBe(kept.asked.length); // no read asked for twice
        expect(new Set(fresh.asked).size).toBeLessThan(fresh.asked.length); // as it was: a later step asked again
        expect(kept.asked.length).toBeLessThan(fresh.asked.length);
        expect(new Set(kept.asked)).toEqual(new Set(fresh.asked)); // the same reads, each once
        expect(a.state.tokens).toBeLessThan(b.state.tokens);
      }
  }, 60_000);

  it('U of the labeling a run ends with is U of that labeling read from scratch', async () => {
    for (const plan of PLAN_KINDS) {
      const c = { ...config, plan, blocks: 2 };
      const { model } = countingModel(orderReader);
      const { state } = await run(c, model);
      const reads = await readPlan(state.labels, c, countingModel(orderReader).model, new ReadCache(), state.order);
      expect(reads.logOdds).toEqual(state.logOdds);
      const P = mutualPredictability(state.labels, reads.logOdds, c.pForm);
      expect(state.U).toBe(U(c.alpha, P, inconsistencyCount(problem, state.labels)));
    }
  });

  it('a kept cache that outgrows its limit starts over between steps, and the run is unchanged', async () => {
    const c = { ...config, plan: 'treeBlocks' as const, blocks: 2 };
    const small = countingModel(orderReader);
    const a = await run(c, small.model, new ReadCache(200));
    const b = await run(c, countingModel(orderReader).model, false);
    const { tokens, computed, skipped, ...decided } = a.state;
    expect({ ...b.state, tokens, computed, skipped }).toEqual({ ...decided, tokens, computed, skipped });
    expect(tokens).toBeLessThan(b.state.tokens); // it still saved some
    expect(new Set(small.asked).size).toBeLessThan(small.asked.length); // it forgot, so it read again
  });
});

describe('choosing a plan', () => {
  it('the closed-form costs are the measured ones (item texts, labels not counted)', () => {
    const unit = () => ({ input: 1, label: 0 });
    for (const plan of PLAN_KINDS)
      for (const N of [1, 2, 7, 32, 64])
        for (const blocks of [1, 2, 4, 8]) {
          if (plan === 'blocks' && N % blocks !== 0) continue; // flat blocks share a little when sizes differ
          const measured = planCost(planSequences(allLabeled(N), { plan, blocks }), unit);
          const closed = planItemTexts({ plan, blocks }, N);
          expect({ plan, N, blocks, ...closed }).toEqual({ plan, N, blocks, read: measured.read, computed: plan === 'blocks' ? closed.computed : measured.computed });
        }
  });

  it('through the tree where the backend keeps a prefix cache, today’s blocks where it does not; every plan is a valid setting', () => {
    expect(planFor({ prefixCache: false })).toEqual({ plan: defaultConfig.plan, blocks: defaultConfig.blocks });
    expect(planFor({ prefixCache: true }).plan).toBe('treeBlocks');
    for (const plan of PLAN_KINDS) expect(validateConfig({ ...defaultConfig, plan })).toEqual({});
    expect(validateConfig({ ...defaultConfig, plan: 'sideways' as never }).plan).toMatch(/must be "leaveOneOut", "blocks", "tree" or "treeBlocks"/);
    expect(settings.plan.options.map((o) => o.value).sort()).toEqual([...PLAN_KINDS].sort()); // the form offers every plan
  });
});
