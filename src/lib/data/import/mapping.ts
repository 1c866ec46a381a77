// The field mapping: which column holds what the model reads (question, claim, a second
// response), what ICM may use (group, key), and what only evaluation reads (gold). The
// paper's JSON layout (question, choice, choice_2, answer, cot, label, consistency_id) is
// recognised and mapped with no questions asked.

import type { TaskKind } from '../types';
import { parseGold } from './values';
import type { Cell } from './table';

/** Where an item's consistency key comes from (claim tasks; comparison keys are always the ordering). */
export type KeyRule =
  | { kind: 'column'; column: string } // e.g. the final answer a solution reaches
  | { kind: 'claimText' } // the claim's normalised text: two phrasings that match exactly share a key
  | { kind: 'answerWords' } // the claim's words not in its question (values.ts): phrasings of one answer share a key
  | { kind: 'perItem' }; // no key: every item its own key

export interface FieldMapping {
  kind: TaskKind;
  question: string | null; // the question, problem, context or instruction (required)
  claim: string | null; // claim tasks: the claim or solution; comparison: Response 1 (required)
  response2: string | null; // comparison: Response 2 (required there, ignored otherwise)
  group: string | null; // consistency group; null: see applyMapping's notes
  key: KeyRule; // claim tasks only
  gold: string | null; // evaluation only: never read by the search, never a key or a group
  id: string | null; // unique item id; null: the row number
}

export interface MappingGuess {
  mapping: FieldMapping;
  paperLayout: boolean; // the paper's layout, mapped exactly; the mapping step can be skipped
  notes: string[]; // what the guess left out and why
}

const squash = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The first column whose squashed name is one of `names` (in the order of `names`). */
function find(columns: string[], names: string[], exclude: (string | null)[] = []): string | null {
  for (const n of names) {
    const hit = columns.find((c) => squash(c) === n && !exclude.includes(c));
    if (hit !== undefined) return hit;
  }
  return null;
}

/** The paper's layout: these exact field names, as its official code reads them. */
export function isPaperLayout(columns: string[]): boolean {
  const has = (c: string) => columns.includes(c);
  return has('question') && (has('choice') || has('cot')) && has('consistency_id');
}

/** The mapping of the paper's layout: comparison when choice_2 exists; math when answer exists
 *  with a cot or choice (the claim is the cot, the key the final answer); factual otherwise. */
export function paperMapping(columns: string[]): FieldMapping {
  const has = (c: string) => columns.includes(c);
  const common = { question: 'question', group: 'consistency_id', gold: has('label') ? 'label' : null, id: has('id') ? 'id' : null };
  if (has('choice_2')) return { ...common, kind: 'comparison', claim: 'choice', response2: 'choice_2', key: { kind: 'perItem' } };
  if (has('answer')) return { ...common, kind: 'math', claim: has('cot') ? 'cot' : 'choice', response2: null, key: { kind: 'column', column: 'answer' } };
  return { ...common, kind: 'factual', claim: has('choice') ? 'choice' : 'cot', response2: null, key: { kind: 'claimText' } };
}

const QUESTION = ['question', 'prompt', 'instruction', 'query', 'problem', 'context', 'input', 'human'];
const SOLUTION = ['cot', 'solution', 'reasoning', 'rationale', 'work'];
const CLAIM = ['choice', 'claim', 'response', 'response1', 'responsea', 'choice1', 'completion', 'output', 'candidate', 'statement', 'text'];
const RESPONSE2 = ['choice2', 'response2', 'responseb', 'completion2', 'output2'];
const GROUP = ['consistencyid', 'group', 'groupid', 'questionid', 'problemid', 'pairid'];
const KEY = ['finalanswer', 'answer', 'key', 'consistencykey'];
const GOLD = ['label', 'gold', 'goldlabel', 'iscorrect', 'correct', 'truth', 'target'];
const ID = ['id', 'uid', 'itemid', 'rowid'];

