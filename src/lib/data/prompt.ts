// The prompt text the model reads (DESIGN §2, item 4), in the official code's layout:
// claim tasks "Question: …\nClaim: …\nI think this claim is", comparison tasks the query,
// both responses and the claim "Response 1 is better than Response 2."; each label is
// " True" / " False"; demonstrations are separated by a blank line and the target comes last.

import type { Segment } from '../icm/model';
import type { DataItem, TaskKind } from './types';

export const segmentSeparator = '\n\n';

/** One item's input, without its label. Comparison items without Response 2 are refused at import. */
export function itemPrompt(kind: TaskKind, item: DataItem): string {
  if (kind === 'comparison')
    return `Human: ${item.question}\nResponse 1: ${item.claim}\nResponse 2: ${item.response2 ?? ''}\nClaim: Response 1 is better than Response 2.\nI think this claim is`;
  return `Question: ${item.question}\nClaim: ${item.claim}\nI think this claim is`;
}

/** The label as the token that follows the prompt, with its leading space. */
export const labelText = (label: boolean): string => (label ? ' True' : ' False');

/**
 * The whole text of a sequence: the optional one-line task description, then each segment's
 * prompt followed by its label when it is a demonstration, segments separated by a blank line.
 * `segments[i].item` indexes `items`; callers put the target(s) last.
 */
export function sequencePrompt(kind: TaskKind, items: DataItem[], segments: Segment[], description?: string): string {
  const parts = segments.map((s) => itemPrompt(kind, items[s.item]) + (s.label === null ? '' : labelText(s.label)));
  if (description) parts.unshift(description);
  return parts.join(segmentSeparator);
}
