import { describe, expect, it } from 'vitest';
import type { Dataset } from '../types';
import { applyMapping, previewText, type MappedDataset } from './apply';
import { parseJson } from './json';
import { guessMapping, validateMapping, type FieldMapping } from './mapping';
import { parseText } from './parse';
import type { ImportFormat, Result, Table } from './table';

function table(text: string, format: ImportFormat): Table {
  const r = parseText(text, format);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}
function mapped(r: Result<MappedDataset>): MappedDataset {
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}
const meta = { id: 'd1', name: 'Mine' };

/** Guess the mapping, insist it is the paper's, and import. */
function importPaper(json: string): { dataset: Dataset; notes: string[] } {
  const t = table(json, 'json');
  const guess = guessMapping(t.columns, t.rows.slice(0, 20));
  expect(guess.paperLayout).toBe(true);
  return mapped(applyMapping(t, guess.mapping, meta));
}

// Hand-written items in the paper's layouts (its real files are not read by tests).
const MATH = JSON.stringify([
  { question: 'Ann has 3 pens and buys 4 more. How many pens?', answer: '7', cot: 'Ann has 3 pens. 3 + 4 = 7. The answer is 7.', label: true, ref_answer: '7', consistency_id: 0 },
  { question: 'Ann has 3 pens and buys 4 more. How many pens?', answer: '12', cot: 'She buys 4. 3 * 4 = 12. The answer is 12.', label: 0, ref_answer: '7', consistency_id: 0 },
  { question: 'Ann has 3 pens and buys 4 more. How many pens?', answer: '7', cot: 'Adding gives 7.', label: 1, ref_answer: '7', consistency_id: 0 },
  { question: 'A box holds 5 eggs. How many in 2 boxes?', answer: '10', cot: '5 * 2 = 10.', label: 'True', consistency_id: 1 },
]);
const FACTUAL = JSON.stringify([
  { question: 'What colour is the sky on a clear day?', choice: 'Blue.', label: '1', consistency_id: '0' },
  { question: 'What colour is the sky on a clear day?', choice: 'blue', label: 1, consistency_id: '0' },
  { question: 'What colour is the sky on a clear day?', choice: 'Green.', label: false, consistency_id: '0' },
  { question: 'Do fish breathe air?', choice: 'Most fish take oxygen from water.', label: 'true', consistency_id: 1 },
]);
const COMPARISON = JSON.stringify({
  data: [
    { question: 'Name a fruit.', choice: 'An apple.', choice_2: 'I will not answer.', label: true, consistency_id: 0, hh_type: 'helpfulness' },
    { question: 'Name a fruit.', choice: 'I will not answer.', choice_2: 'An apple.', label: '0', consistency_id: 0 },
    { question: 'Say hi.', choice: 'Hello!', choice_2: 'Bye.', label: 'False', consistency_id: 1 },
    { question: 'Say hi.', choice: 'Bye.', choice_2: 'Hello!', label: 1, consistency_id: 1 },
  ],
});

