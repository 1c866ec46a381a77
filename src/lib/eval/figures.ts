// The figures computed from labels, used wherever they are shown (run screen, baselines,
// review, bench): accuracy against gold, the model's confidence in a label. Evaluation only:
// nothing here feeds the search.

import type { Labels } from '../icm/problem';

export { confidence, sigmoid } from '../icm/score';

/** Share of labeled items whose label equals gold; null when nothing is labeled or no gold. */
export function accuracy(labels: Labels, gold: (boolean | undefined)[]): number | null {
  let right = 0;
  let n = 0;
  labels.forEach((l, i) => {
    if (l === null || gold[i] === undefined) return;
    n++;
    if (l === gold[i]) right++;
  });
  return n === 0 ? null : right / n;
}
