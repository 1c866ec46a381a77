// The prompt text the model reads (DESIGN §2, item 4), in the official code's layout:
// claim tasks "Question: …\nClaim: …\nI think this claim is", comparison tasks the query,
// both responses and the claim "Response 1 is better than Response 2."; each label is
// " True" / " False"; demonstrations are separated by a blank line and the target comes last.

import type { Segment } from '../icm/model';
import type { DataItem, TaskKind } from './types';

export const segmentSeparator = '\n\n';

/** Text every item prompt ends with: the label follows it. */
export const readContext = 'I think this claim is';

/** One item's input, without its label. Comparison items without Response 2 are refused at import. */
export function itemPrompt(kind: TaskKind, item: DataItem): string {
  if (kind === 'comparison')
    return `Human: ${item.question}\nResponse 1: ${item.claim}\nResponse 2: ${item.response2 ?? ''}\nClaim: Response 1 is better than Response 2.\n${readContext}`;
  return `Question: ${item.question}\nClaim: ${item.claim}\n${readContext}`;
}

/** The label as the token that follows the prompt, with its leading space. */
export const labelText = (label: boolean): string => (label ? ' True' : ' False');

/** A sequence as text, cut into pieces at the places where reads happen. */
export interface SequenceText {
  text: string; // the whole sequence
  pieces: string[]; // text === pieces.join('')
  reads: { item: number; piece: number; at: number }[]; // read after pieces[piece], i.e. after text[0, at)
}

/**
 * The one layout of a sequence, used by every backend, the sim server, the token counters and the
 * inspector: the optional one-line task description, then each segment's prompt followed by its
 * label when it is a demonstration, segments separated by a blank line. `segments[i].item`
 * indexes `items`; callers put the target(s) last.
 */
export function sequenceText(kind: TaskKind, items: DataItem[], segments: Segment[], description?: string): SequenceText {
  const pieces: string[] = [];
  const reads: SequenceText['reads'] = [];
  let at = 0;
  const push = (s: string) => {
    pieces.push(s);
    at += s.length;
  };
  if (description) push(description);
  segments.forEach((s, i) => {
    const item = items[s.item];
    if (!item) throw new Error(`Segment ${i} refers to item ${s.item}, which is not in the pool.`);
    // The separator opens the next piece: the read point stays right after "…claim is".
    push((i > 0 || description ? segmentSeparator : '') + itemPrompt(kind, item));
    if (s.read) reads.push({ item: s.item, piece: pieces.length - 1, at });
    if (s.label !== null) push(labelText(s.label));
  });
  return { text: pieces.join(''), pieces, reads };
}

/** The whole text of a sequence (sequenceText's text). */
export const sequencePrompt = (kind: TaskKind, items: DataItem[], segments: Segment[], description?: string): string =>
  sequenceText(kind, items, segments, description).text;
