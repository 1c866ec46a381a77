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

export interface LabelRecord {
  id: string;
  group: string;
  key: string;
  question: string;
  claim: string;
  response2?: string; // comparison tasks
  label: boolean;
  confidence: number | null; // rounded to 4 decimals
  provenance: Provenance;
}

/** The labeled items as records, in the order given (mergeLabels gives dataset order). */
export function labelRecords(dataset: Dataset, labels: (ItemLabel | null)[]): LabelRecord[] {
  const out: LabelRecord[] = [];
  for (const l of labels) {
    if (l === null) continue;
    const it = dataset.items[l.item];
    const r: LabelRecord = { id: it.id, group: it.group, key: it.key, question: it.question, claim: it.claim, label: l.label, confidence: l.confidence === null ? null : round4(l.confidence), provenance: l.provenance };
    if (dataset.kind === 'comparison') r.response2 = it.response2 ?? '';
    out.push(r);
  }
  return out;
}

export function labelsJsonl(dataset: Dataset, labels: (ItemLabel | null)[]): string {
  return labelRecords(dataset, labels)
    .map((r) => JSON.stringify(r) + '\n')
    .join('');
}

/** CSV with columns id, group, key, question, claim (comparison: response1, response2), label, confidence, provenance. */
export function labelsCsv(dataset: Dataset, labels: (ItemLabel | null)[], opts: { bom?: boolean } = {}): string {
  const comparison = dataset.kind === 'comparison';
  const columns = ['id', 'group', 'key', 'question', comparison ? 'response1' : 'claim', ...(comparison ? ['response2'] : []), 'label', 'confidence', 'provenance'];
  const rows = labelRecords(dataset, labels).map((r) => [
    r.id,
    r.group,
    r.key,
    r.question,
    r.claim,
    ...(comparison ? [r.response2 ?? ''] : []),
    r.label ? 'true' : 'false',
    r.confidence === null ? '' : String(r.confidence),
    r.provenance,
  ]);
  return toCsv(columns, rows, opts);
}
