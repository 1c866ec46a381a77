import { describe, expect, it } from 'vitest';
import type { LogitProcessor, MLCEngine } from '@mlc-ai/web-llm';
import { sequencePrompt } from '../../../src/lib/data/prompt';
import type { Segment } from '../../../src/lib/icm/model';
import { logOdds } from '../../../src/lib/icm/model';
import { LogitCapture, logSoftmaxAt } from '../../../src/lib/webllm/logits';
import { qwenTokenizer, ToyTokenizer } from '../../../src/lib/model/test-tokenizers';
import type { LoadProgress } from '../../../src/lib/model/progress';
import { FakeMLCEngine, FakeRuntime, fakeLogits, fakeRecord, type FakePipeline } from './fake';
import type { WebLLMReadMode } from '../../../src/lib/model/params';
import { createWebLLMEngine, createWebLLMModel, MISSING_LABEL_GAP, type LoadableEngine, type WebLLMTokenizer, type WebLLMEngine } from './model';
import { items, segments } from '../test-fixtures';

// Type-level: web-llm's real engine satisfies the interfaces the backend is written against,
// and the capture is a real LogitProcessor (checked by `tsc --noEmit`).
const _engineFits = (e: MLCEngine): WebLLMEngine => e;
const _loadableFits = (e: MLCEngine): LoadableEngine => e;
const _processorFits = (c: LogitCapture): LogitProcessor => c;
void [_engineFits, _loadableFits, _processorFits];

const QWEN_VOCAB = 151936; // Qwen's padded vocabulary: the length of its logits

function setup(tok: WebLLMTokenizer, vocab: number, mode: WebLLMReadMode, extra: { prefixIds?: number[]; contextWindow?: number; description?: string } = {}) {
  const readout = new LogitCapture();
  const engine = new FakeMLCEngine({ tokenizer: tok, vocab, processor: readout, contextWindow: extra.contextWindow });
  const model = createWebLLMModel(engine, 'math', items, {
    tokenizer: tok,
    readout,
    mode,
    contextWindow: extra.contextWindow ?? 4096,
    prefixIds: extra.prefixIds,
    description: extra.description,
  });
  return { engine, model, readout };
}

/** log P of the label tokens after `text` (plus prefix), straight from the fake model's logits. */
function expected(tok: WebLLMTokenizer, vocab: number, prefixIds: number[], text: string, ids: [number, number]) {
  const history = [...prefixIds, ...Array.from(tok.encode(text))];
  const [t, f] = logSoftmaxAt(fakeLogits(history, vocab), ids);
  return { logTrue: t, logFalse: f };
}

/** The text up to read k: the prompt of every segment before it, then its own prompt. */
function textBefore(k: number, description?: string): string {
  const readSegments = segments.map((s, i) => ({ s, i })).filter(({ s }) => s.read);
  const { s, i } = readSegments[k];
  return sequencePrompt('math', items, [...segments.slice(0, i), { ...s, label: null }], description);
}

