import { describe, expect, it } from 'vitest';
import { builtinDatasets } from './builtin';
import { spuriousFeature } from './spurious';
import type { DataItem, Dataset } from './types';

const datasets = builtinDatasets();
const byId = (id: string): Dataset => datasets.find((d) => d.id === id)!;

function groups(items: DataItem[]): Map<string, DataItem[]> {
  const out = new Map<string, DataItem[]>();
  for (const it of items) out.set(it.group, [...(out.get(it.group) ?? []), it]);
  return out;
}

const share = (xs: boolean[]): number => xs.filter(Boolean).length / xs.length;
const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;

describe('built-in datasets', () => {
  it('are the three tasks, by id and kind', () => {
    expect(datasets.map((d) => [d.id, d.kind])).toEqual([
      ['builtin-math', 'math'],
      ['builtin-factual', 'factual'],
      ['builtin-comparison', 'comparison'],
    ]);
    for (const d of datasets) expect(d.description).toMatch(/^\S.*\?$/);
  });

  it('are deterministic: two calls give identical data', () => {
    expect(JSON.stringify(builtinDatasets())).toBe(JSON.stringify(datasets));
  });

  for (const d of datasets) {
    describe(d.id, () => {
      it('has at least 240 items with unique ids and gold labels', () => {
        expect(d.items.length).toBeGreaterThanOrEqual(240);
        expect(new Set(d.items.map((i) => i.id)).size).toBe(d.items.length);
        for (const i of d.items) expect(typeof i.gold).toBe('boolean');
      });

      it('puts at least two items in every group', () => {
        for (const members of groups(d.items).values()) expect(members.length).toBeGreaterThanOrEqual(2);
      });

      it('is balanced: 35–65% True', () => {
        const t = share(d.items.map((i) => i.gold === true));
        expect(t).toBeGreaterThanOrEqual(0.35);
        expect(t).toBeLessThanOrEqual(0.65);
      });

      it('keeps texts short and non-empty', () => {
        for (const i of d.items) {
          for (const text of [i.question, i.claim, ...(i.response2 === undefined ? [] : [i.response2])]) {
            expect(text.trim().length).toBeGreaterThan(0);
            expect(words(text)).toBeLessThanOrEqual(60);
          }
        }
      });

      it('never repeats a claim text within a group', () => {
        for (const members of groups(d.items).values()) {
          const texts = members.map((i) => `${i.claim}\n${i.response2 ?? ''}`);
          expect(new Set(texts).size).toBe(texts.length);
        }
      });

      it('has a spurious length feature that only partly agrees with gold (50–70%)', () => {
        const f = spuriousFeature(d.kind, d.items);
        const agree = share(d.items.map((i, k) => f[k] === i.gold));
        const trueWhenLong = share(d.items.filter((_, k) => f[k]).map((i) => i.gold === true));
        expect(agree).toBeGreaterThanOrEqual(0.5);
        expect(agree).toBeLessThanOrEqual(0.7);
        expect(trueWhenLong).toBeGreaterThanOrEqual(0.5);
        expect(trueWhenLong).toBeLessThanOrEqual(0.7);
        expect(share(f)).toBeGreaterThanOrEqual(0.4); // about half the items are "long"
        expect(share(f)).toBeLessThanOrEqual(0.6);
      });
    });
  }

  // Claim tasks: the key is the answer's identity, so equal keys share a label and at most one
  // key per group is True. Both hold for gold exactly when keys were not derived from it wrongly.
  for (const id of ['builtin-math', 'builtin-factual']) {
    it(`${id}: same key ⇒ same gold, and at most one True key per group`, () => {
      let sharedWrong = 0;
      for (const members of groups(byId(id).items).values()) {
        const goldOfKey = new Map<string, boolean>();
        for (const i of members) {
          if (goldOfKey.has(i.key)) {
            expect(goldOfKey.get(i.key)).toBe(i.gold);
            if (!i.gold) sharedWrong++;
          }
          goldOfKey.set(i.key, i.gold === true);
        }
        expect([...goldOfKey.values()].filter(Boolean).length).toBeLessThanOrEqual(1);
      }
      if (id === 'builtin-math') expect(sharedWrong).toBeGreaterThan(0); // two slips sometimes agree
    });
  }

  it('math: 4 candidate solutions per problem; the key is the final answer the solution states', () => {
    for (const members of groups(byId('builtin-math').items).values()) {
      expect(members.length).toBe(4);
      expect(new Set(members.map((i) => i.question)).size).toBe(1);
    }
    for (const i of byId('builtin-math').items) {
      const numbers = i.claim.replace(/(\d),(\d)/g, '$1$2').match(/\d+/g) ?? [];
      expect(numbers.at(-1)).toBe(i.key);
    }
  });

  it('math: groups have varied numbers of correct solutions', () => {
    const counts = new Set([...groups(byId('builtin-math').items).values()].map((m) => m.filter((i) => i.gold).length));
    expect([...counts].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('factual: 3–5 candidates per question, one right answer, sometimes phrased twice', () => {
    let twoPhrasings = 0;
    for (const members of groups(byId('builtin-factual').items).values()) {
      expect(members.length).toBeGreaterThanOrEqual(3);
      expect(members.length).toBeLessThanOrEqual(5);
      const right = members.filter((i) => i.gold);
      expect(right.length).toBeGreaterThanOrEqual(1);
      expect(new Set(right.map((i) => i.key)).size).toBe(1);
      if (right.length === 2) twoPhrasings++;
    }
    expect(twoPhrasings).toBeGreaterThan(20);
  });

  it('comparison: each pair in both orders, exactly one True, keys are the two orderings', () => {
    for (const members of groups(byId('builtin-comparison').items).values()) {
      expect(members.length).toBe(2);
      const [x, y] = members;
      expect(members.filter((i) => i.gold).length).toBe(1);
      expect(members.map((i) => i.key).sort()).toEqual(['a>b', 'b>a']);
      expect(x.claim).toBe(y.response2);
      expect(y.claim).toBe(x.response2);
      expect(x.question).toBe(y.question);
    }
    // the key names an ordering, not the better response: 'a>b' is True about half the time
    const ab = byId('builtin-comparison').items.filter((i) => i.key === 'a>b');
    const t = share(ab.map((i) => i.gold === true));
    expect(t).toBeGreaterThan(0.35);
    expect(t).toBeLessThan(0.65);
  });
});