describe("the paper's layout imports with no mapping", () => {
  it('math: claim = cot, key = the final answer as written, group = consistency_id, mixed label spellings', () => {
    const { dataset } = importPaper(MATH);
    expect(dataset.kind).toBe('math');
    expect(dataset.items.map((i) => [i.id, i.group, i.key, i.gold])).toEqual([
      ['1', '0', '7', true],
      ['2', '0', '12', false],
      ['3', '0', '7', true],
      ['4', '1', '10', true],
    ]);
    expect(dataset.items[0].claim).toBe('Ann has 3 pens. 3 + 4 = 7. The answer is 7.');
    expect(dataset.items[0].response2).toBeUndefined();
  });

  it('factual: claim = choice, key = the normalised claim text (never the label)', () => {
    const { dataset, notes } = importPaper(FACTUAL);
    expect(dataset.kind).toBe('factual');
    expect(dataset.items.map((i) => [i.group, i.key, i.gold])).toEqual([
      ['0', 'blue', true],
      ['0', 'blue', true],
      ['0', 'green', false],
      ['1', 'most fish take oxygen from water', true],
    ]);
    expect(notes.join(' ')).toMatch(/cannot both be True/); // "One right answer per group" on, as applyMapping defaults
  });

  it('the notes say what "One right answer per group" was set to (issue 25, item 5)', () => {
    const t = table(FACTUAL, 'json');
    const { mapping } = guessMapping(t.columns, t.rows);
    const on = mapped(applyMapping(t, mapping, { ...meta, exclusive: true }));
    expect(on.dataset.exclusive).toBe(true);
    expect(on.notes.join(' ')).toMatch(/with One right answer per group on, claims with different keys in a group cannot both be True/);
    const off = mapped(applyMapping(t, mapping, { ...meta, exclusive: false }));
    expect(off.dataset.exclusive).toBe(false);
    const text = off.notes.join(' ');
    expect(text).toMatch(/One right answer per group is off, so claims with different keys in a group may all be True/);
    expect(text).not.toMatch(/cannot both be True|at most one|map no group column/);
    expect(text).not.toMatch(/no consistency pairs/); // "Blue." and "blue" share a key
    // without two claims sharing a key, nothing ties the claims of a group: said so
    const distinct = table(JSON.stringify((JSON.parse(FACTUAL) as { choice: string }[]).filter((r) => r.choice !== 'blue')), 'json');
    expect(mapped(applyMapping(distinct, mapping, { ...meta, exclusive: false })).notes.join(' ')).toMatch(/no consistency pairs to check/);
  });

  it("factual with the claim's answer as the key (chosen at import): phrasings of one answer share a key", () => {
    const rows = [
      { question: 'How many days are in June?', choice: 'June has 30 days.', label: 1, consistency_id: 0 },
      { question: 'How many days are in June?', choice: '30', label: 1, consistency_id: 0 },
      { question: 'How many days are in June?', choice: 'There are 31 days in June.', label: 0, consistency_id: 0 },
      { question: 'What is the capital of France?', choice: 'The capital of France is Paris.', label: 1, consistency_id: 1 },
      { question: 'What is the capital of France?', choice: 'I have no comment.', label: 1, consistency_id: 1 },
    ];
    const table = parseText(JSON.stringify(rows), 'json');
    if (!table.ok) throw new Error('parse');
    const { mapping } = guessMapping(table.value.columns, table.value.rows);
    const mapped = applyMapping(table.value, { ...mapping, key: { kind: 'answerWords' } }, { id: 'a', name: 'a' });
    if (!mapped.ok) throw new Error('map');
    expect(mapped.value.dataset.items.map((i) => i.key)).toEqual(['30', '30', '31', 'paris', 'no comment']);
  });

  it('comparison: both orders of a pair get opposite keys from the texts, whatever the labels say', () => {
    const { dataset } = importPaper(COMPARISON);
    expect(dataset.kind).toBe('comparison');
    expect(dataset.items.map((i) => [i.group, i.key, i.gold])).toEqual([
      ['0', 'a>b', true], // "An apple." sorts before "I will not answer."
      ['0', 'b>a', false],
      ['1', 'b>a', false], // "Bye." sorts before "Hello!"
      ['1', 'a>b', true],
    ]);
    expect(dataset.items[0].response2).toBe('I will not answer.');
    // flipping every label changes no key
    const flipped = JSON.parse(COMPARISON) as { data: Record<string, unknown>[] };
    flipped.data.forEach((d) => (d.label = !(d.label === true || d.label === 1 || d.label === 'True')));
    expect(importPaper(JSON.stringify(flipped)).dataset.items.map((i) => i.key)).toEqual(dataset.items.map((i) => i.key));
  });

  it('shows the exact text the model will read', () => {
    const t = table(COMPARISON, 'json');
    const r = previewText(t, guessMapping(t.columns, []).mapping, 0);
    expect(r).toEqual({ ok: true, value: 'Human: Name a fruit.\nResponse 1: An apple.\nResponse 2: I will not answer.\nClaim: Response 1 is better than Response 2.\nI think this claim is' });
  });

  it('names the row and the field that is missing', () => {
    const items = JSON.parse(MATH) as Record<string, unknown>[];
    delete items[2].answer;
    items[3].cot = '   ';
    const t = table(JSON.stringify(items), 'json');
    const r = applyMapping(t, guessMapping(t.columns, []).mapping, meta);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { message: 'Item 3: field "answer" (the consistency key) is empty.', row: 3, field: 'answer' },
      { message: 'Item 4: field "cot" (the claim) is empty.', row: 4, field: 'cot' },
    ]);
  });
});

