// A toy task and label model for the search tests: groups of three items, two keys.
import type { LabelModel } from './model';
import type { Problem } from './problem';

export function toyProblem(n: number): Problem {
  return {
    comparison: false,
    items: Array.from({ length: n }, (_, i) => ({ group: `g${Math.floor(i / 3)}`, key: i % 3 === 2 ? 'b' : 'a' })),
  };
}

/** Reads depend on the context (how many labels are True), so proposals, rejections and fixes all happen. */
export function toyModel(problem: Problem): LabelModel {
  return {
    async readSequence(segments) {
      const trues = segments.filter((s) => s.label === true).length;
      return {
        reads: segments.filter((s) => s.read).map((s) => ({ item: s.item, logTrue: (problem.items[s.item].key === 'a' ? 1 : -1) + 0.05 * trues - 0.3, logFalse: 0 })),
        tokens: segments.length,
        computed: segments.length,
      };
    },
  };
}
