// The pool a run labels: whole consistency groups drawn at random until poolSize items
// (the official code's batch_size), so every group's consistency rules can apply.

import type { ICMItem } from './problem';
import { Rng } from './rng';

/** Dataset indices of the pool, grouped, groups in dataset order. */
export function drawPool(items: ICMItem[], size: number, seed: number): number[] {
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const members = groups.get(item.group);
    if (members) members.push(i);
    else groups.set(item.group, [i]);
  });
  const chosen: number[][] = [];
  let count = 0;
  for (const members of Rng.fromSeed((seed ^ POOL_SALT) >>> 0).shuffle([...groups.values()])) {
    if (count + members.length > size) continue;
    chosen.push(members);
    count += members.length;
  }
  if (chosen.length === 0 && groups.size > 0) chosen.push([...groups.values()][0]);
  return chosen.sort((a, b) => a[0] - b[0]).flat();
}

// The pool's draw is independent of the search's own random stream.
const POOL_SALT = 0x504f4f4c;