describe('a CSV of your own', () => {
  const CSV = [
    '\uFEFFid,Prompt,Response,group,Gold',
    'a,"Is water wet?","Yes, ""very"" wet.\nTruly.",g1,true',
    'b,Is water wet?,No.,g1,1',
    'c,Is fire cold?,No.,g2,"True"',
    'd,Is fire cold?,Yes.,g2,FALSE',
    'e,Is ice hot?,Never.,g3,',
  ].join('\r\n');

  it('guesses the mapping from column names and reads mixed label spellings', () => {
    const t = table(CSV, 'csv');
    const guess = guessMapping(t.columns, t.rows);
    expect(guess).toEqual({
      paperLayout: false,
      mapping: { kind: 'factual', question: 'Prompt', claim: 'Response', response2: null, group: 'group', key: { kind: 'claimText' }, gold: 'Gold', id: 'id' },
      notes: [],
    });
    const { dataset, notes } = mapped(applyMapping(t, guess.mapping, meta));
    expect(dataset.items.map((i) => i.gold)).toEqual([true, true, true, false, undefined]);
    expect(dataset.items[0].claim).toBe('Yes, "very" wet.\nTruly.');
    expect(dataset.description).toBe('Is this answer to the question correct?');
    expect(notes.join(' ')).toMatch(/Gold labels on 4 of 5 items/);
  });

  it('refuses a label it cannot read, naming the row and field', () => {
    const t = table('question,claim,label\nq,c,maybe\nq,d,TRUE\n', 'csv');
    const r = applyMapping(t, guessMapping(t.columns, []).mapping, meta);
    expect(r).toEqual({ ok: false, errors: [{ message: 'Row 1: field "label" (the gold label) is "maybe"; use true/false, 1/0 or yes/no, or leave it empty.', row: 1, field: 'label' }] });
  });

  it('says why a gold-looking column was left out of the guess, and that a dataset has no gold', () => {
    const t = table('question,claim,label\nq,c,true\nq,d,maybe\nr,e,2\n', 'csv');
    const guess = guessMapping(t.columns, t.rows);
    expect(guess.mapping.gold).toBeNull();
    expect(guess.notes).toEqual([
      'Column "label" looks like the gold label, but its value in row 2 is "maybe", and gold labels must be true/false, 1/0 or yes/no; so it is not mapped. Map it as the gold label to list every row to fix, or save without gold labels.',
    ]);
    expect(mapped(applyMapping(t, guess.mapping, meta)).notes).toContain('No gold labels: runs on it show no accuracy (the search never needs them).');
  });

  it('never rounds an id: keeps the digits where the browser gives them, else refuses the number', () => {
    const text = '[{"id":9007199254740993,"question":"q","claim":"a"},{"id":9007199254740995,"question":"q","claim":"b"}]';
    const t = table(text, 'json');
    const r = applyMapping(t, guessMapping(t.columns, t.rows).mapping, meta);
    if (r.ok) expect(r.value.dataset.items.map((i) => i.id)).toEqual(['9007199254740993', '9007199254740995']); // JSON.parse source text access (Chromium)
    else expect(r.errors[0].message).toBe('Item 1: field "id" (the item id) is the number 9007199254740992, too large to be read exactly (beyond 2^53, so it may have been rounded). Write it in quotes, as text.');
    // small ids stay numbers written as text, as before
    const small = table('[{"id":12,"question":"q","claim":"a"}]', 'json');
    expect(mapped(applyMapping(small, guessMapping(small.columns, small.rows).mapping, meta)).dataset.items[0].id).toBe('12');
  });

  it('never stores an id past the range of a number as "Infinity": keeps it as written where the browser gives the text, else refuses it', () => {
    const t = table('[{"id":1e400,"question":"q","claim":"a"},{"id":2e400,"question":"q","claim":"b"}]', 'json');
    const r = applyMapping(t, guessMapping(t.columns, t.rows).mapping, meta);
    if (r.ok) expect(r.value.dataset.items.map((i) => i.id)).toEqual(['1e400', '2e400']); // JSON.parse source text access (Chromium)
    else
      expect(r.errors.map((e) => e.message)).toEqual([
        'Item 1: field "id" (the item id) is a number too large to read (it would be stored as "Infinity"). Write it in quotes, as text, to keep it as written.',
        'Item 2: field "id" (the item id) is a number too large to read (it would be stored as "Infinity"). Write it in quotes, as text, to keep it as written.',
      ]);
  });

  it('refuses duplicate ids, naming both rows', () => {
    const t = table('id,question,claim\nx,q,"a\nb"\ny,q,c\nx,q,d\n', 'csv');
    const r = applyMapping(t, guessMapping(t.columns, []).mapping, meta);
    expect(r).toEqual({ ok: false, errors: [{ message: 'Row 1 and row 3 (line 5) have the same id "x" (field "id"); ids must be unique.', row: 3, field: 'id' }] });
  });

  it('without a group: every item its own group, and says so; comparisons pair up both orders', () => {
    const t = table('question,claim\nq,a\nq,b\n', 'csv');
    const m = guessMapping(t.columns, []).mapping;
    const { dataset, notes } = mapped(applyMapping(t, m, meta));
    expect(new Set(dataset.items.map((i) => i.group)).size).toBe(2);
    expect(notes[0]).toMatch(/no consistency pairs/);

    const c = table('instruction,response_1,response_2\nHi,A,B\nHi,B,A\nBye,A,B\n', 'csv');
    const cm = guessMapping(c.columns, []).mapping;
    expect(cm).toMatchObject({ kind: 'comparison', question: 'instruction', claim: 'response_1', response2: 'response_2', group: null });
    const cd = mapped(applyMapping(c, cm, meta));
    const [g1, g2, g3] = cd.dataset.items.map((i) => i.group);
    expect(g1).toBe(g2);
    expect(g3).not.toBe(g1);
    expect(cd.dataset.items.map((i) => i.key)).toEqual(['a>b', 'b>a', 'a>b']);
    expect(cd.notes[0]).toMatch(/grouped together \(2 groups\)/);
  });

  it('a math file: the answer column is the key beside a solution column', () => {
    const t = table('problem\tsolution\tfinal_answer\tproblem_id\n2+2?\t2+2=4\t4\tp1\n2+2?\t2+2=5\t5\tp1\n', 'tsv');
    const m = guessMapping(t.columns, t.rows).mapping;
    expect(m).toMatchObject({ kind: 'math', question: 'problem', claim: 'solution', key: { kind: 'column', column: 'final_answer' }, group: 'problem_id', gold: null });
    expect(mapped(applyMapping(t, m, meta)).dataset.items.map((i) => i.key)).toEqual(['4', '5']);
  });

  it('never takes a key or a group from the gold column', () => {
    const m: FieldMapping = { kind: 'math', question: 'q', claim: 'c', response2: null, group: 'label', key: { kind: 'column', column: 'label' }, gold: 'label', id: null };
    const errors = validateMapping(['q', 'c', 'label'], m);
    expect(errors.key).toMatch(/gold label/);
    expect(errors.group).toMatch(/gold label/);
    expect(validateMapping(['q'], { ...m, kind: 'comparison', group: null, gold: null })).toMatchObject({ claim: expect.any(String), response2: expect.any(String) });
    const r = applyMapping(table('q,c,label\n1,2,true\n', 'csv'), m, meta);
    expect(r.ok).toBe(false);
  });

  // how fast is measured by npm run bench (import.rows50000.parseMs), not asserted: a busy machine slows any test
  it('imports 50 000 rows (parse and map)', () => {
    const lines = ['id,question,claim,answer,consistency_id,label'];
    for (let i = 0; i < 50_000; i++) lines.push(`r${i},"How much is ${i >> 2} + 1?","We add one, so ""${(i >> 2) + (i % 2)}"".\nDone.",${(i >> 2) + (i % 2)},${i >> 2},${['true', '0', 'True', 'no'][i % 4]}`);
    const text = lines.join('\n');
    const t = table(text, 'csv');
    const { dataset } = mapped(applyMapping(t, guessMapping(t.columns, t.rows.slice(0, 50)).mapping, meta));
    expect(dataset.kind).toBe('math');
    expect(dataset.items).toHaveLength(50_000);
    expect(dataset.items[49_999]).toMatchObject({ id: 'r49999', group: '12499', key: '12500', gold: false });
  });
});

describe('JSON numbers and booleans as fields', () => {
  it('reads numeric ids, groups and answers as text', () => {
    const r = parseJson(JSON.stringify([{ id: 7, question: 'q', cot: 's', answer: 1000, consistency_id: 3, label: 1 }]));
    if (!r.ok) throw new Error('parse');
    const { dataset } = mapped(applyMapping(r.value, guessMapping(r.value.columns, []).mapping, meta));
    expect(dataset.items[0]).toEqual({ id: '7', group: '3', key: '1000', question: 'q', claim: 's', gold: true });
  });
});
