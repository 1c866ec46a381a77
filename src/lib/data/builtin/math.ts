// Built-in task 1, math-solution verification (the paper's GSM8K-verification testbed):
// generated word problems, each with 4 candidate step-by-step solutions. A group is one
// problem; a solution's consistency key is the final answer it reaches, so two solutions
// with the same answer must share a label and two different answers cannot both be True.
// The key is read off the solution text, never off the gold label.

import { Rng } from '../../icm/rng';
import type { DataItem, Dataset } from '../types';
import { alignedGroups, pickLong, separateLengths } from './lengthBias';
import { TEMPLATES, type MathProblem, type Solution } from './mathTemplates';
import { pick } from './text';

const SEED = 0x6d617468; // "math"
const PROBLEMS = 70;
const CANDIDATES = 4;
const CORRECT_WEIGHTS = [1, 2, 3.5, 2.5, 1]; // how many of the 4 candidates are right: about half overall
const ALIGNED_SHARE = 0.35; // share of problems where the explained (long) solutions are the right ones

const TERSE_OPENERS = ['', '', 'Solution:'];
const VERBOSE_OPENERS = ['', "Let's solve this step by step.", "Let's work it out."];
const CLOSERS = [(a: string) => `The answer is ${a}.`, (a: string) => `So the answer is ${a}.`, (a: string) => `Answer: ${a}.`, (a: string) => `Final answer: ${a}.`];
const LEAD_INS = ['Let me read the problem carefully.', 'Here is my working.', 'I will go one step at a time.'];

function render(problem: MathProblem, sol: Solution, long: boolean, opener: number, closer: number): string {
  const parts = long
    ? [VERBOSE_OPENERS[opener], problem.intro, ...sol.steps.map((s) => s.long)]
    : [TERSE_OPENERS[opener], ...sol.steps.map((s) => s.short)];
  parts.push(CLOSERS[closer](problem.unit(sol.answer)));
  return parts.filter(Boolean).join(' ');
}

const validAnswer = (n: number): boolean => Number.isInteger(n) && n > 0;

/** A problem whose correct answer is valid and that has at least two valid slips. */
function drawProblem(rng: Rng, index: number, seen: Set<string>): MathProblem {
  const template = TEMPLATES[index % TEMPLATES.length];
  for (;;) {
    const p = template(rng);
    if (!p || seen.has(p.question) || !validAnswer(p.correct.answer)) continue;
    const slips = p.slips.filter((s) => validAnswer(s.answer) && s.answer !== p.correct.answer);
    if (slips.length < 2) continue;
    seen.add(p.question);
    return { ...p, slips };
  }
}

export function mathDataset(): Dataset {
  const rng = Rng.fromSeed(SEED);
  const seen = new Set<string>();
  const aligned = alignedGroups(rng, PROBLEMS, ALIGNED_SHARE);
  const items: DataItem[] = [];
  for (let p = 0; p < PROBLEMS; p++) {
    const problem = drawProblem(rng, p, seen);
    const nCorrect = rng.weighted(CORRECT_WEIGHTS);
    // wrong candidates draw slips with replacement, so two may share a wrong answer
    const sols = rng.shuffle([
      ...Array.from({ length: nCorrect }, () => problem.correct),
      ...Array.from({ length: CANDIDATES - nCorrect }, () => pick(rng, problem.slips)),
    ]);
    const gold = sols.map((s) => s === problem.correct);
    const long = pickLong(rng, gold, CANDIDATES / 2, aligned[p]);
    const used = new Set<string>();
    const texts = sols.map((sol, j) => {
      const styles = rng.shuffle(Array.from({ length: 3 * CLOSERS.length }, (_, k) => k));
      for (const k of styles) {
        const text = render(problem, sol, long[j], Math.floor(k / CLOSERS.length), k % CLOSERS.length);
        if (!used.has(text)) {
          used.add(text);
          return text;
        }
      }
      return render(problem, sol, long[j], 0, 0); // unreachable: 12 styles for 4 candidates
    });
    const claims = separateLengths(texts, long, (t, attempt) => `${LEAD_INS[attempt % LEAD_INS.length]} ${t}`);
    sols.forEach((sol, j) =>
      items.push({ id: `math-${p}-${j}`, group: `math-${p}`, key: String(sol.answer), question: problem.question, claim: claims[j], gold: gold[j] }),
    );
  }
  return {
    id: 'builtin-math',
    name: 'Math solutions (generated)',
    kind: 'math',
    description: 'Is this solution to the math problem correct?',
    items,
  };
}
