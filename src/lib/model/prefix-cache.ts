// Prefix caches as a client sees them. llama.cpp (in WebAssembly and as a server) keeps the last
// prompt's keys and values and computes a new prompt only from where the two part.
//
// withPrefixCache: a one-prompt prefix cache over any model that can tell its segments' tokens: what llama.cpp
// does (in WebAssembly and as a server), which keeps the previous prompt's KV cache and computes
// a new prompt only from where the two differ. Reads are the wrapped model's; the token counts
// are the cache's, from the model's segmentTokens. Used to measure the plans on the simulated
// model (bench) and in tests; real backends report what they computed themselves.
//
// A read needs the logits of the last token before it, and a cache keeps no logits, only keys
// and values: so a prompt can reuse at most up to one token before its first read (reusableTokens).

import type { SequenceText } from '../data/prompt';
import { estimateTokens } from './tokens';
import type { LabelModel, Segment, SegmentTokens, SequenceReads } from '../icm/model';
import { reusableTokens, sequenceTokens } from '../icm/plan';

export function withPrefixCache(model: LabelModel & { segmentTokens: SegmentTokens }): LabelModel & { segmentTokens: SegmentTokens } {
  let previous: Segment[] | null = null;
  const tokensOf = model.segmentTokens;
  return {
    segmentTokens: tokensOf,
    cachedPrefix: (segments) => reusableTokens(previous, segments, tokensOf),
    async readSequence(segments: Segment[]): Promise<SequenceReads> {
      const result = await model.readSequence(segments);
      const tokens = sequenceTokens(segments, tokensOf);
      const computed = tokens - reusableTokens(previous, segments, tokensOf);
      previous = segments;
      return { reads: result.reads, tokens, computed };
    },
  };
}

/** Length of the common prefix of a and b (token ids, or the characters of two texts). */
export function commonPrefix<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * The prompts a server holds in its prefix cache, as far as its client can tell: the last prompt
 * sent to each of its slots. llama-cpp-python has one slot; llama-server has one per parallel
 * sequence (-np) and gives a request the slot whose prompt covers at least half of it (its
 * --slot-prompt-similarity, 0.5 by default), else the least recently used one; so does this. A
 * client with `slots` requests in flight can tell at most that many apart.
 */
export class HeldPrompts {
  private held: string[] = []; // least recently used first

  constructor(private readonly slots: number) {}

  /** `prompt` went to the server. */
  sent(prompt: string): void {
    let slot = -1;
    let most = 0;
    this.held.forEach((h, k) => {
      const n = commonPrefix(h, prompt);
      if (n > most) [slot, most] = [k, n];
    });
    if (slot >= 0 && 2 * most >= prompt.length) this.held.splice(slot, 1);
    else if (this.held.length >= Math.max(1, this.slots)) this.held.shift();
    this.held.push(prompt);
  }

  /** Characters at the start of `text` that a slot holds. */
  shared(text: string): number {
    return this.held.reduce((most, h) => Math.max(most, commonPrefix(h, text)), 0);
  }
}

/** Estimated tokens of a sequence's first prompt (its text up to the first read) that a slot of `held` holds: a backend's cachedPrefix. */
export function heldTokens(held: HeldPrompts, seq: SequenceText): number {
  if (seq.reads.length === 0) return 0;
  const first = seq.text.slice(0, seq.reads[0].at);
  return estimateTokens(first.slice(0, held.shared(first)));
}
