// Logical consistency (paper §2.2) and ConsistencyFix (paper Algorithm 2).
//
// I(D) counts inconsistent labeled pairs inside one consistency group:
//   same key, different labels     → inconsistent (one implies the other)
//   different keys, both True      → inconsistent (two different final answers cannot both be right;
//                                    off for data whose answers do not exclude each other)
//   comparison, different keys, both False → inconsistent (exactly one ordering holds)
// Departures from the official code's ConsistencyFix (fix_inconsistency in src/experiments/ICM.py):
// - Options: it tries two labelings per pair (both True or both False for one key; one True for
//   two keys); we score every labeling the rule allows, which includes both of its options and,
//   for two keys, both False (two wrong answers).
// - The first repair after a proposal is not forced: the official step calls the fix with a dummy
//   score (P = −10⁶), so the first pair's better option is always applied, even where it lowers U;
//   here a repair is applied only where it does not lower U below the labeling as proposed (the
//   step passes D̂'s own score, search.ts). So an inconsistency a proposal makes may stay, and
//   count in I, when every repair of it costs more P than the one unit of I it saves.
// - It asks the model for a "decision" on each inconsistent pair before scoring the options, then
//   overwrites the answer with each option in turn: those reads are never used, so none are made.
// - Its rounds go on after one that finds no pair to repair (it never clears best_decision_id);
//   such a round changes nothing, so the rounds after it would repeat it: we stop there.

import type { Labels, Problem } from './problem';
import type { Rng } from './rng';
import type { Score } from './score';

export function isConsistent(problem: Problem, a: number, b: number, la: boolean, lb: boolean): boolean {
  const A = problem.items[a];
  const B = problem.items[b];
  if (A.group !== B.group) return true;
  if (A.key === B.key) return la === lb;
  if (la && lb && problem.exclusive !== false) return false;
  if (problem.comparison && !la && !lb) return false;
  return true;
}

/** Every inconsistent labeled pair [a, b] with a < b. */
export function inconsistencies(problem: Problem, labels: Labels): [number, number][] {
  const byGroup = new Map<string, number[]>();
  labels.forEach((l, i) => {
    if (l === null) return;
    const g = problem.items[i].group;
    const members = byGroup.get(g);
    if (members) members.push(i);
    else byGroup.set(g, [i]);
  });
  const pairs: [number, number][] = [];
  for (const members of byGroup.values())
    for (let x = 0; x < members.length; x++)
      for (let y = x + 1; y < members.length; y++) {
        const a = members[x];
        const b = members[y];
        if (!isConsistent(problem, a, b, labels[a] as boolean, labels[b] as boolean)) pairs.push([a, b]);
      }
  return pairs;
}

/** I(D): the number of inconsistent pairs. */
export const inconsistencyCount = (problem: Problem, labels: Labels): number => inconsistencies(problem, labels).length;

const PAIR_LABELINGS: [boolean, boolean][] = [
  [true, true],
  [true, false],
  [false, true],
  [false, false],
];

/** The labelings of pair (a, b) that the consistency rule allows, keeping any label a person fixed. */
export function consistentOptions(problem: Problem, a: number, b: number): [boolean, boolean][] {
  const fa = problem.fixed?.[a] ?? null;
  const fb = problem.fixed?.[b] ?? null;
  return PAIR_LABELINGS.filter(([la, lb]) => isConsistent(problem, a, b, la, lb) && (fa === null || fa === la) && (fb === null || fb === lb));
}

export interface FixMove {
  items: [number, number];
  from: [boolean, boolean];
  to: [boolean, boolean];
  U: number; // U after the move
}

export interface Scored<E> {
  score: Score;
  extra: E; // whatever the evaluator computed alongside (per-item reads), kept with the best labeling
}

/**
 * ConsistencyFix (Algorithm 2): up to M rounds; each round visits the inconsistent pairs
 * in random order, scores each allowed labeling of a pair by U, and applies the best one of
 * the first pair whose best option does not lower U. Stops early when I = 0 or no pair helps.
 */
export async function consistencyFix<E>(
  problem: Problem,
  labels: Labels,
  current: Scored<E>,
  M: number,
  evaluate: (labels: Labels) => Promise<Scored<E>>,
  rng: Rng,
): Promise<{ labels: Labels; scored: Scored<E>; moves: FixMove[] }> {
  let best = current;
  let bestLabels = labels;
  const moves: FixMove[] = [];
  for (let round = 0; round < M && best.score.I > 0; round++) {
    let moved = false;
    for (const [a, b] of rng.shuffle(inconsistencies(problem, bestLabels))) {
      let pairBest: { labels: Labels; scored: Scored<E>; to: [boolean, boolean] } | null = null;
      for (const to of consistentOptions(problem, a, b)) {
        const candidate = [...bestLabels];
        candidate[a] = to[0];
        candidate[b] = to[1];
        const scored = await evaluate(candidate);
        if (!pairBest || scored.score.U > pairBest.scored.score.U) pairBest = { labels: candidate, scored, to };
      }
      // not forced, even in a step's first round (departure, above): only a repair that keeps U
      if (pairBest && pairBest.scored.score.U >= best.score.U) {
        moves.push({ items: [a, b], from: [bestLabels[a] as boolean, bestLabels[b] as boolean], to: pairBest.to, U: pairBest.scored.score.U });
        best = pairBest.scored;
        bestLabels = pairBest.labels;
        moved = true;
        break;
      }
    }
    if (!moved) break;
  }
  return { labels: bestLabels, scored: best, moves };
}
