// A one-prompt prefix cache over any model that can tell its segments' tokens: what llama.cpp
// does (in WebAssembly and as a server), which keeps the previous prompt's KV cache and computes
// a new prompt only from where the two differ. Reads are the wrapped model's; the token counts
// are the cache's, from the model's segmentTokens. Used to measure the plans on the simulated
// model (bench) and in tests; real backends report what they computed themselves.
//
// A read needs the logits of the last token before it, and a cache keeps no logits, only keys
// and values: so a prompt can reuse at most up to one token before its first read (reusableTokens).

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
