import { describe, expect, it } from 'vitest';
import { spuriousFeature } from './spurious';
import type { DataItem } from './types';

const item = (id: string, group: string, claim: string, response2?: string): DataItem => ({ id, group, key: id, question: 'q', claim, response2 });

describe('spuriousFeature', () => {
  it('claim tasks: longer than the median claim of its own group', () => {
    const items = [
      item('a', 'g1', 'x'), item('b', 'g1', 'xxxx'), item('c', 'g1', 'xx'), item('d', 'g1', 'xxx'), // median 2.5
      item('e', 'g2', 'yyyyyyyyyy'), item('f', 'g2', 'y'), item('g', 'g2', 'yy'), // median 2
    ];
    expect(spuriousFeature('math', items)).toEqual([false, true, false, true, true, false, false]);
  });

  it('claim tasks: ties with the median and groups of one are not long', () => {
    const items = [item('a', 'g1', 'xx'), item('b', 'g1', 'xx'), item('c', 'g2', 'a much longer claim')];
    expect(spuriousFeature('factual', items)).toEqual([false, false, false]);
  });

  it('comparison: Response 1 longer than Response 2', () => {
    const items = [item('a', 'g', 'long answer', 'short'), item('b', 'g', 'short', 'long answer'), item('c', 'h', 'same', 'same')];
    expect(spuriousFeature('comparison', items)).toEqual([true, false, false]);
  });
});
