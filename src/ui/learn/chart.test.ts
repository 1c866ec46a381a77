import { describe, expect, it } from 'vitest';
import { columns, domainOf, referenceSide, stepAt, xOf, yOf } from './chart';

const box = { left: 30, top: 5, width: 200, height: 100 };

describe('chart', () => {
  it('maps steps to x and back', () => {
    for (const last of [1, 7, 200, 5000]) {
      for (const k of [0, Math.floor(last / 3), last]) expect(stepAt(xOf(k, last, box), last, box)).toBe(k);
    }
    expect(stepAt(0, 100, box)).toBe(0);
    expect(stepAt(1000, 100, box)).toBe(100);
  });

  it('skips values it cannot draw', () => {
    const d = domainOf([NaN, 2, 4, Infinity]);
    expect(d).toEqual({ min: 2, max: 4, log: false });
    expect(yOf(4, d, box)).toBe(5);
    expect(yOf(2, d, box)).toBe(105);
    expect(yOf(NaN, d, box)).toBeNaN();
    const log = domainOf([10, 0.01, 0, 1], true);
    expect(log).toEqual({ min: 0.01, max: 10, log: true });
    expect(yOf(Math.sqrt(0.1), log, box)).toBeCloseTo(55, 9); // halfway in decades
    expect(domainOf([3, 3])).toEqual({ min: 2.7, max: 3.3, log: false });
  });

  it('takes in a reference near the run, but one far off would squash the run flat: it stays off the scale (issue 25, item 9)', () => {
    const U = [40, 75, 110]; // a run's U
    const near = domainOf(U, false, undefined, [100, 20]);
    expect(near).toEqual({ min: 20, max: 110, log: false });
    const far = domainOf(U, false, undefined, [-118.7, 105]); // U of all True, all False
    expect(far).toEqual({ min: 40, max: 110, log: false }); // the run fills the height
    expect(yOf(40, far, box) - yOf(110, far, box)).toBe(box.height);
    expect(referenceSide(-118.7, far)).toBe('below');
    expect(referenceSide(105, far)).toBeNull();
    expect(yOf(-118.7, far, box)).toBe(box.top + box.height); // drawn along the bottom edge
    // the run keeps at least half the height whatever the references
    for (const r of [-1000, -60, 0, 180, 200, 1e6]) {
      const d = domainOf(U, false, undefined, [r]);
      expect((110 - 40) / (d.max - d.min)).toBeGreaterThanOrEqual(0.5);
    }
    // with no step drawn yet, the references alone set the range
    expect(domainOf([NaN], false, undefined, [-118.7, 105])).toEqual({ min: -118.7, max: 105, log: false });
  });

  it('keeps each column’s span when the steps outnumber the pixels', () => {
    const values = Float64Array.from({ length: 5001 }, (_, i) => (i % 2 ? 1 : 0));
    values[2500] = NaN;
    const d = domainOf(values);
    const { top, bottom } = columns(values, d, box);
    expect(top.length).toBe(201);
    for (let c = 0; c < top.length; c++) {
      expect(top[c]).toBe(5); // every column holds a 1 …
      expect(bottom[c]).toBe(105); // … and a 0
    }
  });
});
