import { describe, expect, it } from 'vitest';
import { labelLogprobs, labelOf, LOGPROB_FLOOR, missingBound } from './labels';

const lp = Math.log;

describe('labelOf', () => {
  it('reads every spelling of a label, trimmed and case-folded, and nothing else', () => {
    for (const t of [' True', 'True', ' true', 'TRUE', 'true ', '\u2581True', '\u0120True', '\nTrue']) expect(labelOf(t)).toBe(true);
    for (const t of [' False', 'False', ' false', 'FALSE']) expect(labelOf(t)).toBe(false);
    for (const t of [' Tr', ' untrue', ' Truth', ' True.', ' falsely', '', ' ']) expect(labelOf(t)).toBeNull();
  });
});

describe('labelLogprobs', () => {
  it('sums the probabilities of every spelling of each label', () => {
    const r = labelLogprobs([
      { token: ' True', logprob: lp(0.5) },
      { token: ' False', logprob: lp(0.2) },
      { token: ' true', logprob: lp(0.1) },
      { token: 'True', logprob: lp(0.05) },
      { token: ' false', logprob: lp(0.05) },
      { token: ' not', logprob: lp(0.04) },
    ]);
    expect(Math.exp(r.logTrue)).toBeCloseTo(0.65, 12);
    expect(Math.exp(r.logFalse)).toBeCloseTo(0.25, 12);
    expect(r.missingTrue).toBe(false);
    expect(r.missingFalse).toBe(false);
  });

  it('reports a label outside the top-k and bounds it by the least likely listed token', () => {
    const top = [
      { token: ' True', logprob: lp(0.6) },
      { token: ' not', logprob: lp(0.2) },
      { token: ' the', logprob: lp(0.1) },
    ];
    const r = labelLogprobs(top);
    expect(r.missingFalse).toBe(true);
    expect(r.missingTrue).toBe(false);
    // at most 0.1 (the least likely listed) and at most 1 − 0.9 left over: 0.1
    expect(Math.exp(r.logFalse)).toBeCloseTo(0.1, 12);
  });

  it('bounds by the k-th token, not by a sampled token the server added after the top k', () => {
    // llama-cpp-python and vLLM append the sampled token when it is not among the k asked
    const top = [
      { token: ' true', logprob: lp(0.5) },
      { token: ' a', logprob: lp(0.2) },
      { token: ' the', logprob: lp(0.1) },
      { token: ' banana', logprob: lp(0.0001) },
    ];
    expect(Math.exp(labelLogprobs(top, 3).logFalse)).toBeCloseTo(0.1, 12);
    expect(labelLogprobs(top, 3).missingFalse).toBe(true);
  });

  it('bounds by the mass left over when that is smaller', () => {
    expect(Math.exp(missingBound([{ token: ' True', logprob: lp(0.7) }, { token: ' a', logprob: lp(0.28) }]))).toBeCloseTo(0.02, 12);
  });

  it('gives both labels the same bound when neither is listed, so the read is undecided', () => {
    const r = labelLogprobs([{ token: ' Yes', logprob: lp(0.9) }, { token: ' No', logprob: lp(0.05) }]);
    expect(r.missingTrue && r.missingFalse).toBe(true);
    expect(r.logTrue).toBe(r.logFalse);
  });

  it("reads a label below any real probability (vLLM's -9999) at the floor, and two of them as undecided", () => {
    const both = labelLogprobs([{ token: ' Yes', logprob: -0.01 }, { token: ' True', logprob: -9999 }, { token: ' False', logprob: -9999 }]);
    expect(both).toEqual({ logTrue: LOGPROB_FLOOR, logFalse: LOGPROB_FLOOR, missingTrue: false, missingFalse: false, noProbability: true });
    const one = labelLogprobs([{ token: ' True', logprob: -0.01 }, { token: ' False', logprob: -9999 }]);
    expect(one).toMatchObject({ logTrue: -0.01, logFalse: LOGPROB_FLOOR, noProbability: false });
    expect(labelLogprobs([{ token: ' True', logprob: -90 }, { token: ' False', logprob: -95 }]).noProbability).toBe(false);
  });
});