describe('web-llm backend, real Qwen tokenizer and a fake engine', () => {
  const tok = qwenTokenizer();

  it('reads exact full-vocabulary log-probabilities from the logits at each read point', async () => {
    const { model, engine } = setup(tok, QWEN_VOCAB, 'logits');
    expect(model.labels).toMatchObject({ trueId: 3007, falseId: 3557, trueText: ' True', falseText: ' False', warning: null });
    const out = await model.readSequence(segments);
    expect(out.reads.map((r) => r.item)).toEqual([0, 1, 3]);
    out.reads.forEach((r, k) => {
      const e = expected(tok, QWEN_VOCAB, [], textBefore(k), [3007, 3557]);
      expect(r.logTrue).toBeCloseTo(e.logTrue, 9);
      expect(r.logFalse).toBeCloseTo(e.logFalse, 9);
    });
    // One pass: every token up to the last read point, fed in three forwards.
    expect(engine.forwardCalls).toBe(3);
    expect(out.tokens).toBe(tok.encode(textBefore(2)).length);
    expect(model.sequenceTokens(segments)).toBe(out.tokens);
  });

  it('the logit-bias path gives the same log-odds, from completions.create responses', async () => {
    const a = await setup(tok, QWEN_VOCAB, 'logits').model.readSequence(segments);
    const { model, engine } = setup(tok, QWEN_VOCAB, 'logit-bias');
    const b = await model.readSequence(segments);
    expect(engine.completionCalls).toBe(3);
    expect(b.reads.map((r) => r.item)).toEqual(a.reads.map((r) => r.item));
    b.reads.forEach((r, k) => {
      expect(logOdds(r)).toBeCloseTo(logOdds(a.reads[k]), 4);
      // Normalized over the two labels: the bias leaves (almost) all mass on them.
      expect(Math.exp(r.logTrue) + Math.exp(r.logFalse)).toBeCloseTo(1, 5);
    });
    // No prefix cache: each read re-reads everything before it.
    const perRead = [0, 1, 2].map((k) => tok.encode(textBefore(k)).length);
    expect(b.tokens).toBe(perRead.reduce((x, y) => x + y));
    expect(model.sequenceTokens(segments)).toBe(b.tokens);
  });

  it('a confident read stays finite on the logit-bias path, where getTopProbs leaves the losing label out', async () => {
    const gap = 30; // nats between the labels: far past float32's resolution of probabilities near 1
    const logits = (history: number[], vocab: number) => {
      const l = fakeLogits(history, vocab);
      l[3007] = 20; // " True"
      l[3557] = 20 - gap; // " False"
      return l;
    };
    const read = async (mode: WebLLMReadMode) => {
      const readout = new LogitCapture();
      const engine = new FakeMLCEngine({ tokenizer: tok, vocab: QWEN_VOCAB, processor: readout, logits });
      return (await createWebLLMModel(engine, 'math', items, { tokenizer: tok, readout, mode, contextWindow: 4096 }).readSequence(segments)).reads;
    };
    const exact = await read('logits');
    exact.forEach((r) => expect(logOdds(r)).toBeCloseTo(gap, 6));
    const biased = await read('logit-bias');
    for (const r of biased) {
      expect(Number.isFinite(r.logTrue) && Number.isFinite(r.logFalse)).toBe(true);
      expect(logOdds(r)).toBeCloseTo(MISSING_LABEL_GAP, 9); // the documented bound: at least this confident
    }
  });

  it('puts the task description first, as sequencePrompt does, in both paths', async () => {
    const description = 'Decide whether each claim is correct.';
    const a = await setup(tok, QWEN_VOCAB, 'logits', { description }).model.readSequence(segments);
    const e = expected(tok, QWEN_VOCAB, [], textBefore(0, description), [3007, 3557]);
    expect(a.reads[0].logTrue).toBeCloseTo(e.logTrue, 9);
    const b = await setup(tok, QWEN_VOCAB, 'logit-bias', { description }).model.readSequence(segments);
    b.reads.forEach((r, k) => expect(logOdds(r)).toBeCloseTo(logOdds(a.reads[k]), 4));
  });

  it('refuses a sequence longer than the context window before touching the engine', async () => {
    for (const mode of ['logits', 'logit-bias'] as const) {
      const { model, engine } = setup(tok, QWEN_VOCAB, mode, { contextWindow: 40 });
      await expect(model.readSequence(segments)).rejects.toThrow(/needs \d+ tokens but the model reads at most 40/);
      expect(engine.forwardCalls + engine.completionCalls).toBe(0);
    }
  });

  it('turns errors that arrive as strings into Error values with a clear message', async () => {
    const { model, engine } = setup(tok, QWEN_VOCAB, 'logits');
    engine.failWith = 'Error: Model not loaded before trying to complete forwardTokensAndSample. Please ensure you have called `MLCEngine.reload(model)` to load the model before initiating APIs.';
    const err = await model.readSequence(segments).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('ModelNotLoaded');
    expect((err as Error).message).toMatch(/no longer loaded.*Load it again/);

    const bias = setup(tok, QWEN_VOCAB, 'logit-bias');
    bias.engine.failWith = 'The WebGPU device was lost while loading the model.';
    await expect(bias.model.readSequence(segments)).rejects.toMatchObject({ name: 'GpuDeviceLost', message: expect.stringMatching(/run and its saved steps are intact/) });

    // The model still works once the engine recovers.
    engine.failWith = null;
    await expect(model.readSequence(segments)).resolves.toMatchObject({ reads: expect.any(Array) });
  });

  it('runs one sequence at a time when called concurrently', async () => {
    const { model } = setup(tok, QWEN_VOCAB, 'logits');
    const alone = await model.readSequence(segments);
    const other: Segment[] = [
      { item: 3, read: true, label: false },
      { item: 0, read: true, label: null },
    ];
    const [x, y] = await Promise.all([model.readSequence(segments), model.readSequence(other)]);
    expect(x).toEqual(alone);
    expect(y.reads).toHaveLength(2);
    expect(model.stats()).toMatchObject({ sequences: 3, reads: 8 });
  });

  it('counts tokens with the model tokenizer', () => {
    const { model } = setup(tok, QWEN_VOCAB, 'logits');
    expect(model.countTokens('I think this claim is True')).toBe(6);
    const counts = model.tokenCounts().items;
    expect(counts).toHaveLength(items.length);
    // separator + prompt + label, each item once
    expect(counts[2]).toBe(tok.encode('\n\n' + sequencePrompt('math', items, [{ item: 2, read: false, label: null }])).length + 1);
  });
});

