// Rows + mapping → a Dataset, or errors that name the row and the field. Every row is
// checked; nothing is half-imported. Notes say what the mapping implies for the search
// (no groups: no consistency pairs; claim-text keys: one right answer per group).

import { itemPrompt } from '../prompt';
import type { DataItem, Dataset, TaskKind } from '../types';
import { validateMapping, type FieldMapping, type KeyRule } from './mapping';
import { ErrorList, rowName, rowNumber, type ImportError, type Result, type Table } from './table';
import { answerWords, cellText, comparisonKey, normaliseClaim, parseGold, textHash } from './values';

export interface DatasetMeta {
  id: string;
  name: string;
  description?: string; // one line the model may read first; default by task kind
  exclusive?: boolean; // "One right answer per group": claims with different keys in a group cannot both be True (default true)
}

export interface MappedDataset {
  dataset: Dataset;
  notes: string[]; // what a person should know before running on it
}

export const defaultDescriptions: Record<TaskKind, string> = {
  math: 'Is this solution to the math problem correct?',
  factual: 'Is this answer to the question correct?',
  comparison: 'Is Response 1 a more helpful and correct answer than Response 2?',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The mapping's columns as indices (-1: not mapped), once validateMapping has passed. */
function indices(table: Table, m: FieldMapping) {
  const at = (c: string | null) => (c === null ? -1 : table.columns.indexOf(c));
  return {
    question: at(m.question),
    claim: at(m.claim),
    response2: m.kind === 'comparison' ? at(m.response2) : -1,
    group: at(m.group),
    key: m.kind !== 'comparison' && m.key.kind === 'column' ? at(m.key.column) : -1,
    gold: at(m.gold),
    id: at(m.id),
  };
}

/** Row r as an item, or the reasons it cannot be one. `id` is filled in by the caller's rule. */
function readRow(table: Table, m: FieldMapping, col: ReturnType<typeof indices>, r: number, errors: ErrorList): DataItem | null {
  const row = table.rows[r];
  const where = () => rowName(table, r); // only built for an error
  const n = rowNumber(table, r);
  let ok = true;
  const text = (c: number, what: string): string => {
    const cell = row[c];
    if (typeof cell === 'number' && !Number.isFinite(cell)) {
      errors.add(`${where()}: field "${table.columns[c]}" (${what}) is a number too large to read (it would be stored as "${cell}"). Write it in quotes, as text, to keep it as written.`, n, table.columns[c]);
      ok = false;
      return '';
    }
    if (typeof cell === 'number' && Number.isInteger(cell) && !Number.isSafeInteger(cell)) {
      errors.add(`${where()}: field "${table.columns[c]}" (${what}) is the number ${cell}, too large to be read exactly (beyond 2^53, so it may have been rounded). Write it in quotes, as text.`, n, table.columns[c]);
      ok = false;
      return '';
    }
    const v = cellText(cell);
    if (v === null) {
      errors.add(`${where()}: field "${table.columns[c]}" (${what}) is empty.`, n, table.columns[c]);
      ok = false;
      return '';
    }
    return v;
  };
  const comparison = m.kind === 'comparison';
  const question = text(col.question, comparison ? 'the instruction' : 'the question');
  const claim = text(col.claim, comparison ? 'Response 1' : 'the claim');
  const response2 = comparison ? text(col.response2, 'Response 2') : undefined;
  const id = col.id < 0 ? String(r + 1) : text(col.id, 'the item id');

  let group: string;
  if (col.group >= 0) group = text(col.group, 'the consistency group');
  // a comparison pair shown in both orders is one group even without a group column
  else if (comparison) group = `pair-${textHash([question, ...[claim, response2 ?? ''].sort()].join('\u0000'))}`;
  else group = `item-${id}`;

  let key: string;
  if (comparison) key = comparisonKey(claim, response2 ?? '');
  else if (m.key.kind === 'column') key = text(col.key, 'the consistency key'); // exactly as written, as the official code does
  else if (m.key.kind === 'claimText') key = normaliseClaim(claim);
  else if (m.key.kind === 'answerWords') key = answerWords(question, claim);
  else key = `item-${id}`;

  let gold: boolean | undefined;
  if (col.gold >= 0) {
    const g = parseGold(row[col.gold]);
    if (g === 'invalid') {
      errors.add(`${where()}: field "${table.columns[col.gold]}" (the gold label) is ${JSON.stringify(row[col.gold])}; use true/false, 1/0 or yes/no, or leave it empty.`, n, table.columns[col.gold]);
      ok = false;
    } else gold = g;
  }
  if (!ok) return null;
  const item: DataItem = { id, group, key, question, claim };
  if (response2 !== undefined) item.response2 = response2;
  if (gold !== undefined) item.gold = gold;
  return item;
}

function keyText(key: KeyRule): string {
  switch (key.kind) {
    case 'column':
      return `Keys are column "${key.column}" as written`;
    case 'claimText':
      return "Keys are the claims' own text";
    case 'answerWords':
      return "Keys are the claims' answers (their words that are not in the question, a departure from the paper)";
    case 'perItem':
      return 'No key: every item has its own key';
  }
}

/** What the key rule and "One right answer per group" make of a claim task's groups, as the import set them. */
function keyNote(items: DataItem[], key: KeyRule, exclusive: boolean): string {
  const tied = key.kind === 'perItem' ? ':' : ': claims in a group with the same key must get the same label;';
  if (exclusive)
    return `${keyText(key)}${tied} with One right answer per group on, claims with different keys in a group cannot both be True (at most one answer per group is right). If several claims in a group can be right, turn One right answer per group off.`;
  const seen = new Set<string>();
  const shared = items.some((it) => {
    const k = `${it.group}\u0000${it.key}`;
    return seen.has(k) || !seen.add(k);
  });
  const alone = shared ? '' : ' No group has two claims with the same key, so ICM has no consistency pairs to check and relies on mutual predictability alone; it can then label everything one way (README, "When ICM labels everything one way").';
  return `${keyText(key)}${tied} One right answer per group is off, so claims with different keys in a group may all be True.${alone}`;
}

function notesFor(items: DataItem[], m: FieldMapping, exclusive: boolean): string[] {
  const notes: string[] = [];
  const groups = new Map<string, number>();
  for (const it of items) groups.set(it.group, (groups.get(it.group) ?? 0) + 1);
  if (m.group === null && m.kind === 'comparison')
    notes.push(`No group column: the two orders of each pair of responses were grouped together (${plural(groups.size, 'group')}).`);
  else if (m.group === null)
    notes.push('No group column: every item is its own group, so ICM has no consistency pairs to check and relies on mutual predictability alone.');
  else if ([...groups.values()].every((n) => n === 1)) notes.push('Every group has a single item, so ICM has no consistency pairs to check.');
  else if (m.kind !== 'comparison') notes.push(keyNote(items, m.key, exclusive));
  const withGold = items.filter((it) => it.gold !== undefined).length;
  if (m.gold !== null && withGold < items.length)
    notes.push(`Gold labels on ${withGold} of ${items.length} items; accuracy is measured on those only.`);
  if (m.gold === null) notes.push('No gold labels: runs on it show no accuracy (the search never needs them).');
  if (m.kind === 'comparison' && items.some((it) => it.key === 'a=b')) notes.push('Some items compare a response with itself.');
  return notes;
}

/** The dataset the mapping makes of the table, or every problem (up to a limit) by row and field. */
export function applyMapping(table: Table, mapping: FieldMapping, meta: DatasetMeta): Result<MappedDataset> {
  const invalid = validateMapping(table.columns, mapping);
  const fields = Object.entries(invalid);
  if (fields.length) return { ok: false, errors: fields.map(([field, message]): ImportError => ({ message: `Mapping, ${field}: ${message}`, row: null, field })) };

  const col = indices(table, mapping);
  const errors = new ErrorList();
  const items: DataItem[] = [];
  const firstRowOfId = new Map<string, number>();
  for (let r = 0; r < table.rows.length; r++) {
    const item = readRow(table, mapping, col, r, errors);
    if (item === null) continue;
    const first = firstRowOfId.get(item.id);
    if (first !== undefined) {
      const idField = mapping.id ?? 'id';
      errors.add(`${rowName(table, first)} and ${rowName(table, r).replace(/^Row|^Line|^Item/, (w) => w.toLowerCase())} have the same id "${item.id}" (field "${idField}"); ids must be unique.`, rowNumber(table, r), idField);
      continue;
    }
    firstRowOfId.set(item.id, r);
    items.push(item);
  }
  if (!errors.empty) return { ok: false, errors: errors.list() };
  const dataset: Dataset = {
    id: meta.id,
    name: meta.name,
    kind: mapping.kind,
    description: meta.description ?? defaultDescriptions[mapping.kind],
    items,
  };
  if (meta.exclusive !== undefined) dataset.exclusive = meta.exclusive;
  return { ok: true, value: { dataset, notes: notesFor(items, mapping, meta.exclusive ?? true) } };
}

/** Exactly what the model will read for row r under the mapping (its label follows), or why it cannot. */
/** The most of one item's text the preview shows: a 30 MB cell laid out in the page stalled it for seconds. */
export const PREVIEW_CHARS = 20_000;

export function previewText(table: Table, mapping: FieldMapping, r: number): Result<string> {
  const invalid = validateMapping(table.columns, mapping);
  const fields = Object.entries(invalid);
  if (fields.length) return { ok: false, errors: fields.map(([field, message]) => ({ message: `Mapping, ${field}: ${message}`, row: null, field })) };
  const errors = new ErrorList();
  const item = readRow(table, mapping, indices(table, mapping), r, errors);
  if (item === null) return { ok: false, errors: errors.list() };
  const text = itemPrompt(mapping.kind, item);
  if (text.length <= PREVIEW_CHARS) return { ok: true, value: text };
  const more = (text.length - PREVIEW_CHARS).toLocaleString('en-US');
  return { ok: true, value: `${text.slice(0, PREVIEW_CHARS)}\n… and ${more} more characters, not shown here; the model reads them all.` };
}
