// Tokens for a real model, for every backend: a sequence laid out by src/lib/data/prompt.ts, its
// token ids under the model's own tokenizer, the token positions where label log-probabilities are
// read, the label tokens themselves, and the one estimate used where no tokenizer is at hand.
// Pure and synchronous: web-llm's tokenizer is synchronous; llama.cpp's runs in its wasm and answers
// asynchronously, so it is wrapped in a CachedTokenizer that feeds these same functions.

import { descriptionPiece, itemPrompt, labelPiece, labelText, readContext, separatorOf, type PromptFormat, type SequenceText } from '../data/prompt';
import type { DataItem, TaskKind } from '../data/types';

/** What is used of a tokenizer: token ids of `text`, no special tokens added (web-tokenizers' encode adds none). */
export interface TextTokenizer {
  encode(text: string): ArrayLike<number>;
}

export interface LabelTokens {
  trueId: number; // first token of " True" after readContext
  falseId: number;
  trueLength: number; // tokens " True" takes
  falseLength: number;
  warning: string | null; // for the UI when a label is more than one token
}

const toArray = (ids: ArrayLike<number>): number[] => Array.from(ids);

const startsWith = (ids: readonly number[], prefix: readonly number[]): boolean => prefix.length <= ids.length && prefix.every((t, i) => ids[i] === t);

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
  const split = [t.length > 1 ? `" True" is ${t.length} tokens` : '', f.length > 1 ? `" False" is ${f.length} tokens` : ''].filter(Boolean);
  return {
    trueId: t[0],
    falseId: f[0],
    trueLength: t.length,
    falseLength: f.length,
    warning: split.length > 0 ? `For this model's tokenizer ${split.join(' and ')}; each label is scored by its first token.` : null,
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
 * exactly those of the whole text, which is also what a completions request would read.
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

/** Tokens each pool item adds to a sequence (separator, prompt and the longer label), and what every
 *  sequence carries besides (`prefix` start tokens and the description), in the prompt format given. */
export function tokenCounts(tok: TextTokenizer, kind: TaskKind, items: DataItem[], description?: string, prefix = 0, format: PromptFormat = 'completion'): { items: number[]; fixed: number } {
  const longer = Math.max(tok.encode(labelPiece(true, format)).length, tok.encode(labelPiece(false, format)).length);
  return {
    items: items.map((item) => tok.encode(separatorOf(format) + itemPrompt(kind, item, format)).length + longer),
    fixed: prefix + (description ? tok.encode(descriptionPiece(description, format)).length : 0),
  };
}

/** UTF-8 bytes per token of the one estimate, which errs toward more tokens: the real Qwen tokenizer
 *  reads the built-in tasks at 2.9 (math: one token a digit) to 3.7 bytes a token on average, so
 *  a 4096-token context is estimated to hold 26 / 78 / 30 math / factual / comparison items where
 *  32 / 126 / 40 fit (budget.test.ts). Once a model is loaded its own tokenizer counts. */
export const ESTIMATE_BYTES_PER_TOKEN = 2.5;

const utf8 = new TextEncoder();

/** Tokens of `text`, estimated where no tokenizer is at hand: the simulated model's counts, a server
 *  that reports none, a model not loaded yet. Errs toward more, so a pool it says fits does fit. */
export function estimateTokens(text: string): number {
  return Math.ceil(utf8.encode(text).length / ESTIMATE_BYTES_PER_TOKEN);
}

/** A stand-in tokenizer for counting only: as many tokens as the estimate says. */
export const estimatingTokenizer: TextTokenizer = { encode: (text) => new Int32Array(estimateTokens(text)) };

/**
 * A synchronous face of an asynchronous tokenizer (llama.cpp's runs in its wasm), so the functions
 * above serve it too. `run(f)` calls f with encode() answering from a cache; a text not cached yet
 * is noted and answered with no tokens, and once f returns (or throws on such a stand-in) the noted
 * texts are tokenized and f is called again. f must be pure: each call asks for at least one text
 * the last did not have, so this ends, in practice after two or three calls.
 */
export class CachedTokenizer implements TextTokenizer {
  private cache = new Map<string, number[]>();
  private missing = new Set<string>();

  constructor(
    private readonly encodeAsync: (text: string) => Promise<number[]>,
    private readonly limit = 20_000, // texts kept: bounds memory on long sessions
  ) {}

  encode(text: string): number[] {
    const hit = this.cache.get(text);
    if (hit) return hit;
    this.missing.add(text);
    return [];
  }

  async run<T>(f: (tok: TextTokenizer) => T): Promise<T> {
    if (this.cache.size > this.limit) this.cache.clear(); // between runs only: a run's own texts stay
    for (;;) {
      this.missing.clear();
      let out: { value: T } | { error: unknown };
      try {
        out = { value: f(this) };
      } catch (error) {
        out = { error };
      }
      if (this.missing.size === 0) {
        if ('error' in out) throw out.error;
        return out.value;
      }
      for (const text of [...this.missing]) this.cache.set(text, await this.encodeAsync(text));
    }
  }
}
