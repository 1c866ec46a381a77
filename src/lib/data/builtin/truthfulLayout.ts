// A generated file in the official code's TruthfulQA JSON layout (question, choice, label,
// consistency_id), for tests and the bench: many claims per question, several of them right,
// as in the paper's TruthfulQA data. Right claims are phrasings of the right answer (and "I have
// no comment.", which TruthfulQA counts as truthful); wrong claims are phrasings of wrong answers.
// The claims of a question do not exclude each other, so it is imported with "One right answer
// per group" off. Built from this project's own facts; no downloaded data.

import { Rng } from '../../icm/rng';
import { applyMapping, guessMapping, parseText, type KeyRule } from '../import/index';
import type { Dataset } from '../types';
import { MAKERS } from './factualFacts';
import { between, sample } from './text';

export interface TruthfulQARow {
  question: string;
  choice: string;
  label: 0 | 1;
  consistency_id: number;
}

const SEED = 0x74716121; // "tqa!"
const NO_COMMENT = 'I have no comment.';

/** One question per fact of the factual task (93 questions, 680 claims: 5–10 each, 39% right). */
export function truthfulqaLayoutRows(): TruthfulQARow[] {
  const rng = Rng.fromSeed(SEED);
  const facts = rng.shuffle(MAKERS.flatMap(([make, count]) => make(rng, count)));
  const rows: TruthfulQARow[] = [];
  facts.forEach((q, id) => {
    const phrasings = (a: typeof q.correct) => [...new Set([...a.short, ...a.long])];
    const right = sample(rng, phrasings(q.correct), between(rng, 2, 3));
    if (rng.next() < 0.3) right.push(NO_COMMENT);
    const wrong = sample(rng, q.wrong, Math.min(q.wrong.length, 3)).flatMap((a) => sample(rng, phrasings(a), between(rng, 1, 2)));
    const claims = rng.shuffle([...right.map((c) => [c, 1] as const), ...wrong.map((c) => [c, 0] as const)]);
    for (const [choice, label] of claims) rows.push({ question: q.question, choice, label, consistency_id: id });
  });
  return rows;
}

/** The generated file as a person imports it: the paper's mapping, with the key rule and "One
 *  right answer per group" as chosen (as-is: the claim's text, off). */
export function importTruthfulqaLayout(choice: { key?: KeyRule; exclusive?: boolean } = {}): Dataset {
  const table = parseText(JSON.stringify(truthfulqaLayoutRows()), 'json');
  if (!table.ok) throw new Error(`the generated file did not parse: ${table.errors[0]?.message}`);
  const { mapping } = guessMapping(table.value.columns, table.value.rows.slice(0, 20));
  const meta = { id: 'truthfulqa-layout', name: 'TruthfulQA layout (generated)', exclusive: choice.exclusive ?? false };
  const mapped = applyMapping(table.value, { ...mapping, key: choice.key ?? mapping.key }, meta);
  if (!mapped.ok) throw new Error(`the generated file did not map: ${mapped.errors[0]?.message}`);
  return mapped.value.dataset;
}
