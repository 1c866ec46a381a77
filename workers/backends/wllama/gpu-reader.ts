// Reading label log-probabilities through llama.cpp's WebGPU build (gpu-engine.ts), whose API is
// llama-server's: each read point is one completion of the text up to it, one token, with the top-k
// log-probabilities, read as a server's answer is (src/lib/server/response.ts, labels.ts: every
// top-k token that spells a label counts toward it). The reads of a sequence go one at a time, in
// order, so each prompt extends the last and llama.cpp's prompt cache computes only the new tokens;
// it reports how many it reused (timings.cache_n), so tokens computed are measured, not assumed.
//
// Departure from the CPU reader (reader.ts): that one reads the two label tokens' exact
// probabilities from the whole vocabulary; this one has only the top-k the build returns, so a label
// outside it is bounded, as for a server, and warnings() says how often.

import type { DataItem, TaskKind } from '../../../src/lib/data/types';
import type { LabelRead, Segment, SequenceReads } from '../../../src/lib/icm/model';
import { sequenceText } from '../../../src/lib/data/prompt';
import { HeldPrompts, heldTokens } from '../../../src/lib/model/prefix-cache';
import { estimateTokens, estimatingTokenizer, tokenCounts } from '../../../src/lib/model/tokens';
import { labelLogprobs } from '../../../src/lib/server/labels';
import { completionBody } from '../../../src/lib/server/request';
import { parseCompletion } from '../../../src/lib/server/response';
import type { EngineModel, TokenCounts } from '../backend';
import type { CompletionEngine } from './gpu-engine';
import { oneAtATime, ReadCancelled, ReadMemo, TOP_K } from './reader';

export interface GpuReadStats {
  sequences: number;
  reads: number;
  tokens: number; // prompt tokens read
  computed: number; // of those, computed (not served from the prompt cache)
  seconds: number;
  outsideTopK: number; // reads where a label was not among the top K: its value is a bound
}

export interface GpuLabelModel extends EngineModel {
  readSequence(segments: Segment[]): Promise<SequenceReads>;
  cachedPrefix(segments: Segment[]): number;
  tokenCounts(): Promise<TokenCounts>;
  stats(): GpuReadStats;
  readonly contextWindow: number;
}

export interface GpuReaderOptions {
  contextWindow: number;
  description?: string;
  modelName?: string;
  topK?: number;
  now?: () => number;
}

/** A label model over wllama 3's engine for one pool of items (Segment.item indexes `items`). */
export function createGpuModel(engine: Pick<CompletionEngine, 'createCompletion'>, kind: TaskKind, items: DataItem[], opts: GpuReaderOptions): GpuLabelModel {
  const name = opts.modelName ?? 'the model';
  const topK = opts.topK ?? TOP_K;
  const now = opts.now ?? (() => performance.now());
  const stats: GpuReadStats = { sequences: 0, reads: 0, tokens: 0, computed: 0, seconds: 0, outsideTopK: 0 };
  const held = new HeldPrompts(1); // one slot: the prompt its cache holds
  const memo = new ReadMemo<{ read: Omit<LabelRead, 'item'>; tokens: number }>();

  async function readOne(prompt: string): Promise<{ read: Omit<LabelRead, 'item'>; tokens: number; computed: number }> {
    held.sent(prompt);
    let answer: unknown;
    try {
      answer = await engine.createCompletion(completionBody(name, prompt, topK));
    } catch (e) {
      const said = e instanceof Error ? e.message : String(e);
      if (/context/i.test(said)) throw new Error(`A sequence is longer than the ${opts.contextWindow}-token context ${name} was loaded with (llama.cpp: ${said}). Lower the pool size or pick a model with a longer context.`);
      throw e;
    }
    const parsed = parseCompletion(answer, name);
    const labels = labelLogprobs(parsed.top, topK);
    if (labels.missingTrue || labels.missingFalse) stats.outsideTopK++;
    const tokens = parsed.promptTokens ?? estimateTokens(prompt);
    return { read: { logTrue: labels.logTrue, logFalse: labels.logFalse }, tokens, computed: tokens - Math.min(tokens, parsed.cachedTokens ?? 0) };
  }

  async function run(segments: Segment[], live: () => boolean): Promise<SequenceReads> {
    const seq = sequenceText(kind, items, segments, opts.description);
    const keys = ReadMemo.keys(Array.from({ length: seq.text.length }, (_, i) => seq.text.charCodeAt(i)), seq.reads.map((r) => r.at));
    const reads: LabelRead[] = [];
    let tokens = 0;
    let computed = 0;
    for (const [k, r] of seq.reads.entries()) {
      if (!live()) throw new ReadCancelled('Reading was cancelled.');
      let one = memo.get(keys[k]);
      if (!one) {
        const read = await readOne(seq.text.slice(0, r.at));
        if (read.tokens > opts.contextWindow)
          throw new Error(`A sequence needs ${read.tokens} tokens but ${name} was loaded with a context of ${opts.contextWindow}. Lower the pool size or pick a model with a longer context.`);
        computed += read.computed;
        one = { read: read.read, tokens: read.tokens };
        memo.set(keys[k], one);
      }
      reads.push({ item: r.item, ...one.read });
      tokens = one.tokens; // the last read's prompt is the whole sequence
    }
    return { reads, tokens, computed };
  }

  const { readSequence, cancel } = oneAtATime(run, stats, now); // one prompt cache

  return {
    readSequence,
    cachedPrefix: (segments) => heldTokens(held, sequenceText(kind, items, segments, opts.description)),
    // no tokenizer in this build's API: estimated, erring toward more, as for a server
    tokenCounts: () => Promise.resolve(tokenCounts(estimatingTokenizer, kind, items, opts.description, 0)),
    stats: () => ({ ...stats }),
    warnings: () =>
      stats.outsideTopK > 0
        ? [`In ${stats.outsideTopK} of ${stats.reads} reads a label was not among ${name}'s top ${topK} tokens; its probability was bounded by the least likely listed token.`]
        : [],
    cancel,
    contextWindow: opts.contextWindow,
  };
}
