// The spurious feature of the built-in tasks (DESIGN §4): text length. It is visible to any
// learner and agrees with gold only partly (about 60% on the built-in tasks), so labeling by
// it is coherent but wrong. The simulated model reads it from here.

import type { DataItem, TaskKind } from './types';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Claim tasks: the claim is strictly longer than the median claim of its group (so about
 * half of a group's members are "long"; a group of one is never long). Comparison: Response 1
 * is longer than Response 2.
 */
export function spuriousFeature(kind: TaskKind, items: DataItem[]): boolean[] {
  if (kind === 'comparison') return items.map((it) => it.claim.length > (it.response2 ?? '').length);
  const lengths = new Map<string, number[]>();
  for (const it of items) {
    const group = lengths.get(it.group) ?? [];
    group.push(it.claim.length);
    lengths.set(it.group, group);
  }
  const medians = new Map([...lengths].map(([g, ls]) => [g, median(ls)]));
  return items.map((it) => it.claim.length > (medians.get(it.group) ?? Infinity));
}
