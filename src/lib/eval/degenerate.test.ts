import { describe, expect, it } from 'vitest';
import { degeneracy } from './degenerate';

const score = (U: number) => ({ U, P: 0, I: 0 });
const labels = (trues: number, falses: number, unlabeled = 0) => ({ labeled: trues + falses, trues, pool: trues + falses + unlabeled, constants: null });

describe('degenerate labelings', () => {
  it('flags a (nearly) constant labeling, either way, and says what to try', () => {
    const d = degeneracy({ ...labels(99, 1), U: 10 });
    expect(d?.constant).toBe(true);
    expect(d?.message).toContain('99% of the labeled items are True');
    expect(d?.advice.length).toBeGreaterThan(1);
    expect(degeneracy({ ...labels(2, 98), U: 10 })?.constant).toBe(false);
  });
  it('leaves a labeling that uses both labels alone, and one with too few labels to tell', () => {
    expect(degeneracy({ ...labels(60, 40), U: 10 })).toBeNull();
    expect(degeneracy({ ...labels(5, 0, 100), U: 10 })).toBeNull();
  });
  it('flags a balanced-looking labeling that a constant one scores as high as, once the pool is covered', () => {
    const constants = { allTrue: score(14), allFalse: score(8) };
    const d = degeneracy({ ...labels(70, 30), U: 12, constants });
    expect(d?.constant).toBeNull();
    expect(d?.beatenBy).toBe(true);
    expect(d?.message).toContain('Labeling every item True scores as high');
    expect(degeneracy({ ...labels(70, 30), U: 20, constants })).toBeNull();
    // half the pool unlabeled: U is not comparable with the whole pool's constants yet
    expect(degeneracy({ ...labels(35, 15, 50), U: 12, constants })).toBeNull();
  });
});
