// Label log-probabilities from a server's top-k list, as the official code reads them: every
// listed token that spells a label counts toward it, and their probabilities are summed
// (" True", "True", " true" and "TRUE" are different tokens with the same meaning).
//
// Departures from the official code (src/model_querying/solution_extraction.py,
// get_yes_no_diff_logprobs): it counts any token *containing* "true"/"false" after
// lower-casing (so " untrue" counts as True) and floors a missing label at probability 1e-5;
// here a token counts when, trimmed of spaces and tokenizer space marks and case-folded, it
// *is* "true" or "false", and a label missing from the top-k is bounded by what the list
// shows: at most the least likely listed token, and at most the mass the list leaves over.

import type { TopToken } from './response';

export interface LabelLogprobs {
  logTrue: number; // log P(next token spells True), nats; at least LOGPROB_FLOOR
  logFalse: number;
  missingTrue: boolean; // no listed token spells it: logTrue is an upper bound
  missingFalse: boolean;
  noProbability: boolean; // neither label carries real probability (both below LOGPROB_FLOOR): the read is undecided
}

/**
 * The least log-probability that is a real probability: e^-104 is below the smallest float32
 * (about e^-103.3), the precision servers compute in. Below it a value stands for zero (vLLM
 * writes -9999 for a probability that underflowed), so a label there is read at this floor: a
 * placeholder must not give a read log-odds of thousands of nats, and two of them give log-odds 0.
 */
export const LOGPROB_FLOOR = -104;

// A leading space shows up as " ", or as the tokenizer's own mark when a server returns raw
// pieces: SentencePiece's "▁" (U+2581), byte-level BPE's "Ġ" (U+0120).
const SPACE_MARKS = /^[\s\u2581\u0120]+|[\s\u2581\u0120]+$/g;

/** Which label a token spells: true, false, or null for neither. */
export function labelOf(token: string): boolean | null {
  const t = token.replace(SPACE_MARKS, '').toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : null;
}

const logSumExp = (xs: number[]): number => {
  const max = Math.max(...xs);
  return max === -Infinity ? -Infinity : max + Math.log(xs.reduce((s, x) => s + Math.exp(x - max), 0));
};

/**
 * Sums each label's spellings in the top-k; bounds a label that is not listed. `k` is the top-k
 * asked for: vLLM and llama-cpp-python add the sampled token to the list when it is not among
 * the k, and that extra token (often far less likely) must not tighten the bound.
 */
export function labelLogprobs(top: TopToken[], k = top.length): LabelLogprobs {
  const t: number[] = [];
  const f: number[] = [];
  for (const { token, logprob } of top) {
    const label = labelOf(token);
    if (label === true) t.push(logprob);
    else if (label === false) f.push(logprob);
  }
  const bound = missingBound([...top].sort((a, b) => b.logprob - a.logprob).slice(0, k));
  const logTrue = t.length > 0 ? logSumExp(t) : bound;
  const logFalse = f.length > 0 ? logSumExp(f) : bound;
  return {
    logTrue: Math.max(LOGPROB_FLOOR, logTrue),
    logFalse: Math.max(LOGPROB_FLOOR, logFalse),
    missingTrue: t.length === 0,
    missingFalse: f.length === 0,
    noProbability: Math.max(logTrue, logFalse) < LOGPROB_FLOOR,
  };
}

/** The most an unlisted token can have: no more than the least likely listed one, nor than what is left. */
export function missingBound(top: TopToken[]): number {
  if (top.length === 0) return 0;
  const least = Math.min(...top.map((x) => x.logprob));
  const listed = top.reduce((s, x) => s + Math.exp(x.logprob), 0);
  const left = 1 - listed;
  return left > 0 ? Math.min(least, Math.log(left)) : least;
}
