// The export buttons, in the order shown, and what the panel says about them.
import type { ExportFormat } from '../../lib/protocol';
import type { TaskKind } from '../../lib/data/types';
import { labelColumns } from '../../lib/export/labels';

export interface FormatButton {
  format: ExportFormat;
  text: string;
  hint: string;
  only?: TaskKind; // the one task kind it applies to
  unavailable?: string; // why it is off for other kinds, shown beside the buttons
}

/** The buttons for a dataset of this kind (null: not known yet). */
export function formats(kind: TaskKind | null): FormatButton[] {
  const columns = labelColumns(kind ?? 'math').join(', ');
  return [
    { format: 'labels-csv', text: 'Labels (CSV)', hint: `${columns} per item; a cell that a spreadsheet would run as a formula (= + - @) starts with an apostrophe` },
    { format: 'labels-jsonl', text: 'Labels (JSONL)', hint: `one JSON object per item with ${columns}` },
    { format: 'sft', text: 'SFT pairs (JSONL)', hint: 'prompt and completion per item, for supervised fine-tuning' },
    { format: 'preference', text: 'Preference pairs (JSONL)', hint: 'chosen and rejected responses, for reward modelling or DPO', only: 'comparison', unavailable: 'they need a pairwise-comparison task, and this dataset is not one' },
  ];
}

export const exportSummary =
  'Every labeled item, in file order. The provenance column says whose label it is: yours (human) beats ICM’s, which beats label-the-rest’s.';