/** A starting mapping from the column names and a few rows; the paper's layout is exact. */
export function guessMapping(columns: string[], sample: (Cell | undefined)[][]): MappingGuess {
  if (isPaperLayout(columns)) return { mapping: paperMapping(columns), paperLayout: true, notes: [] };
  const column = (name: string | null) => (name === null ? -1 : columns.indexOf(name));

  const question = find(columns, QUESTION);
  const solution = find(columns, SOLUTION, [question]);
  // "answer" is a final answer (a key) beside a worked solution, otherwise the claim itself
  const claim = solution ?? find(columns, CLAIM, [question]) ?? find(columns, ['answer'], [question]);
  const response2 = find(columns, RESPONSE2, [question, claim]);
  const key = find(columns, KEY, [question, claim, response2]);
  const used = [question, claim, response2, key];
  const group = find(columns, GROUP, used);
  // a gold column is only guessed when the sample's values read as labels
  const goldCandidate = find(columns, GOLD, [...used, group]);
  const badGold = goldCandidate === null ? -1 : sample.findIndex((row) => parseGold(row[column(goldCandidate)]) === 'invalid');
  const gold = badGold === -1 ? goldCandidate : null;
  const notes =
    goldCandidate !== null && badGold !== -1
      ? [
          `Column "${goldCandidate}" looks like the gold label, but its value in row ${badGold + 1} is ${JSON.stringify(sample[badGold][column(goldCandidate)])}, and gold labels must be true/false, 1/0 or yes/no; so it is not mapped. Map it as the gold label to list every row to fix, or save without gold labels.`,
        ]
      : [];
  const id = find(columns, ID, [...used, group, gold]);

  const kind: TaskKind = response2 !== null ? 'comparison' : key !== null ? 'math' : 'factual';
  return {
    mapping: {
      kind,
      question,
      claim,
      response2,
      group,
      key: kind === 'comparison' ? { kind: 'perItem' } : key !== null ? { kind: 'column', column: key } : { kind: 'claimText' },
      gold,
      id,
    },
    paperLayout: false,
    notes,
  };
}

export type MappingErrors = Partial<Record<'kind' | 'question' | 'claim' | 'response2' | 'group' | 'key' | 'gold' | 'id', string>>;

/** Each field of the mapping that cannot work, with a message for beside that field; {} when it is usable. */
export function validateMapping(columns: string[], m: FieldMapping): MappingErrors {
  const errors: MappingErrors = {};
  const missing = (c: string | null) => c !== null && !columns.includes(c);
  if (m.kind !== 'math' && m.kind !== 'factual' && m.kind !== 'comparison') errors.kind = 'Choose a task kind: math, factual or comparison.';
  const textName = m.kind === 'comparison' ? 'Response 1' : 'claim';
  if (m.question === null) errors.question = 'Choose the column with the question, problem or instruction.';
  else if (missing(m.question)) errors.question = `The file has no column "${m.question}".`;
  if (m.claim === null) errors.claim = `Choose the column with the ${m.kind === 'comparison' ? 'first response' : 'claim or solution'}.`;
  else if (missing(m.claim)) errors.claim = `The file has no column "${m.claim}".`;
  else if (m.claim === m.question) errors.claim = `The ${textName} and the question must be different columns.`;
  if (m.kind === 'comparison') {
    if (m.response2 === null) errors.response2 = 'A comparison needs the column with the second response.';
    else if (missing(m.response2)) errors.response2 = `The file has no column "${m.response2}".`;
    else if (m.response2 === m.claim || m.response2 === m.question) errors.response2 = 'Response 2 must be a column of its own.';
  }
  if (missing(m.group)) errors.group = `The file has no column "${m.group}".`;
  else if (m.group !== null && m.group === m.gold) errors.group = 'The group cannot come from the gold label: the search would read the answer.';
  if (m.kind !== 'comparison' && m.key.kind === 'column') {
    if (missing(m.key.column)) errors.key = `The file has no column "${m.key.column}".`;
    else if (m.key.column === m.gold) errors.key = 'The key cannot come from the gold label: the search would read the answer.';
  }
  if (missing(m.gold)) errors.gold = `The file has no column "${m.gold}".`;
  if (missing(m.id)) errors.id = `The file has no column "${m.id}".`;
  return errors;
}
