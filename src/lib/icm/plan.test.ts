import { describe, expect, it } from 'vitest';
import { packSegments, unpackSegments, type LabelModel, type Segment } from './model';
import { cacheFrom, leaveOneOutSequence, planSequences, readPlan, ReadCache } from './plan';
import type { Labels } from './problem';

// One token per segment; log-odds that depend on the whole context, so a stale read would show.
function countingModel(): LabelModel & { keys: string[] } {
  const keys: string[] = [];
  return {
    keys,
    async readSequence(segments: Segment[]) {
      keys.push(ReadCache.key(segments));
      let h = 0;
      const reads = [];
      for (const s of segments) {
        if (s.read) reads.push({ item: s.item, logTrue: Math.sin(h + s.item), logFalse: 0 });
        if (s.label !== null) h += s.label ? s.item + 1 : -(s.item + 1);
      }
      return { reads, tokens: segments.length, computed: segments.length };
    },
  };
}

const labelsOf = (n: number): Labels => Array.from({ length: n }, (_, i) => (i % 5 === 4 ? null : i % 3 === 0));

describe('scoring plans', () => {
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
    const read = seqs.flatMap((s) => s.filter((x) => x.read).map((x) => x.item)).sort((a, b) => a - b);
    expect(read).toEqual(labels.flatMap((l, i) => (l === null ? [] : [i])));
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
    const loo = await readPlan(labels, { plan: 'leaveOneOut', blocks: 1 }, countingModel());
    const blocks = await readPlan(labels, { plan: 'blocks', blocks: 4 }, countingModel());
    expect(loo.tokens).toBe(128 * 128);
    expect(blocks.tokens).toBe(4 * 128);
    expect(loo.tokens / blocks.tokens).toBe(32);
    expect(blocks.logOdds.every((x) => x !== null)).toBe(true);
  });

  it('never reads a sequence twice, and after a one-label change keeps the reads that cannot have changed', async () => {
    const plan = { plan: 'leaveOneOut' as const, blocks: 1 };
    const model = countingModel();
    const labels = labelsOf(20);
    const first = await readPlan(labels, plan, model);
    const cache = cacheFrom(labels, first.logOdds, plan);
    model.keys.length = 0;
    const again = await readPlan(labels, plan, model, cache);
    expect(model.keys).toHaveLength(0); // the same labeling costs nothing
    expect(again.logOdds).toEqual(first.logOdds);

    const changed = [...labels];
    changed[3] = !changed[3];
    const after = await readPlan(changed, plan, model, cache);
    const N = labels.filter((l) => l !== null).length;
    expect(model.keys).toHaveLength(N - 1); // item 3's own read (the others in context) is unchanged
    expect(new Set(model.keys).size).toBe(model.keys.length);
    expect(after.logOdds[3]).toBe(first.logOdds[3]);
    expect(after.logOdds).toEqual((await readPlan(changed, plan, countingModel())).logOdds); // the cache never changes a result
    expect(leaveOneOutSequence(changed, 3)).toEqual(leaveOneOutSequence(labels, 3));
  });
});
