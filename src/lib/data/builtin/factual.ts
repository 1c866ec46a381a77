// Built-in task 2, factual claims (the paper's TruthfulQA-style testbed): a question with
// 3–5 candidate answers, one or two of them phrasings of the right answer. A group is one
// question; the key is the answer's identity (its normalized value), so two phrasings of the
// same answer share a key and two different answers cannot both be True. Never its truth.

import { Rng } from '../../icm/rng';
import type { DataItem, Dataset } from '../types';
import { MAKERS, type Answer } from './factualFacts';
import { alignedGroups, pickLong, separateLengths } from './lengthBias';
import { pick } from './text';

const SEED = 0x66616374; // "fact"
const P_TWO_CORRECT = 0.85; // share of questions with two phrasings of the right answer
const SIZES = [3, 4, 4, 5]; // candidates per question
const ALIGNED_SHARE = 0.3; // share of questions where the long phrasings go to right answers first
const HEDGES = [', as far as I know.', ', I am fairly sure.', ', if I remember right.'];

export function factualDataset(): Dataset {
  const rng = Rng.fromSeed(SEED);
  const questions = rng.shuffle(MAKERS.flatMap(([make, count]) => make(rng, count)));
  const aligned = alignedGroups(rng, questions.length, ALIGNED_SHARE);
  const items: DataItem[] = [];
  questions.forEach((q, g) => {
    const nCorrect = rng.next() < P_TWO_CORRECT ? 2 : 1;
    const n = Math.min(pick(rng, SIZES), nCorrect + q.wrong.length);
    const answers: Answer[] = rng.shuffle([...Array.from({ length: nCorrect }, () => q.correct), ...rng.shuffle(q.wrong).slice(0, n - nCorrect)]);
    const gold = answers.map((a) => a === q.correct);
    const long = pickLong(rng, gold, Math.floor(n / 2), aligned[g]);
    // two phrasings of one answer in the same length class take its two different forms
    const usedForm = new Map<string, number>();
    const texts = answers.map((a, j) => {
      const forms = long[j] ? a.long : a.short;
      const slot = `${a.key}|${long[j]}`;
      const prev = usedForm.get(slot);
      const form = prev === undefined ? rng.int(2) : 1 - prev;
      usedForm.set(slot, form);
      return forms[form];
    });
    const claims = separateLengths(texts, long, (t, attempt) => t.replace(/\.?$/, HEDGES[attempt % HEDGES.length]));
    answers.forEach((a, j) =>
      items.push({ id: `fact-${g}-${j}`, group: `fact-${g}`, key: a.key, question: q.question, claim: claims[j], gold: gold[j] }),
    );
  });
  return {
    id: 'builtin-factual',
    name: 'Factual claims (generated)',
    kind: 'factual',
    description: 'Is this answer to the question correct?',
    items,
  };
}