describe('web-llm backend, tokenizers with awkward labels', () => {
  const words = ['Question:', ' What', ' is', ' claim', 'Claim:', 'I', ' think', ' this', ' True', ' Fal', 'se', '\n\n', '<s>'];

  it('scores a multi-token label by its first token, warns, and both paths still agree', async () => {
    const tok = new ToyTokenizer(words);
    const vocab = tok.vocab.length + 5;
    const a = setup(tok, vocab, 'logits');
    expect(a.model.labels.falseLength).toBe(2);
    expect(a.model.labels.falseText).toBe(' Fal');
    expect(a.model.warnings()[0]).toMatch(/" False" is 2 tokens.*first token/);
    const ra = await a.model.readSequence(segments);
    const rb = await setup(tok, vocab, 'logit-bias').model.readSequence(segments);
    rb.reads.forEach((r, k) => expect(logOdds(r)).toBeCloseTo(logOdds(ra.reads[k]), 4));
    // The demonstration still carries the whole label text.
    expect(tok.decode(Int32Array.from(a.engine.history))).toContain('I think this claim is False\n\n');
  });

  it('sends the model start token in both paths and keeps them in agreement', async () => {
    const tok = new ToyTokenizer(words);
    const vocab = tok.vocab.length + 5;
    const bos = [tok.encode('<s>')[0]];
    const a = setup(tok, vocab, 'logits', { prefixIds: bos });
    const ra = await a.model.readSequence(segments);
    expect(a.engine.history[0]).toBe(bos[0]);
    const e = expected(tok, vocab, bos, textBefore(0), [a.model.labels.trueId, a.model.labels.falseId]);
    expect(ra.reads[0].logTrue).toBeCloseTo(e.logTrue, 9);
    const b = setup(tok, vocab, 'logit-bias', { prefixIds: bos });
    const rb = await b.model.readSequence(segments);
    expect(b.model.warnings().filter((w) => /start token/.test(w))).toEqual([]);
    expect(b.engine.history[0]).toBe(bos[0]); // sent as text, encoded back to the start token
    rb.reads.forEach((r, k) => expect(logOdds(r)).toBeCloseTo(logOdds(ra.reads[k]), 4));
    expect(ra.tokens).toBe(1 + tok.encode(textBefore(2)).length);
  });

  it('handles tokenizers that mark the start of every encode (SentencePiece style)', async () => {
    const tok = new ToyTokenizer(words, true);
    const vocab = tok.vocab.length + 5;
    const a = setup(tok, vocab, 'logits');
    const ra = await a.model.readSequence(segments);
    // The fed ids are those of the whole text: one marker at the start, none inside.
    expect(a.engine.history.filter((t) => t === 0)).toHaveLength(1);
    ra.reads.forEach((r, k) => {
      const e = expected(tok, vocab, [], textBefore(k), [a.model.labels.trueId, a.model.labels.falseId]);
      expect(r.logTrue).toBeCloseTo(e.logTrue, 9);
    });
    const rb = await setup(tok, vocab, 'logit-bias').model.readSequence(segments);
    rb.reads.forEach((r, k) => expect(logOdds(r)).toBeCloseTo(logOdds(ra.reads[k]), 4));
  });

  it('refuses labels whose first tokens are the same', () => {
    const tok = new ToyTokenizer(['I', ' think', ' this', ' claim', ' is']); // " True" and " False" both start with " "
    const readout = new LogitCapture();
    const engine = new FakeMLCEngine({ tokenizer: tok, vocab: 200, processor: readout });
    expect(() => createWebLLMModel(engine, 'math', items, { tokenizer: tok, readout, contextWindow: 4096 })).toThrow(/same token/);
  });
});

