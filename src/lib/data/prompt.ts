// The prompt text the model reads (DESIGN §2, item 4), in the official code's layout:
// claim tasks "Question: …\nClaim: …\nI think this claim is", comparison tasks the query,
// both responses and the claim "Response 1 is better than Response 2."; each label is
// " True" / " False"; demonstrations are separated by a blank line and the target comes last.
//
// Not in the paper: the 'chat' format puts the same items to an instruction-tuned model in its
// chat template (ChatML, the template of Qwen2.5 and SmolLM2): the task description as the system
// turn, each item a user turn asking whether the claim is True or False, each demonstration's
// label the assistant's answer ("True" / "False"), the target's assistant turn left open.

import type { Segment } from '../icm/model';
import type { DataItem, TaskKind } from './types';

export const segmentSeparator = '\n\n';

/** How a sequence is put to the model: the paper's raw completion, or the model's chat template (ChatML). */
export type PromptFormat = 'completion' | 'chat';

/** Text every item prompt ends with: the label follows it. */
export const readContext = 'I think this claim is';

const CHAT_QUESTION = 'Is the claim True or False?';
const CHAT_ASSISTANT = '<|im_start|>assistant\n';
const CHAT_END = '<|im_end|>\n';

/** The text just before a label in `format` (where a label is read): it ends every item prompt. */
export const readContextOf = (format: PromptFormat = 'completion'): string => (format === 'chat' ? CHAT_ASSISTANT : readContext);

/** One item's input, without its label. Comparison items without Response 2 are refused at import. */
export function itemPrompt(kind: TaskKind, item: DataItem, format: PromptFormat = 'completion'): string {
  const body =
    kind === 'comparison'
      ? `Human: ${item.question}\nResponse 1: ${item.claim}\nResponse 2: ${item.response2 ?? ''}\nClaim: Response 1 is better than Response 2.`
      : `Question: ${item.question}\nClaim: ${item.claim}`;
  return format === 'chat' ? `<|im_start|>user\n${body}\n${CHAT_QUESTION}${CHAT_END}${CHAT_ASSISTANT}` : `${body}\n${readContext}`;
}

/** The label as the token that follows the prompt: with its leading space in a completion, alone as a chat answer. */
export const labelText = (label: boolean, format: PromptFormat = 'completion'): string => (format === 'chat' ? (label ? 'True' : 'False') : label ? ' True' : ' False');

/** What a demonstration's label adds to the text: the label, and in a chat the end of the assistant's turn. */
export const labelPiece = (label: boolean, format: PromptFormat): string => labelText(label, format) + (format === 'chat' ? CHAT_END : '');

/** Between two items: a blank line in a completion; nothing in a chat, whose turns end with a line break. */
export const separatorOf = (format: PromptFormat): string => (format === 'chat' ? '' : segmentSeparator);

/** The description before the first item: a line of text, or the system turn of a chat. */
export const descriptionPiece = (description: string, format: PromptFormat): string => (format === 'chat' ? `<|im_start|>system\n${description}${CHAT_END}` : description);

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
export function sequenceText(kind: TaskKind, items: DataItem[], segments: Segment[], description?: string, format: PromptFormat = 'completion'): SequenceText {
  const pieces: string[] = [];
  const reads: SequenceText['reads'] = [];
  let at = 0;
  const push = (s: string) => {
    pieces.push(s);
    at += s.length;
  };
  if (description) push(descriptionPiece(description, format));
  segments.forEach((s, i) => {
    const item = items[s.item];
    if (!item) throw new Error(`Segment ${i} refers to item ${s.item}, which is not in the pool.`);
    // The separator opens the next piece: the read point stays right after "…claim is".
    push((i > 0 || description ? separatorOf(format) : '') + itemPrompt(kind, item, format));
    if (s.read) reads.push({ item: s.item, piece: pieces.length - 1, at });
    if (s.label !== null) push(labelPiece(s.label, format));
  });
  return { text: pieces.join(''), pieces, reads };
}

/** The whole text of a sequence (sequenceText's text). */
export const sequencePrompt = (kind: TaskKind, items: DataItem[], segments: Segment[], description?: string, format: PromptFormat = 'completion'): string =>
  sequenceText(kind, items, segments, description, format).text;
