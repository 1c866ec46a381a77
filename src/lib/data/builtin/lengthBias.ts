// Text length is the built-in tasks' spurious feature (DESIGN §4): a learner could label by
// "the longer answer is right". The generators make length agree with gold only partly, so
// following it is a coherent but wrong concept, as verbosity is for real LMs.

import type { Rng } from '../../icm/rng';

/**
 * Which groups are "aligned": exactly round(share × groups) of them, in random order. A
 * fixed count rather than a coin per group keeps the length–gold agreement near its target.
 */
export function alignedGroups(rng: Rng, groups: number, share: number): boolean[] {
  const k = Math.round(share * groups);
  return rng.shuffle(Array.from({ length: groups }, (_, g) => g < k));
}

/**
 * Which members of a group get the long phrasing: `nLong` of them. In an aligned group the
 * long slots go to gold-True members first (length helps), otherwise to random members
 * (length says nothing); the share of aligned groups sets how far length tracks gold.
 */
export function pickLong(rng: Rng, gold: boolean[], nLong: number, aligned: boolean): boolean[] {
  let order = rng.shuffle(gold.map((_, i) => i));
  if (aligned) order = [...order.filter((i) => gold[i]), ...order.filter((i) => !gold[i])];
  const long = gold.map(() => false);
  for (const i of order.slice(0, nLong)) long[i] = true;
  return long;
}

/**
 * Make every long text strictly longer than every short one, so the group's median length
 * splits them as planned. `lengthen(text, attempt)` must return a longer text each time.
 */
export function separateLengths(texts: string[], long: boolean[], lengthen: (text: string, attempt: number) => string): string[] {
  const out = [...texts];
  const maxShort = Math.max(0, ...out.filter((_, i) => !long[i]).map((t) => t.length));
  out.forEach((t, i) => {
    if (!long[i]) return;
    for (let attempt = 0; t.length <= maxShort; attempt++) t = lengthen(t, attempt);
    out[i] = t;
  });
  return out;
}
