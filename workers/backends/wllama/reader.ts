// Reading label log-probabilities with llama.cpp (DESIGN §3), over the WllamaEngine of engine.ts.
//
// Each sequence is laid out by src/lib/data/prompt.ts (through sequenceText, the layout every
// backend shares) and tokenized by the model's own tokenizer (llama.cpp's, in the wasm) through
// src/lib/model/tokens.ts, as every backend with a tokenizer does. The
// backend keeps the token ids that sit in llama.cpp's KV cache; for a new sequence it keeps the
// longest common prefix with them, removes the rest from the cache (kvRemove), and decodes only the
// tokens after it, stopping at each read point. So tokens *read* (the prompt's length) and tokens
// *computed* (decoded) are both counted, per sequence.
//
// llama.cpp keeps the logits of the last decoded token only, so a read point inside the cached
// prefix would need the cache cut back to it. Instead the reads themselves are kept, keyed by the
// exact token ids before the read point (ReadMemo): the same prefix gives the same logits, so a
// read found there costs no computation and the cache is left intact.
//
// At a read point getLogits(K) returns the softmax over the WHOLE vocabulary of the raw logits,
// sorted and cut to the top K: each probability is exact, not renormalized over the K. When a label
// token falls outside the top K, getLogits(-1) returns every token's probability (slower, same
// logits, nothing recomputed). So log P(" True") and log P(" False") are exact full-vocabulary
// values in every case; no logit bias is involved (llama.cpp's bias would act in its sampler, not
// in these probabilities).

import type { DataItem, TaskKind } from '../../../src/lib/data/types';
import type { LabelRead, Segment, SequenceReads } from '../../../src/lib/icm/model';
import { sequenceText } from '../../../src/lib/data/prompt';
import { CachedTokenizer, labelTokens, tokenCounts, tokenizeSequence, type LabelTokens } from '../../../src/lib/model/tokens';
import { commonPrefix, HeldPrompts, heldTokens } from '../../../src/lib/model/prefix-cache';
import { BATCH, type WllamaEngine } from './engine';

export const TOP_K = 40; // candidates asked for first; both labels are nearly always among them

export interface WllamaReads extends SequenceReads {
  computed: number; // of `tokens`, those decoded rather than reused from the KV cache
}

export interface ReadStats {
  sequences: number;
  reads: number;
  tokens: number; // prompt tokens read
  computed: number; // of those, decoded
  seconds: number; // time in the engine
  fullVocab: number; // reads where a label was outside the top K (full-vocabulary fallback)
}

/** llama.cpp's tokenizer (async: it runs in the wasm) for src/lib/model/tokens.ts. special = false, so
 *  text that looks like a special token (e.g. "<|im_start|>") in someone's data stays plain text. */
export const engineTokenizer = (engine: Pick<WllamaEngine, 'tokenize'>): CachedTokenizer => new CachedTokenizer((text) => engine.tokenize(text, false));

/** The token ids in llama.cpp's KV cache, mirrored: feed() makes the cache hold ids[0, end) with
 *  the logits of position end − 1 ready, decoding only what is not cached already, at most `batch`
 *  tokens per decode() (wllama 2.4.0 copies a decode's tokens into a buffer of n_batch unchecked). */
export class KvMirror {
  private cached: number[] = [];
  private logitsAt = -1; // position whose next-token logits getLogits() returns now; -1 none

  constructor(
    private readonly engine: Pick<WllamaEngine, 'decode' | 'kvRemove' | 'kvClear'>,
    private readonly batch = BATCH,
  ) {}

  /** Returns the number of tokens decoded. */
  async feed(ids: readonly number[], end: number): Promise<number> {
    if (end <= 0) throw new Error('Nothing to read: the sequence is empty.');
    let keep = commonPrefix(this.cached, ids.slice(0, end));
    if (keep === end && this.logitsAt === end - 1) return 0;
    if (keep === end) keep = end - 1; // the logits there are gone: recompute the last token
    if (keep < this.cached.length) await this.truncate(keep);
    const start = this.cached.length;
    this.logitsAt = -1;
    try {
      for (let from = start; from < end; from += this.batch) {
        const chunk = ids.slice(from, Math.min(end, from + this.batch));
        await this.engine.decode(chunk, { skipLogits: from + chunk.length < end }); // logits of the last only
        for (const t of chunk) this.cached.push(t);
      }
    } catch (e) {
      await this.reset(); // a failed decode leaves the cache unknown
      throw e;
    }
    this.logitsAt = end - 1;
    return end - start;
  }

