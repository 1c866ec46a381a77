// Which item to look at next (paper §2.3; official code's weighted sampling): weight
// `groupWeight` (code: 100) for an unlabeled item whose group already has a labeled member,
// 1 otherwise. Labeled items stay in the draw: re-sampling them is how mistakes get fixed.
// Items a person labeled in review are out of the draw.

import type { Labels, Problem } from './problem';

export function samplingWeights(problem: Problem, labels: Labels, groupWeight: number): number[] {
  const labeledGroups = new Set<string>();
  labels.forEach((l, i) => {
    if (l !== null) labeledGroups.add(problem.items[i].group);
  });
  return labels.map((l, i) => {
    if ((problem.fixed?.[i] ?? null) !== null) return 0; // a person's label is not up for search
    return l === null && labeledGroups.has(problem.items[i].group) ? groupWeight : 1;
  });
}
