import { describe, expect, it } from 'vitest';
import { factualDataset } from '../../../src/lib/data/builtin/factual';
import type { Segment } from '../../../src/lib/icm/model';
import { FakeWllama } from './fake';
import { createWllamaModel, KvMirror, ReadCancelled, TOP_K } from './reader';

const ds = factualDataset();
const items = ds.items.slice(0, 12);
const opts = { contextWindow: 4096, bos: 1, description: ds.description };

const demo = (item: number, label: boolean, read = true): Segment => ({ item, read, label });
const target = (item: number): Segment => ({ item, read: true, label: null });

// Sequences in the order a leave-one-out walk produces them: consecutive ones share long prefixes.
const sequences: Segment[][] = [
  [demo(0, true), demo(1, false), demo(2, true), target(3)],
  [demo(0, true), demo(1, false), demo(2, true), target(4)],
  [demo(0, true), demo(1, false), target(5)],
  [demo(6, false), demo(1, false), target(0)],
  [demo(0, true), demo(1, false), demo(2, true), target(3)], // the first one again
];

/** Reads of one sequence on a fake whose cache starts empty: what a backend without a cache reads. */
async function uncached(words: Map<string, number>, segments: Segment[]) {
  const model = await createWllamaModel(new FakeWllama({}, words), ds.kind, items, opts);
  return (await model.readSequence(segments)).reads;
}