  size(): number {
    return this.cached.length;
  }

  async reset(): Promise<void> {
    this.cached = [];
    this.logitsAt = -1;
    await this.engine.kvClear().catch(() => undefined);
  }

  private async truncate(keep: number): Promise<void> {
    this.logitsAt = -1;
    if (keep === 0) {
      await this.engine.kvClear();
      this.cached = [];
      return;
    }
    try {
      await this.engine.kvRemove(keep, -1);
      this.cached.length = keep;
    } catch {
      await this.engine.kvClear(); // llama.cpp refuses partial removal for some caches: start over
      this.cached = [];
    }
  }
}

/** log P(label) for both labels at the current read point, exact over the whole vocabulary. */
export async function readLabels(engine: Pick<WllamaEngine, 'getLogits'>, labels: LabelTokens, topK = TOP_K): Promise<{ logTrue: number; logFalse: number; fullVocab: boolean }> {
  const find = (probs: { token: number; p: number }[]) => {
    let pt: number | undefined;
    let pf: number | undefined;
    for (const { token, p } of probs) {
      if (token === labels.trueId) pt = p;
      else if (token === labels.falseId) pf = p;
    }
    return { pt, pf };
  };
  let { pt, pf } = find(await engine.getLogits(topK));
  let fullVocab = false;
  if (pt === undefined || pf === undefined) {
    ({ pt, pf } = find(await engine.getLogits(-1)));
    fullVocab = true;
  }
  if (pt === undefined || pf === undefined) throw new Error('llama.cpp returned no probability for a label token: the model file and its vocabulary disagree.');
  // p is a float32 softmax: 0 means below its smallest value, e^-103
  const log = (p: number) => Math.log(Math.max(p, 1e-45));
  return { logTrue: log(pt), logFalse: log(pf), fullVocab };
}

/** Label reads by the exact token prefix they follow (two 32-bit FNV-1a hashes and the length). */
export class ReadMemo<V = { logTrue: number; logFalse: number }> {
  private map = new Map<string, V>();
  constructor(private readonly limit = 100_000) {}

  /** Keys of every read point of a sequence: one pass over its ids. */
  static keys(ids: readonly number[], ends: readonly number[]): string[] {
    let a = 2166136261;
    let b = 0x811c9dc5 ^ 0x5bd1e995;
    const keys: string[] = [];
    let i = 0;
    for (const end of ends) {
      for (; i < end; i++) {
        a = Math.imul(a ^ ids[i], 16777619) >>> 0;
        b = Math.imul(b ^ (ids[i] + 0x9e3779b9), 16777619) >>> 0;
      }
      keys.push(`${end}:${a.toString(36)}:${b.toString(36)}`);
    }
    return keys;
  }

  get(key: string) {
    return this.map.get(key);
  }

  set(key: string, v: V) {
    if (this.map.size >= this.limit) this.map.delete(this.map.keys().next().value ?? key); // oldest first
    this.map.set(key, v);
  }
}

export interface ReaderOptions {
  contextWindow: number; // tokens
  bos: number | null; // start token every sequence begins with
  batch?: number; // most tokens per decode() (the engine's n_batch), default BATCH
  description?: string;
  modelName?: string;
  now?: () => number;
}

export interface WllamaLabelModel {
  readSequence(segments: Segment[]): Promise<WllamaReads>;
  /** Estimated tokens at the start of `segments` the KV cache holds, so the plans read from the sequence that starts like it. */
  cachedPrefix(segments: Segment[]): number;
  labels: LabelTokens;
  /** Tokens each item adds (separator, prompt, longer label), and what every sequence carries besides. */
  tokenCounts(): Promise<{ items: number[]; fixed: number }>;
  stats(): ReadStats;
  warnings(): string[];
  cancel(): void;
  readonly contextWindow: number;
}

export class ReadCancelled extends Error {
  override name = 'AbortError';
}

