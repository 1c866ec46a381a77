// The labels a person leaves with, one per item, each marked with where it came from:
// 'human' (a review decision), 'icm' (the search's labeling of its pool) or 'label-the-rest'
// (predicted with ICM's labels as demonstrations). A human decision beats ICM, which beats
// label-the-rest. Written as CSV or JSONL with the item's text, label and confidence.

import type { Dataset } from '../data/types';
import { toCsv } from './csv';

export type Provenance = 'icm' | 'human' | 'label-the-rest';

export interface ItemLabel {
  item: number; // dataset index
  label: boolean;
  confidence: number | null; // the model's P(label), 0.5–1; null for a human decision or when unknown
  provenance: Provenance;
}

interface Source {
  item: number; // dataset index
  label: boolean;
  confidence?: number | null;
}

export interface LabelSources {
  icm?: Source[]; // a run's labels, pool indices already mapped to dataset indices
  rest?: Source[]; // label-the-rest predictions
  human?: Source[]; // review overrides
}

/** One label per dataset item (null where none), by precedence human > icm > label-the-rest. */
export function mergeLabels(itemCount: number, sources: LabelSources): (ItemLabel | null)[] {
  const out: (ItemLabel | null)[] = new Array(itemCount).fill(null);
  const put = (list: Source[] | undefined, provenance: Provenance) => {
    for (const s of list ?? []) if (s.item >= 0 && s.item < itemCount) out[s.item] = { item: s.item, label: s.label, confidence: provenance === 'human' ? null : (s.confidence ?? null), provenance };
  };
  put(sources.rest, 'label-the-rest');
  put(sources.icm, 'icm');
  put(sources.human, 'human');
  return out;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The columns of the labels files, in order; CSV and JSONL name them alike. */
export function labelColumns(kind: Dataset['kind']): string[] {
  const texts = kind === 'comparison' ? ['response1', 'response2'] : ['claim'];
  return ['id', 'group', 'key', 'question', ...texts, 'label', 'confidence', 'provenance'];
}

export type LabelRecord = Record<string, string | boolean | number | null>;

/** The labeled items as records keyed by labelColumns, in the order given (mergeLabels gives
 *  dataset order). Confidence is rounded to 4 decimals. */
export function labelRecords(dataset: Dataset, labels: (ItemLabel | null)[]): LabelRecord[] {
  const out: LabelRecord[] = [];
  for (const l of labels) {
    if (l === null) continue;
    const it = dataset.items[l.item];
    const texts: LabelRecord = dataset.kind === 'comparison' ? { response1: it.claim, response2: it.response2 ?? '' } : { claim: it.claim };
    out.push({ id: it.id, group: it.group, key: it.key, question: it.question, ...texts, label: l.label, confidence: l.confidence === null ? null : round4(l.confidence), provenance: l.provenance });
  }
  return out;
}

export function labelsJsonl(dataset: Dataset, labels: (ItemLabel | null)[]): string {
  return labelRecords(dataset, labels)
    .map((r) => JSON.stringify(r) + '\n')
    .join('');
}

const cell = (v: string | boolean | number | null): string => (v === null ? '' : String(v));

/** CSV with the columns of labelColumns. */
export function labelsCsv(dataset: Dataset, labels: (ItemLabel | null)[], opts: { bom?: boolean } = {}): string {
  const columns = labelColumns(dataset.kind);
  return toCsv(columns, labelRecords(dataset, labels).map((r) => columns.map((c) => cell(r[c]))), opts);
}
