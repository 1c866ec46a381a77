// Which review rows are on screen, in what order: pure functions over the rows the worker sent,
// so a 50 000-row dataset is sorted and filtered without touching the DOM (and unit-tested).

import type { ReviewRow } from '../protocol';

export type ReviewSort = 'labeled' | 'dataset' | 'confidence' | 'disagreement' | 'group';
export type ProvenanceFilter = 'all' | 'icm' | 'human' | 'label-the-rest' | 'unlabeled';

export interface ReviewQuery {
  sort: ReviewSort; // labeled first, then file order; file order; least confident first; most disagreement first; by group
  maxConfidence: number | null; // keep rows whose model confidence is at most this (0.5–1); null: no limit
  disagreeOnly: boolean; // keep rows where at least one baseline disagrees with the label
  group: string; // keep rows whose group contains this text (case-insensitive); '' keeps all
  provenance: ProvenanceFilter;
}

// The review opens on labeled rows: a run labels only its pool, scattered through the file, so
// file order would open on rows with nothing to accept or flip.
export const defaultQuery: ReviewQuery = { sort: 'labeled', maxConfidence: null, disagreeOnly: false, group: '', provenance: 'all' };

// one collator for every comparison: localeCompare with options builds one per call (~70 ms for 12 500 groups)
const byName = new Intl.Collator(undefined, { numeric: true }).compare;

function keep(row: ReviewRow, q: ReviewQuery, group: string): boolean {
  if (q.disagreeOnly && row.disagreement === 0) return false;
  // a person's label has no model confidence: a confidence limit keeps only the model's labels
  if (q.maxConfidence !== null && (row.confidence === null || row.confidence > q.maxConfidence)) return false;
  if (group !== '' && !row.group.toLowerCase().includes(group)) return false;
  if (q.provenance === 'unlabeled') return row.label === null;
  if (q.provenance !== 'all' && row.provenance !== q.provenance) return false;
  return true;
}

/** Each row's group as a rank in natural order ("g2" before "g10"): computed once per load, since
 *  decisions never change a group. */
export function groupRanks(rows: readonly ReviewRow[]): Int32Array {
  const first = new Map<string, number>();
  for (const r of rows) if (!first.has(r.group)) first.set(r.group, first.size);
  const names = [...first.keys()].sort(byName);
  const rankOf = new Map(names.map((g, k) => [g, k]));
  const ranks = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) ranks[i] = rankOf.get(rows[i].group) ?? 0;
  return ranks;
}

// Sorting packs (key, position) into one number and lets the typed array sort natively: no
// comparator calls, so 50 000 rows sort in a few ms even before the JIT has warmed up.
const SLOT = 2 ** 21; // positions per key value; keys stay below 2^32, so key·SLOT + i < 2^53 is exact

function sortBy(kept: number[], key: (i: number) => number): number[] {
  if (kept.length > 0 && kept[kept.length - 1] >= SLOT) return kept.sort((a, b) => key(a) - key(b) || a - b);
  const packed = new Float64Array(kept.length);
  for (let k = 0; k < kept.length; k++) packed[k] = key(kept[k]) * SLOT + kept[k];
  packed.sort();
  for (let k = 0; k < kept.length; k++) kept[k] = packed[k] % SLOT;
  return kept;
}

/** Positions in `rows` of the rows the query keeps, in its order; ties keep dataset order.
 *  `ranks` (from groupRanks) saves recomputing the group order on every sort by group. */
export function orderRows(rows: readonly ReviewRow[], q: ReviewQuery, ranks?: Int32Array): number[] {
  const group = q.group.trim().toLowerCase();
  const kept: number[] = [];
  for (let i = 0; i < rows.length; i++) if (keep(rows[i], q, group)) kept.push(i);
  switch (q.sort) {
    case 'dataset':
      return kept;
    case 'labeled':
      return sortBy(kept, (i) => (rows[i].label === null ? 1 : 0));
    case 'confidence':
      // least sure first (confidence is 0.5–1, kept to a millionth); unlabeled and a person's labels last
      return sortBy(kept, (i) => {
        const c = rows[i].confidence;
        return c === null ? 2e6 : Math.round(c * 1e6);
      });
    case 'disagreement':
      return sortBy(kept, (i) => 1e6 - Math.min(1e6, rows[i].disagreement));
    case 'group': {
      const r = ranks && ranks.length === rows.length ? ranks : groupRanks(rows);
      return sortBy(kept, (i) => r[i]);
    }
  }
}

export type ReviewAction = 'accept' | 'flip' | 'true' | 'false';

/** The label a person's action sets on a row; null when the row has no label to accept or flip.
 *  'true' and 'false' label any row, an unlabeled one included. */
export function actionLabel(row: ReviewRow, action: ReviewAction): boolean | null {
  if (action === 'true' || action === 'false') return action === 'true';
  if (row.label === null) return null;
  return action === 'accept' ? row.label : !row.label;
}

/** The row as it reads once a person has decided its label. */
export function withOverride(row: ReviewRow, label: boolean, methods: readonly string[]): ReviewRow {
  const disagreement = methods.filter((m) => row.methods[m] !== null && row.methods[m] !== undefined && row.methods[m] !== label).length;
  return { ...row, label, confidence: null, provenance: 'human', disagreement };
}

/** A row's override as the store has it: its label when a person set it, else null (none). */
export const overrideOf = (row: ReviewRow): boolean | null => (row.provenance === 'human' ? row.label : null);