describe('createWebLLMEngine with a fake web-llm module', () => {
  const tok = new ToyTokenizer(['Question:', ' True', ' False', '\n\n', 'I', ' think', ' this', ' claim', ' is', '<s>']);
  const vocab = tok.vocab.length + 5;
  const id = fakeRecord.model_id;
  const reports = [
    { progress: 0, timeElapsed: 0, text: 'Start to fetch params' },
    { progress: 0.5, timeElapsed: 1, text: 'Fetching param cache[1/2]: 32MB fetched. 50% completed, 1 secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.' },
    { progress: 1, timeElapsed: 2, text: 'Fetching param cache[2/2]: 64MB fetched. 100% completed, 2 secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.' },
    { progress: 1, timeElapsed: 3, text: 'Loading model from cache[2/2]: 64MB loaded. 100% completed, 3 secs elapsed.' },
    { progress: 1, timeElapsed: 3, text: 'Finish loading on WebGPU - fake' },
  ];

  it('loads, forwards progress, registers the logit reader and builds a working model', async () => {
    const bos = tok.encode('<s>')[0];
    const rt = new FakeRuntime({ reports, chatConfig: { context_window_size: 2048, conv_template: { system_prefix_token_ids: [bos] } as never } }, tok, vocab);
    const seen: LoadProgress[] = [];
    const loaded = await createWebLLMEngine(id, (p) => seen.push(p), undefined, { runtime: async () => rt });
    expect(seen.map((p) => p.phase)).toEqual(['starting', 'download', 'download', 'gpu', 'done']);
    expect(seen[2]).toMatchObject({ shard: 2, shards: 2, bytesDone: 64 * 2 ** 20, fraction: 1 });
    expect(loaded.contextWindow).toBe(2048);
    expect(loaded.prefixIds).toEqual([bos]);
    const model = loaded.model('math', items);
    const out = await model.readSequence(segments);
    expect(out.reads).toHaveLength(3);
    expect(rt.engines[0].history[0]).toBe(bos);
    expect(rt.deleted).toEqual([]);
  });

  it('two label models on one engine (a run and label the rest) read one sequence at a time between them', async () => {
    const rt = new FakeRuntime({ reports }, tok, vocab);
    const loaded = await createWebLLMEngine(id, () => {}, undefined, { runtime: async () => rt });
    const run = loaded.model('math', items);
    const rest = loaded.model('math', items);
    const other: Segment[] = [
      { item: 3, read: true, label: false },
      { item: 0, read: true, label: null },
    ];
    const alone = [await run.readSequence(segments), await rest.readSequence(other)];
    const together = await Promise.all([run.readSequence(segments), rest.readSequence(other)]);
    expect(together).toEqual(alone);
  });

  it('a download that fails with a string ends in a clear error', async () => {
    const rt = new FakeRuntime({ reports: reports.slice(0, 2), fail: 'Error: Cannot fetch https://huggingface.co/x err= TypeError: Failed to fetch' }, tok, vocab);
    const err = await createWebLLMEngine(id, () => {}, undefined, { runtime: async () => rt, cancelGraceMs: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'DownloadFailed', message: expect.stringMatching(/^Loading Fake.* failed\. The model files could not be downloaded/) });
    expect(rt.deleted).toEqual([]); // what finished downloading is kept for Retry
    expect(rt.engines[0].unloads).toBeGreaterThan(0);
  });

  it('keeps a model that was completely cached when the failure is on the GPU', async () => {
    const rt = new FakeRuntime({ fail: 'The WebGPU device was lost while loading the model.' }, tok, vocab);
    rt.cached = true;
    await expect(createWebLLMEngine(id, () => {}, undefined, { runtime: async () => rt, cancelGraceMs: 10 })).rejects.toMatchObject({ name: 'GpuDeviceLost' });
    expect(rt.deleted).toEqual([]);
  });

  it('a load that stops reporting progress fails within the stall time', async () => {
    const rt = new FakeRuntime({ reports: reports.slice(0, 2), hang: true }, tok, vocab);
    // bounded by its own timer (stallMs), which fires before a 2 s one however busy the machine
    const outcome = await Promise.race([
      createWebLLMEngine(id, () => {}, undefined, { runtime: async () => rt, stallMs: 60, cancelGraceMs: 10 }).then(() => null, (e: unknown) => e),
      new Promise((r) => setTimeout(() => r('still waiting after 2 s'), 2000)),
    ]);
    expect(outcome).toMatchObject({ name: 'LoadStalled', message: expect.stringMatching(/stalled: nothing arrived/) });
  });

  it('cancels through the AbortSignal, even though web-llm resolves quietly when aborted', async () => {
    const rt = new FakeRuntime({ reports: [...reports, ...reports, ...reports], tickMs: 5 }, tok, vocab);
    const ac = new AbortController();
    const p = createWebLLMEngine(id, (pr) => pr.phase === 'download' && ac.abort(), ac.signal, { runtime: async () => rt, cancelGraceMs: 100 });
    await expect(p).rejects.toMatchObject({ name: 'AbortError', message: expect.stringMatching(/was cancelled/) });
    expect(rt.engines[0].unloads).toBeGreaterThan(0);
  });

  it('refuses a model whose attention is a sliding window, which forwardTokensAndSample never checks', async () => {
    const rt = new FakeRuntime({ reports, chatConfig: { context_window_size: -1, sliding_window_size: 4096, attention_sink_size: 0 } }, tok, vocab);
    await expect(createWebLLMEngine(id, () => {}, undefined, { runtime: async () => rt })).rejects.toMatchObject({
      name: 'SlidingWindow',
      message: expect.stringMatching(/sliding window of 4096 tokens.*Pick another model/),
    });
    expect(rt.engines[0].loadedModelIdToPipeline.size).toBe(0); // nothing left on the GPU
    // known from the record alone: refused before anything is downloaded
    const rt2 = new FakeRuntime({ reports }, tok, vocab);
    rt2.prebuiltAppConfig = { model_list: [{ ...fakeRecord, overrides: { context_window_size: -1, sliding_window_size: 2048 } }] };
    await expect(createWebLLMEngine(id, () => {}, undefined, { runtime: async () => rt2 })).rejects.toMatchObject({ name: 'SlidingWindow' });
    expect(rt2.engines).toHaveLength(0);
  });

  // web-llm's own order: config, wasm and tokenizer with no report, then four shards at a time
  const pipeline = (o: Partial<FakePipeline> = {}): FakePipeline => ({ silentBytes: 40_000, shards: 8, shardBytes: 4000, chunkBytes: 1000, tickMs: 5, ...o });
  const until = async (ok: () => boolean) => {
    while (!ok()) await new Promise((r) => setTimeout(r, 5));
  };

  it('a slow download that keeps moving is not a stall, even through the phases web-llm reports nothing in', async () => {
    const rt = new FakeRuntime({ pipeline: pipeline() }, tok, vocab);
    const seen: LoadProgress[] = [];
    // 40 kB arrive over ~200 ms before web-llm's first report, four times the stall limit
    const loaded = await createWebLLMEngine(id, (p) => seen.push(p), undefined, { runtime: async () => rt, stallMs: 50, cancelGraceMs: 10 });
    expect(loaded.alive()).toBe(true);
    expect(seen[0]).toMatchObject({ phase: 'starting', bytesReceived: 1000 }); // measured before any report
    expect(seen.at(-1)).toMatchObject({ phase: 'done', bytesReceived: 40_000 + 8 * 4000 });
  });

  it('a download whose bytes stop does stall, within the stall time', async () => {
    const rt = new FakeRuntime({ pipeline: pipeline({ stallAfterBytes: 5000 }) }, tok, vocab);
    await expect(createWebLLMEngine(id, () => {}, undefined, { runtime: async () => rt, stallMs: 60, cancelGraceMs: 10 })).rejects.toMatchObject({ name: 'LoadStalled' });
  });

  it('keeps the shards that finished, so Retry downloads only the rest', async () => {
    const script = { pipeline: pipeline({ failAtShard: 5 }) };
    const rt = new FakeRuntime(script, tok, vocab);
    const shards = () => [...rt.files].filter((u) => u.includes('params_shard')).length;
    await expect(createWebLLMEngine(id, () => {}, undefined, { runtime: async () => rt, cancelGraceMs: 50 })).rejects.toMatchObject({ name: 'DownloadFailed' });
    expect(shards()).toBeGreaterThan(0); // the clean-up deleted none of them
    await new Promise((r) => setTimeout(r, 50)); // the other three download loops stop at their next fetch
    const kept = shards();
    script.pipeline.failAtShard = undefined;
    await createWebLLMEngine(id, () => {}, undefined, { runtime: async () => rt });
    expect(rt.engines[1].shardFetches).toBe(8 - kept);
  });

  it('a cancel while web-llm compiles its wasm stops the download and leaves nothing on the GPU', async () => {
    const rt = new FakeRuntime({ pipeline: pipeline({ silentBytes: 4000, instantiateMs: 150 }) }, tok, vocab);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 60); // the config and wasm are in by ~20 ms; compiling takes 150 ms
    await expect(createWebLLMEngine(id, () => {}, ac.signal, { runtime: async () => rt, cancelGraceMs: 20 })).rejects.toMatchObject({ name: 'AbortError' });
    const engine = rt.engines[0];
    await until(() => engine.settled);
    await new Promise((r) => setTimeout(r, 20));
    expect([...rt.files].filter((u) => u.includes('params_shard'))).toEqual([]); // no weights fetched after the cancel
    expect(engine.loadedModelIdToPipeline.size).toBe(0); // nothing registered on an engine nobody holds
  });

  it('names unknown models and a web-llm that failed to load', async () => {
    const rt = new FakeRuntime({}, tok, vocab);
    await expect(createWebLLMEngine('Nope-MLC', () => {}, undefined, { runtime: async () => rt })).rejects.toThrow(/not in web-llm's list/);
    await expect(
      createWebLLMEngine(id, () => {}, undefined, {
        runtime: () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')),
      }),
    ).rejects.toMatchObject({ name: 'DownloadFailed', message: expect.stringMatching(/^Starting web-llm/) });
  });
});
