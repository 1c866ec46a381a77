import { describe, expect, it } from 'vitest';
import { accuracyWithCI, agreement, compareMethods, labelBalance } from './metrics';

const T = true;
const F = false;

describe('accuracy with a bootstrap 95% interval', () => {
  it('is null with nothing to score, and exact when every resample agrees', () => {
    expect(accuracyWithCI([T, null], [undefined, T])).toBeNull();
    expect(accuracyWithCI([T, F, T], [T, F, T])).toEqual({ accuracy: 1, low: 1, high: 1, n: 3 });
    expect(accuracyWithCI([F, T], [T, F])).toEqual({ accuracy: 0, low: 0, high: 0, n: 2 });
  });

  it('matches the interval computed by hand', () => {
    // 1 right of 2: resampled accuracy is 0, ½ or 1 with probability ¼, ½, ¼, so the
    // 2.5th percentile is 0 and the 97.5th is 1 (each tail holds about 250 of 1000 resamples)
    expect(accuracyWithCI([T, T, null], [T, F, T])).toEqual({ accuracy: 0.5, low: 0, high: 1, n: 2 });
    // 3 right of 4: P(0 right) = 0.4% < 2.5% < P(≤ 1 right) = 5.1%, so the low end is ¼;
    // P(4 right) = 31.6% > 2.5%, so the high end is 1
    for (const seed of [1, 2, 3]) expect(accuracyWithCI([T, T, F, F], [T, T, F, T], seed)).toEqual({ accuracy: 0.75, low: 0.25, high: 1, n: 4 });
  });

  it('is reproducible from its seed and narrows with more items', () => {
    const labels = Array.from({ length: 400 }, (_, i) => i % 5 !== 0);
    const gold = labels.map(() => T);
    const a = accuracyWithCI(labels, gold, 7);
    expect(a).toEqual(accuracyWithCI(labels, gold, 7));
    expect(a?.accuracy).toBe(0.8);
    // normal approximation: 0.8 ± 1.96·√(0.8·0.2/400) = 0.8 ± 0.039
    expect(a?.low).toBeGreaterThan(0.75);
    expect(a?.low).toBeLessThan(0.78);
    expect(a?.high).toBeGreaterThan(0.82);
    expect(a?.high).toBeLessThan(0.85);
  });
});

describe('balance and agreement', () => {
  it('counts labeled items only', () => {
    expect(labelBalance([T, F, T, null])).toBeCloseTo(2 / 3);
    expect(labelBalance([null])).toBeNull();
    expect(agreement([T, F, T, null], [T, T, T, F])).toBeCloseTo(2 / 3);
    expect(agreement([null], [T])).toBeNull();
  });

  it('builds the side-by-side table', () => {
    const c = compareMethods(
      [
        { name: 'ICM', labels: [T, F, T, F] },
        { name: 'Zero-shot', labels: [T, T, T, T] },
      ],
      [T, F, T, T],
    );
    expect(c.methods.map((m) => [m.name, m.labeled, m.balance, m.accuracy?.accuracy])).toEqual([
      ['ICM', 4, 0.5, 0.75],
      ['Zero-shot', 4, 1, 0.75],
    ]);
    expect(c.agreement).toEqual([
      [1, 0.5],
      [0.5, 1],
    ]);
  });
});
