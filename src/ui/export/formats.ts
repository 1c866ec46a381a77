// The export buttons, in the order shown.
import type { ExportFormat } from '../../lib/protocol';
import type { TaskKind } from '../../lib/data/types';

export const formats: { format: ExportFormat; text: string; hint: string; only?: TaskKind }[] = [
  { format: 'labels-csv', text: 'Labels (CSV)', hint: 'id, group, key, text, label, confidence and provenance per item' },
  { format: 'labels-jsonl', text: 'Labels (JSONL)', hint: 'the same, one JSON object per line' },
  { format: 'sft', text: 'SFT pairs (JSONL)', hint: 'prompt and completion per item, for supervised fine-tuning' },
  { format: 'preference', text: 'Preference pairs (JSONL)', hint: 'chosen and rejected responses, for reward modelling or DPO', only: 'comparison' },
];
