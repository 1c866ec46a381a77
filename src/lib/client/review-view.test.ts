import { describe, expect, it } from 'vitest';
import type { ReviewRow } from '../protocol';
import { actionLabel, defaultQuery, orderRows, overrideOf, withOverride } from './review-view';

function row(index: number, over: Partial<ReviewRow> = {}): ReviewRow {
  return { index, id: `i${index}`, group: `g${index % 3}`, text: `item ${index}`, gold: null, label: true, confidence: 0.9, provenance: 'icm', methods: {}, disagreement: 0, ...over };
}

describe('review order and filters', () => {
  const rows = [
    row(0, { confidence: 0.8, group: 'g10' }),
    row(1, { confidence: 0.55, disagreement: 2, group: 'g2' }),
    row(2, { label: null, confidence: null, provenance: null, group: 'g10' }),
    row(3, { confidence: null, provenance: 'human', disagreement: 1, group: 'g2' }),
    row(4, { confidence: 0.55, provenance: 'label-the-rest', group: 'g1' }),
  ];

  it('opens on labeled rows first, then file order; file order on request', () => {
    expect(orderRows(rows, defaultQuery)).toEqual([0, 1, 3, 4, 2]);
    expect(orderRows(rows, { ...defaultQuery, sort: 'dataset' })).toEqual([0, 1, 2, 3, 4]);
  });

  it('sorts least confident first, rows without confidence last, ties in file order', () => {
    expect(orderRows(rows, { ...defaultQuery, sort: 'confidence' })).toEqual([1, 4, 0, 2, 3]);
  });

  it('sorts most disagreement first', () => {
    expect(orderRows(rows, { ...defaultQuery, sort: 'disagreement' })).toEqual([1, 3, 0, 2, 4]);
  });

  it('sorts by group, numbers in names in numeric order', () => {
    expect(orderRows(rows, { ...defaultQuery, sort: 'group' })).toEqual([4, 1, 3, 0, 2]);
  });

  it('filters by confidence, disagreement, group and source', () => {
    expect(orderRows(rows, { ...defaultQuery, maxConfidence: 0.6 })).toEqual([1, 4]);
    expect(orderRows(rows, { ...defaultQuery, disagreeOnly: true })).toEqual([1, 3]);
    expect(orderRows(rows, { ...defaultQuery, group: ' G1' })).toEqual([0, 4, 2]);
    expect(orderRows(rows, { ...defaultQuery, provenance: 'human' })).toEqual([3]);
    expect(orderRows(rows, { ...defaultQuery, provenance: 'unlabeled' })).toEqual([2]);
    expect(orderRows(rows, { ...defaultQuery, provenance: 'label-the-rest', sort: 'confidence' })).toEqual([4]);
  });

  // how fast (about 20 ms on an idle machine) is not asserted: a busy machine slows any test
  it('orders 50 000 rows', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => row(i, { confidence: 0.5 + ((i * 7919) % 500) / 1000, disagreement: i % 4 }));
    const order = orderRows(many, { ...defaultQuery, sort: 'confidence' });
    expect(order).toHaveLength(50_000);
    expect(many[order[0]].confidence).toBe(0.5);
    const confidences = order.map((k) => many[k].confidence ?? 0);
    expect(confidences.every((c, i) => i === 0 || confidences[i - 1] <= c)).toBe(true);
  });
});

describe('review decisions', () => {
  it('a person can label any row True or False, an unlabeled one included', () => {
    const unlabeled = row(9, { label: null, confidence: null, provenance: null });
    expect(actionLabel(unlabeled, 'true')).toBe(true);
    expect(actionLabel(unlabeled, 'false')).toBe(false);
    expect(actionLabel(row(1), 'false')).toBe(false);
  });

  it('accept keeps the label, flip inverts it, an unlabeled row has neither', () => {
    expect(actionLabel(row(0, { label: false }), 'accept')).toBe(false);
    expect(actionLabel(row(0, { label: false }), 'flip')).toBe(true);
    expect(actionLabel(row(0, { label: null }), 'flip')).toBeNull();
  });

  it('a decided row is a person\'s: no confidence, disagreement counted against the new label', () => {
    const r = row(0, { methods: { 'Zero-shot': true, 'Few-shot': false, Other: null }, disagreement: 1 });
    expect(withOverride(r, false, ['Zero-shot', 'Few-shot', 'Other'])).toMatchObject({ label: false, confidence: null, provenance: 'human', disagreement: 1 });
    expect(overrideOf(withOverride(r, false, []))).toBe(false);
    expect(overrideOf(r)).toBeNull();
  });
});