describe('llama.cpp reads with a prefix cache', () => {
  it('reads exactly what an uncached engine reads, computing only the tokens after the shared prefix', async () => {
    const fake = new FakeWllama();
    const model = await createWllamaModel(fake, ds.kind, items, opts);
    const out = [];
    for (const s of sequences) out.push(await model.readSequence(s));
    for (let i = 0; i < sequences.length; i++) expect(out[i].reads).toEqual(await uncached(fake.words, sequences[i]));
    expect(out[0].computed).toBe(out[0].tokens); // nothing cached yet
    expect(out[1].computed).toBeLessThan(out[1].tokens / 3); // only the last target differs
    expect(out[4].computed).toBeLessThan(out[4].tokens); // back to a prefix still cached
    const stats = model.stats();
    expect(stats.tokens).toBe(out.reduce((s, r) => s + r.tokens, 0));
    expect(stats.computed).toBe(fake.decoded);
    expect(stats.computed).toBeLessThan(stats.tokens);
  });

  it('tells the plans how much of a sequence its KV cache holds, so they read from the one that starts like it', async () => {
    const fake = new FakeWllama();
    const model = await createWllamaModel(fake, ds.kind, items, opts);
    expect(model.cachedPrefix(sequences[1])).toBe(0); // nothing read yet
    await model.readSequence(sequences[0]);
    const [same, other] = [model.cachedPrefix(sequences[1]), model.cachedPrefix(sequences[3])];
    expect(same).toBeGreaterThan(other + 20); // three items with their labels in common, against the description
    await model.readSequence(sequences[3]);
    expect(model.cachedPrefix(sequences[1])).toBeLessThan(same); // the cache holds the new sequence now
    expect(model.cachedPrefix([demo(6, false, false), target(2)])).toBeGreaterThan(other + 5);
  });

  it('starts every sequence with the start token and reads at the end of each read point', async () => {
    const fake = new FakeWllama();
    const model = await createWllamaModel(fake, ds.kind, items, opts);
    const r = await model.readSequence(sequences[0]);
    expect(fake.cache[0]).toBe(1);
    expect(r.tokens).toBe(fake.cache.length); // the last read is the sequence's end
    expect(r.reads.map((x) => x.item)).toEqual([0, 1, 2, 3]);
    for (const x of r.reads) {
      expect(x.logTrue).toBeLessThan(0);
      expect(x.logFalse).toBeLessThan(0);
    }
  });

  it('gives log-probabilities over the whole vocabulary, from all logits when a label is outside the top K', async () => {
    const words = new Map<string, number>();
    const probe = new FakeWllama({}, words);
    await createWllamaModel(probe, ds.kind, items, opts); // learns the label ids
    const falseId = words.get(' False') ?? -1;
    const favour: Record<number, number> = {};
    for (let i = 0; i < 300; i++) if (i !== falseId && i !== words.get(' True')) favour[i] = i < 150 ? 20 : 0; // 150 tokens far above " False"
    const fake = new FakeWllama({ favour, vocab: 300 }, words);
    const model = await createWllamaModel(fake, ds.kind, items, opts);
    const r = await model.readSequence([target(0)]);
    expect(fake.calls).toContain(`logits ${TOP_K}`);
    expect(fake.calls).toContain('logits -1');
    const all = await fake.getLogits(-1);
    expect(r.reads[0].logFalse).toBeCloseTo(Math.log(all.find((x) => x.token === falseId)?.p ?? NaN), 10);
    expect(all.reduce((s, x) => s + x.p, 0)).toBeCloseTo(1, 10);
    expect(model.warnings().join(' ')).toMatch(/outside .* top 40/);
  });

  it('starts over from an empty cache when llama.cpp refuses to remove part of it, and still reads the same', async () => {
    const fake = new FakeWllama({ failKvRemove: true });
    const model = await createWllamaModel(fake, ds.kind, items, opts);
    const a = await model.readSequence(sequences[0]);
    const b = await model.readSequence(sequences[1]);
    expect(b.reads).toEqual(await uncached(fake.words, sequences[1]));
    expect(b.computed).toBe(b.tokens);
    expect(a.computed).toBe(a.tokens);
  });

  it('reads a sequence longer than the engine batch in several decodes, the same as in one', async () => {
    const long = [demo(0, true), demo(1, false), demo(2, true), demo(3, false), demo(4, true), target(5)];
    const small = new FakeWllama({ batch: 16 });
    const model = await createWllamaModel(small, ds.kind, items, { ...opts, batch: 16 });
    await model.readSequence([target(0)]); // a memo hit below skips read points: their tokens are decoded in one go
    const r = await model.readSequence(long);
    expect(small.calls.filter((c) => c.startsWith('decode')).every((c) => Number(c.split(' ')[1]) <= 16)).toBe(true);
    expect(r.reads).toEqual(await uncached(small.words, long));
  });

  it('refuses a sequence longer than the context it was loaded with, naming both lengths', async () => {
    const model = await createWllamaModel(new FakeWllama(), ds.kind, items, { ...opts, contextWindow: 50, modelName: 'SmolLM2' });
    await expect(model.readSequence(sequences[0])).rejects.toThrow(/needs \d+ tokens but SmolLM2 was loaded with a context of 50/);
  });

  it('stops a read in flight at its next read point when cancelled, and reads normally afterwards', async () => {
    const model = await createWllamaModel(new FakeWllama(), ds.kind, items, opts);
    const p = model.readSequence(sequences[0]);
    model.cancel();
    await expect(p).rejects.toBeInstanceOf(ReadCancelled);
    expect((await model.readSequence(sequences[1])).reads).toHaveLength(4);
  });

  it('counts tokens with the model tokenizer: each item, and the start token plus description', async () => {
    const fake = new FakeWllama();
    const model = await createWllamaModel(fake, ds.kind, items, opts);
    const counts = await model.tokenCounts();
    expect(counts.items).toHaveLength(items.length);
    expect(counts.fixed).toBe(1 + (await fake.tokenize(ds.description ?? '')).length);
    const one = await model.readSequence([target(0)]);
    expect(one.tokens).toBeLessThanOrEqual(counts.fixed + counts.items[0]);
  });
});

describe('KvMirror', () => {
  it('recomputes only the last token when the logits asked for were overwritten', async () => {
    const fake = new FakeWllama();
    const kv = new KvMirror(fake);
    const ids = [5, 6, 7, 8, 9];
    expect(await kv.feed(ids, 3)).toBe(3);
    expect(await kv.feed(ids, 5)).toBe(2);
    expect(await kv.feed(ids, 5)).toBe(0); // logits still there
    expect(await kv.feed(ids, 3)).toBe(1); // cached, but its logits are gone
    expect(fake.cache).toEqual([5, 6, 7]);
  });

  it('decodes at most one batch per call, with the same logits as one long decode', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => 20 + i);
    const whole = new FakeWllama({ batch: 64 });
    await new KvMirror(whole, 64).feed(ids, 30);
    const fake = new FakeWllama({ batch: 8 });
    const kv = new KvMirror(fake, 8);
    expect(await kv.feed(ids, 30)).toBe(30);
    expect(fake.calls).toEqual(['decode 8', 'decode 8', 'decode 8', 'decode 6']);
    expect(fake.cache).toEqual(ids);
    expect(await fake.getLogits(5)).toEqual(await whole.getLogits(5));
  });
});
