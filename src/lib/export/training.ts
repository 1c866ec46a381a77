// Training files for the paper's next step (§4): fine-tune on the labels. SFT pairs each
// item's prompt (the exact text the model read, prompt.ts) with its label token; preference
// pairs for reward modelling or DPO turn each labeled comparison into (instruction, chosen,
// rejected).

import { itemPrompt, labelText } from '../data/prompt';
import type { Dataset } from '../data/types';
import type { ItemLabel } from './labels';

export interface SftRecord {
  prompt: string; // "Question: …\nClaim: …\nI think this claim is"
  completion: string; // " True" or " False"
}

export function sftRecords(dataset: Dataset, labels: (ItemLabel | null)[]): SftRecord[] {
  return labels.flatMap((l) => (l === null ? [] : [{ prompt: itemPrompt(dataset.kind, dataset.items[l.item]), completion: labelText(l.label) }]));
}

export const sftJsonl = (dataset: Dataset, labels: (ItemLabel | null)[]): string => sftRecords(dataset, labels).map((r) => JSON.stringify(r) + '\n').join('');

export interface PreferenceRecord {
  prompt: string; // the instruction
  chosen: string; // the response the labels say is better
  rejected: string;
}

export type PreferenceResult =
  | { ok: true; records: PreferenceRecord[]; conflicts: number } // conflicts: pairs whose two orders disagree, left out
  | { ok: false; message: string };

/**
 * One record per pair of responses: a comparison item labeled True says Response 1 is better,
 * False says Response 2 is. The two orders of a pair are one record; if their labels
 * disagree about the winner the pair is left out and counted.
 */
export function preferencePairs(dataset: Dataset, labels: (ItemLabel | null)[]): PreferenceResult {
  if (dataset.kind !== 'comparison') return { ok: false, message: 'Preference pairs come from comparison tasks; this dataset labels single claims.' };
  const pairs = new Map<string, { record: PreferenceRecord; conflict: boolean }>();
  for (const l of labels) {
    if (l === null) continue;
    const it = dataset.items[l.item];
    const r2 = it.response2 ?? '';
    const [chosen, rejected] = l.label ? [it.claim, r2] : [r2, it.claim];
    const id = JSON.stringify([it.question, ...[it.claim, r2].sort()]);
    const seen = pairs.get(id);
    if (!seen) pairs.set(id, { record: { prompt: it.question, chosen, rejected }, conflict: false });
    else if (seen.record.chosen !== chosen) seen.conflict = true;
  }
  const all = [...pairs.values()];
  return { ok: true, records: all.filter((p) => !p.conflict).map((p) => p.record), conflicts: all.filter((p) => p.conflict).length };
}

export const preferenceJsonl = (records: PreferenceRecord[]): string => records.map((r) => JSON.stringify(r) + '\n').join('');