/** A label model over one engine for one pool of items (Segment.item indexes `items`). */
export async function createWllamaModel(engine: WllamaEngine, kind: TaskKind, items: DataItem[], opts: ReaderOptions, kv = new KvMirror(engine, opts.batch)): Promise<WllamaLabelModel> {
  const tok = engineTokenizer(engine);
  const labels = await tok.run(labelTokens);
  const prefix = opts.bos === null ? [] : [opts.bos];
  const name = opts.modelName ?? 'the model';
  const now = opts.now ?? (() => performance.now());
  const stats: ReadStats = { sequences: 0, reads: 0, tokens: 0, computed: 0, seconds: 0, fullVocab: 0 };
  const memo = new ReadMemo();
  const held = new HeldPrompts(1); // the text of what the KV cache holds, for cachedPrefix (the ids are the mirror's)

  async function run(segments: Segment[], live: () => boolean): Promise<WllamaReads> {
    const seq = sequenceText(kind, items, segments, opts.description);
    if (seq.reads.length === 0) return { reads: [], tokens: 0, computed: 0 };
    const t = await tok.run((enc) => tokenizeSequence(enc, seq));
    const ids = [...prefix, ...t.ids];
    const last = prefix.length + t.readAt[t.readAt.length - 1];
    if (last > opts.contextWindow)
      throw new Error(`A sequence needs ${last} tokens but ${name} was loaded with a context of ${opts.contextWindow}. Lower the pool size or pick a model with a longer context.`);
    const ends = t.readAt.map((r) => prefix.length + r);
    const keys = ReadMemo.keys(ids, ends);
    const reads: LabelRead[] = [];
    let computed = 0;
    for (let k = 0; k < seq.reads.length; k++) {
      if (!live()) throw new ReadCancelled('Reading was cancelled.');
      let r = memo.get(keys[k]);
      if (!r) {
        computed += await kv.feed(ids, ends[k]);
        held.sent(seq.text.slice(0, seq.reads[k].at));
        const read = await readLabels(engine, labels);
        if (read.fullVocab) stats.fullVocab++;
        r = { logTrue: read.logTrue, logFalse: read.logFalse };
        memo.set(keys[k], r);
      }
      reads.push({ item: seq.reads[k].item, ...r });
    }
    return { reads, tokens: last, computed };
  }

  const { readSequence, cancel } = oneAtATime(run, stats, now);

  return {
    readSequence,
    cachedPrefix: (segments) => heldTokens(held, sequenceText(kind, items, segments, opts.description)),
    labels,
    tokenCounts: () => tok.run((enc) => tokenCounts(enc, kind, items, opts.description, prefix.length)),
    stats: () => ({ ...stats }),
    warnings: () => {
      const w = labels.warning ? [labels.warning] : [];
      if (stats.fullVocab > 0) w.push(`${stats.fullVocab} reads found a label outside ${name}'s top ${TOP_K} tokens and read it from the full vocabulary (exact, slower).`);
      return w;
    },
    cancel,
    contextWindow: opts.contextWindow,
  };
}

/**
 * Sequences read one at a time (one KV cache or prompt cache), each adding to `stats`. After
 * cancel(), `live()` is false for the reads in flight, which stop at their next read point (run
 * throws ReadCancelled); later reads go out normally.
 */
export function oneAtATime<R extends SequenceReads>(
  run: (segments: Segment[], live: () => boolean) => Promise<R>,
  stats: { sequences: number; reads: number; tokens: number; computed: number; seconds: number },
  now: () => number,
): { readSequence(segments: Segment[]): Promise<R>; cancel(): void } {
  let queue: Promise<unknown> = Promise.resolve();
  let cancelled = 0;
  return {
    readSequence(segments) {
      const ticket = cancelled;
      const next = queue.then(async () => {
        const t0 = now();
        try {
          const out = await run(segments, () => ticket === cancelled);
          stats.sequences++;
          stats.reads += out.reads.length;
          stats.tokens += out.tokens;
          stats.computed += out.computed;
          return out;
        } finally {
          stats.seconds += (now() - t0) / 1000;
        }
      });
      queue = next.catch(() => undefined);
      return next;
    },
    cancel: () => void cancelled++,
  };
}
