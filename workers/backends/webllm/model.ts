// The web-llm backend of the model boundary (DESIGN §3), run inside the run worker.
//
// Reading: each sequence is laid out by src/lib/data/prompt.ts, tokenized with the model's own
// tokenizer, and fed to the model in order. Two ways to read label log-probabilities, chosen by
// `mode`:
// - 'logits' (default): after resetChat(), forwardTokensAndSample(ids, true) appends the tokens up
//   to each read point to the KV cache; the LogitProcessor registered for the model (LogitCapture)
//   sees the full next-token logits there and keeps log-softmax of the two label tokens. One pass
//   per sequence, exact over the whole vocabulary. In 0.2.86 forwardTokensAndSample applies the
//   processor to the raw logits before logit_bias, penalties and temperature (sampleFromRawLogits),
//   and the token it samples is returned, not appended, so the KV cache holds exactly our tokens.
// - 'logit-bias': one completions.create per read point with the text up to it, max_tokens 1,
//   logprobs with top_logprobs 2, and logit_bias +100 on both label tokens, so both are in the top 2
//   and log P(True) − log P(False) is exact; the two values are then normalized over the two labels
//   rather than the vocabulary. web-llm has no prefix cache, so this reads O(reads × length) tokens.
//   One departure from exact: web-llm's getTopProbs stops scanning once the probability left is
//   below the k-th listed one, so a label that loses by more than ~17 nats (the winner's float32
//   probability rounds to 1) is not listed at all; it is then taken MISSING_LABEL_GAP below the
//   winner, a finite lower bound on the true gap (the logits mode reads it exactly).
//
// Loading: createWebLLMEngine imports web-llm only when called (it is the only place that loads
// web-llm's runtime), builds an MLCEngine with the LogitCapture registered, forwards load progress
// (and the bytes that arrive between web-llm's reports), and ends a stalled or cancelled load with
// a clear error, nothing left on the GPU and the finished files kept for Retry.

import type {
  AppConfig,
  ChatOptions,
  Completion,
  CompletionCreateParamsNonStreaming,
  InitProgressReport,
  MLCEngineConfig,
} from '@mlc-ai/web-llm';
import type { DataItem, TaskKind } from '../../../src/lib/data/types';
import type { LabelRead, Segment, SequenceReads } from '../../../src/lib/icm/model';
import type { RunModel } from '../backend';
import { webllmError, WebLLMError } from '../../../src/lib/webllm/errors';
import { LogitCapture, type LogitReadout } from '../../../src/lib/webllm/logits';
import { watchCacheDownloads } from './meter';
import { ProgressTracker, type LoadProgress } from '../../../src/lib/model/progress';
import { sequenceText } from '../../../src/lib/data/prompt';
import { labelTokens, tokenCounts, tokenizeSequence, type LabelTokens, type TextTokenizer } from '../../../src/lib/model/tokens';
import type { WebLLMReadMode } from '../../../src/lib/model/params';

/** web-llm's Tokenizer (@mlc-ai/web-tokenizers) as used here: it also decodes, for the label texts
 *  the completions path finds in top_logprobs. */
export interface WebLLMTokenizer extends TextTokenizer {
  decode(ids: Int32Array): string;
}

/** The label tokens, and their text as web-llm names them in top_logprobs. */
export interface WebLLMLabels extends LabelTokens {
  trueText: string;
  falseText: string;
}

/** What the backend calls on an engine; web-llm's MLCEngine satisfies it (webllm.test.ts checks). */
export interface WebLLMEngine {
  forwardTokensAndSample(inputIds: Array<number>, isPrefill: boolean, modelId?: string): Promise<number>;
  resetChat(keepStats?: boolean, modelId?: string): Promise<void>;
  completions: { create(request: CompletionCreateParamsNonStreaming): Promise<Completion> };
}

export interface WebLLMModelOptions {
  tokenizer: WebLLMTokenizer; // the model's own
  readout: LogitReadout; // the LogitProcessor registered for this model (used by 'logits')
  contextWindow: number; // tokens
  mode?: WebLLMReadMode; // default 'logits'
  prefixIds?: number[]; // tokens every sequence starts with (the model's BOS, if its template has one)
  description?: string; // the dataset's one-line task description, shown before the demonstrations
  modelName?: string; // for messages
  now?: () => number; // ms clock, for stats
}

export interface ReadStats {
  sequences: number;
  reads: number;
  tokens: number; // tokens the model read
  seconds: number; // time spent in the engine
}

/** warnings(): split labels, a prefix the completions path cannot send. tokenCounts(): per pool
 *  item (separator, prompt, longer label), and the prefix and description every sequence carries. */
export interface WebLLMLabelModel extends RunModel {
  readonly mode: WebLLMReadMode;
  readonly labels: WebLLMLabels;
  countTokens(text: string): number;
  /** Tokens readSequence would read for these segments, without running the model. */
  sequenceTokens(segments: Segment[]): number;
  stats(): ReadStats;
}

const BIAS = 100; // web-llm's maximum logit_bias
/** nats: a label getTopProbs did not list lost by at least this much. It is omitted only once the
 *  winner's float32 probability is exactly 1, i.e. the loser's is below 2^-25. */
export const MISSING_LABEL_GAP = 25 * Math.LN2; // ≈ 17.3

// One sequence at a time per engine: the KV cache and the LogitProcessor belong to the engine,
// and forwardTokensAndSample takes no lock (completion() does), so every label model built on
// the same engine (a run, label the rest, the baselines) waits in this one queue.
const engineQueues = new WeakMap<object, Promise<unknown>>();

function exclusive<T>(engine: object, task: () => Promise<T>): Promise<T> {
  const next = (engineQueues.get(engine) ?? Promise.resolve()).then(task);
  engineQueues.set(engine, next.catch(() => undefined));
  return next;
}

export function createWebLLMModel(engine: WebLLMEngine, kind: TaskKind, items: DataItem[], opts: WebLLMModelOptions): WebLLMLabelModel {
  const { tokenizer: tok, readout, contextWindow, description } = opts;
  const mode = opts.mode ?? 'logits';
  const prefixIds = opts.prefixIds ?? [];
  const name = opts.modelName ?? 'the model';
  const now = opts.now ?? (() => performance.now());
  const ids = labelTokens(tok);
  const labels: WebLLMLabels = { ...ids, trueText: tok.decode(Int32Array.of(ids.trueId)), falseText: tok.decode(Int32Array.of(ids.falseId)) };
  const warnings = labels.warning ? [labels.warning] : [];

  // The completions path sends text, so the prefix must survive decode → encode.
  let prefixText = '';
  if (mode === 'logit-bias') {
    if (labels.trueText === labels.falseText)
      throw new WebLLMError('LabelTokens', `The label tokens of ${name} decode to the same text, so completions cannot tell them apart; use the logits mode.`);
    if (prefixIds.length > 0) {
      const text = tok.decode(Int32Array.from(prefixIds));
      const back = Array.from(tok.encode(text));
      if (back.length === prefixIds.length && back.every((t, i) => t === prefixIds[i])) prefixText = text;
      else warnings.push(`The completions path cannot send ${name}'s start token, so its reads may differ slightly from the logits path.`);
    }
  }
  const offset = mode === 'logits' ? prefixIds.length : 0; // where the text's ids start in the KV cache
  const prefixTokens = mode === 'logits' || prefixText ? prefixIds.length : 0; // prefix tokens each sequence carries

  const cache = new Map<string, number[]>();
  const stats: ReadStats = { sequences: 0, reads: 0, tokens: 0, seconds: 0 };

  const tooLong = (needed: number) =>
    new WebLLMError(
      'ContextWindowExceeded',
      `A sequence needs ${needed} tokens but ${name} reads at most ${contextWindow}. Lower the pool size or pick a model with a longer context.`,
    );

  const prepare = (segments: Segment[]) => {
    const seq = sequenceText(kind, items, segments, description);
    const tokenized = tokenizeSequence(tok, seq, cache);
    const lastRead = tokenized.readAt.length > 0 ? prefixTokens + tokenized.readAt[tokenized.readAt.length - 1] : 0;
    return { seq, tokenized, lastRead };
  };

  async function readByLogits(segments: Segment[]): Promise<SequenceReads> {
    const { seq, tokenized, lastRead } = prepare(segments);
    if (seq.reads.length === 0) return { reads: [], tokens: 0, computed: 0 };
    if (lastRead > contextWindow) throw tooLong(lastRead);
    const ids = [...prefixIds, ...tokenized.ids];
    const reads: LabelRead[] = [];
    await engine.resetChat();
    readout.watch([labels.trueId, labels.falseId]); // another model on this engine may watch other ids
    readout.take(); // drop anything left from another caller
    let fed = 0;
    for (let k = 0; k < seq.reads.length; k++) {
      const end = offset + tokenized.readAt[k];
      await engine.forwardTokensAndSample(ids.slice(fed, end), true);
      fed = end;
      const v = readout.take();
      if (!v)
        throw new WebLLMError('NoLogits', `No logits reached the reader for ${name}: its LogitProcessor must be registered for this model id before reload().`);
      reads.push({ item: seq.reads[k].item, logTrue: v[0], logFalse: v[1] });
    }
    return { reads, tokens: fed, computed: fed }; // resetChat() above: no token is reused
  }

  async function readByBias(segments: Segment[]): Promise<SequenceReads> {
    const { seq, tokenized, lastRead } = prepare(segments);
    if (lastRead > contextWindow) throw tooLong(lastRead);
    const reads: LabelRead[] = [];
    let tokens = 0;
    for (let k = 0; k < seq.reads.length; k++) {
      const res = await engine.completions.create({
        prompt: prefixText + seq.text.slice(0, seq.reads[k].at),
        stream: false,
        max_tokens: 1,
        temperature: 1, // logprobs are computed after temperature and logit_bias
        top_p: 1,
        frequency_penalty: 0,
        presence_penalty: 0,
        repetition_penalty: 1,
        logprobs: true,
        top_logprobs: 2,
        logit_bias: { [labels.trueId]: BIAS, [labels.falseId]: BIAS },
      });
      const content = res.choices[0]?.logprobs?.content?.[0];
      if (!content) throw new WebLLMError('NoLogprobs', `${name} returned a completion without logprobs.`);
      // log(0) for a probability that underflowed, NaN for a slot getTopProbs never filled
      const find = (text: string) => {
        const lp = content.top_logprobs.find((t) => t.token === text)?.logprob;
        return lp !== undefined && Number.isFinite(lp) ? lp : undefined;
      };
      const listedTrue = find(labels.trueText);
      const listedFalse = find(labels.falseText);
      if (listedTrue === undefined && listedFalse === undefined)
        throw new WebLLMError('NoLabelLogprobs', `Neither label token is among ${name}'s top tokens, although both were biased by +${BIAS}.`);
      const logTrue = listedTrue ?? (listedFalse ?? 0) - MISSING_LABEL_GAP;
      const logFalse = listedFalse ?? (listedTrue ?? 0) - MISSING_LABEL_GAP;
      reads.push({ item: seq.reads[k].item, logTrue, logFalse });
      tokens += res.usage?.prompt_tokens ?? prefixTokens + tokenized.readAt[k];
    }
    return { reads, tokens, computed: tokens }; // web-llm has no prefix cache
  }

  const run = mode === 'logits' ? readByLogits : readByBias;

  function readSequence(segments: Segment[]): Promise<SequenceReads> {
    return exclusive(engine, async () => {
      const t0 = now();
      try {
        const out = await run(segments);
        stats.sequences++;
        stats.reads += out.reads.length;
        stats.tokens += out.tokens;
        return out;
      } catch (e) {
        throw webllmError(e, `Reading labels with ${name}`);
      } finally {
        stats.seconds += (now() - t0) / 1000;
      }
    });
  }

  return {
    mode,
    labels,
    warnings: () => warnings,
    readSequence,
    contextWindow,
    cancel: () => undefined, // a read in flight on the GPU runs to its end
    tokenCounts: () => tokenCounts(tok, kind, items, description, prefixTokens),
    countTokens: (text) => Array.from(tok.encode(text)).length,
    sequenceTokens: (segments) => {
      const { seq, tokenized } = prepare(segments);
      if (mode === 'logits') return seq.reads.length === 0 ? 0 : prefixTokens + tokenized.readAt[tokenized.readAt.length - 1];
      return tokenized.readAt.reduce((sum, r) => sum + prefixTokens + r, 0);
    },
    stats: () => ({ ...stats }),
  };
}

// ---- Loading -------------------------------------------------------------------------------

/** What the loader needs from an engine beyond reading; MLCEngine satisfies it. */
export interface LoadableEngine extends WebLLMEngine {
  reload(modelId: string): Promise<void>;
  unload(): Promise<void>;
}

/** The parts of the web-llm module the loader uses; tests pass a fake. */
export interface WebLLMRuntime {
  prebuiltAppConfig: AppConfig;
  createEngine(config: MLCEngineConfig): LoadableEngine;
  /** Calls `onBytes` as model files arrive from the network; returns the function that stops it. */
  watchDownloads(onBytes: (bytes: number) => void): () => void;
  hasModelInCache(modelId: string, appConfig?: AppConfig): Promise<boolean>;
  deleteModelInCache(modelId: string, appConfig?: AppConfig): Promise<void>;
  deleteModelWasmInCache(modelId: string, appConfig?: AppConfig): Promise<void>;
  deleteChatConfigInCache(modelId: string, appConfig?: AppConfig): Promise<void>;
}

/** The real runtime; the dynamic import keeps web-llm out of every bundle but the worker's chunk. */
export async function importWebLLM(): Promise<WebLLMRuntime> {
  const m = await import('@mlc-ai/web-llm');
  return {
    prebuiltAppConfig: m.prebuiltAppConfig,
    createEngine: (config) => new m.MLCEngine(config),
    watchDownloads: (onBytes) => watchCacheDownloads(onBytes),
    hasModelInCache: m.hasModelInCache,
    deleteModelInCache: m.deleteModelInCache,
    deleteModelWasmInCache: m.deleteModelWasmInCache,
    deleteChatConfigInCache: m.deleteChatConfigInCache,
  };
}

export interface LoadedWebLLM {
  modelId: string;
  engine: LoadableEngine;
  tokenizer: WebLLMTokenizer;
  readout: LogitCapture;
  contextWindow: number;
  prefixIds: number[];
  /** The LabelModel for a run's pool (Segment.item indexes `items`). */
  model(kind: TaskKind, items: DataItem[], opts?: { mode?: WebLLMReadMode; description?: string }): WebLLMLabelModel;
  /** False once web-llm dropped the model on its own: its device.lost handler unloads the engine. */
  alive(): boolean;
  unload(): Promise<void>;
}

export interface LoadOptions {
  stallMs?: number; // nothing arriving (no byte, no report) for this long ends the load (default 90 s)
  cancelGraceMs?: number; // how long a failed or cancelled load waits for web-llm to wind down (default 5 s)
  /** A failed or cancelled load hands over the promise that settles once its engine is unloaded for good. */
  retired?: (unloaded: Promise<void>) => void;
  runtime?: () => Promise<WebLLMRuntime>;
  now?: () => number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const isObject = (x: unknown): x is object => typeof x === 'object' && x !== null;

/** The tokenizer and chat config web-llm loaded. 0.2.86 has no public accessor for either; they
 *  live on the engine's per-model maps, read here defensively so a change fails clearly. */
function engineParts(engine: object, modelId: string): { tokenizer: WebLLMTokenizer; chatConfig: ChatOptions } {
  const pipelines: unknown = Reflect.get(engine, 'loadedModelIdToPipeline');
  const configs: unknown = Reflect.get(engine, 'loadedModelIdToChatConfig');
  const pipeline: unknown = pipelines instanceof Map ? pipelines.get(modelId) : undefined;
  const tok: unknown = isObject(pipeline) ? Reflect.get(pipeline, 'tokenizer') : undefined;
  const chatConfig: unknown = configs instanceof Map ? configs.get(modelId) : undefined;
  if (!isObject(tok) || typeof Reflect.get(tok, 'encode') !== 'function' || typeof Reflect.get(tok, 'decode') !== 'function' || !isObject(chatConfig))
    throw new WebLLMError(
      'WebLLMInternals',
      `Cannot reach ${modelId}'s tokenizer inside web-llm; this app needs @mlc-ai/web-llm 0.2.86 exactly. Reinstall the app's dependencies.`,
    );
  const encode: unknown = Reflect.get(tok, 'encode');
  const decode: unknown = Reflect.get(tok, 'decode');
  const tokenizer: WebLLMTokenizer = {
    encode: (text) => {
      const ids: unknown = typeof encode === 'function' ? encode.call(tok, text) : undefined;
      if (!(ids instanceof Int32Array) && !Array.isArray(ids)) throw new WebLLMError('WebLLMInternals', `${modelId}'s tokenizer returned no token ids.`);
      return ids;
    },
    decode: (ids) => {
      const text: unknown = typeof decode === 'function' ? decode.call(tok, ids) : undefined;
      return typeof text === 'string' ? text : '';
    },
  };
  return { tokenizer, chatConfig: chatConfig as ChatOptions };
}

/**
 * Download (or read from the browser cache) and load a prebuilt model onto the GPU, in the run
 * worker. Rejects with a clear Error when web-llm fails, when nothing arrives for `stallMs`, or
 * when `signal` aborts. The files that finished downloading stay in the browser cache (each is
 * whole: Cache.add keeps only complete responses), so Retry resumes where the load stopped.
 */
export async function createWebLLMEngine(
  modelId: string,
  onProgress: (p: LoadProgress) => void,
  signal?: AbortSignal,
  opts: LoadOptions = {},
): Promise<LoadedWebLLM> {
  const now = opts.now ?? (() => performance.now());
  const stallMs = opts.stallMs ?? 90_000;
  const doing = `Loading ${modelId}`;
  const cancelled = () => new WebLLMError('AbortError', `${doing} was cancelled.`);
  if (signal?.aborted) throw cancelled();

  let rt: WebLLMRuntime;
  try {
    rt = await (opts.runtime ?? importWebLLM)();
  } catch (e) {
    throw webllmError(e, 'Starting web-llm (its code could not be loaded)');
  }
  if (signal?.aborted) throw cancelled();
  const appConfig = rt.prebuiltAppConfig;
  const record = appConfig.model_list.find((r) => r.model_id === modelId);
  if (!record) throw new WebLLMError('UnknownModel', `"${modelId}" is not in web-llm's list of prebuilt models.`);
  const slidingOverride = record.overrides?.sliding_window_size ?? -1;
  if (slidingOverride !== -1) throw slidingWindow(modelId, slidingOverride); // known before any download

  const readout = new LogitCapture();
  const tracker = new ProgressTracker(now);
  let lastProgress = now();
  const engine = rt.createEngine({
    appConfig,
    logitProcessorRegistry: new Map([[modelId, readout]]),
    initProgressCallback: (r: InitProgressReport) => {
      lastProgress = now();
      onProgress(tracker.update(r));
    },
    logLevel: 'WARN',
  });
  // A slow download is not a stall: every byte that arrives counts, not only web-llm's reports.
  const stopMeter = rt.watchDownloads((bytes) => {
    lastProgress = now();
    const p = tracker.arrived(bytes);
    if (p) onProgress(p);
  });

  let interrupt: (e: Error) => void = () => {};
  const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
  interrupted.catch(() => undefined); // it may fire after the race is over
  const onAbort = () => interrupt(cancelled());
  signal?.addEventListener('abort', onAbort, { once: true });
  const watchdog = setInterval(
    () => {
      if (now() - lastProgress > stallMs)
        interrupt(
          new WebLLMError(
            'LoadStalled',
            `${doing} stalled: nothing arrived for ${Math.round(stallMs / 1000)} s. Check the connection (the model host may be unreachable) and press Retry.`,
          ),
        );
    },
    Math.max(10, Math.min(1000, stallMs / 4)),
  );

  const reload = engine.reload(modelId);
  reload.catch(() => undefined); // settled below or abandoned after a cancel; never unhandled

  try {
    await Promise.race([reload, interrupted]);
    // web-llm's reload() resolves quietly when its own fetches are aborted.
    if (signal?.aborted) throw cancelled();
  } catch (e) {
    const err = webllmError(e, doing);
    await stopLoad(engine, reload, opts.cancelGraceMs ?? 5000, opts.retired);
    throw err;
  } finally {
    stopMeter();
    clearInterval(watchdog);
    signal?.removeEventListener('abort', onAbort);
  }

  let parts: ReturnType<typeof engineParts>;
  try {
    parts = engineParts(engine, modelId);
  } catch (e) {
    await engine.unload().catch(() => undefined);
    throw e;
  }
  const { tokenizer, chatConfig } = parts;
  const sliding = chatConfig.sliding_window_size ?? -1;
  if (sliding !== -1) {
    await engine.unload().catch(() => undefined);
    throw slidingWindow(modelId, sliding);
  }
  const contextWindow = (chatConfig.context_window_size ?? 0) > 0 ? (chatConfig.context_window_size ?? 0) : (record.overrides?.context_window_size ?? 2048);
  // The start tokens web-llm itself puts before a chat (the BOS of Llama, Gemma, TinyLlama);
  // base-style prompts need them too. Qwen, SmolLM2 and phi have none.
  const prefixIds = chatConfig.conv_template?.system_prefix_token_ids ?? [];

  return {
    modelId,
    engine,
    tokenizer,
    readout,
    contextWindow,
    prefixIds,
    model: (kind, items, o = {}) =>
      createWebLLMModel(engine, kind, items, { tokenizer, readout, contextWindow, prefixIds, modelName: modelId, mode: o.mode, description: o.description }),
    alive: () => {
      const pipelines: unknown = Reflect.get(engine, 'loadedModelIdToPipeline');
      return !(pipelines instanceof Map) || pipelines.has(modelId);
    },
    unload: () => engine.unload().catch((e: unknown) => Promise.reject(webllmError(e, `Unloading ${modelId}`))),
  };
}

/** A sliding window is not a context window: tokens further back than it are silently dropped from
 *  attention, and forwardTokensAndSample checks no length on that path, so the demonstrations at
 *  the start of a long sequence would stop counting without an error. */
function slidingWindow(modelId: string, size: number): WebLLMError {
  return new WebLLMError(
    'SlidingWindow',
    `${modelId} attends over a sliding window of ${size} tokens, so it would silently forget the first demonstrations of a long sequence; ICM needs every labeled item in context. Pick another model.`,
  );
}

/**
 * After a failed or cancelled load: stop web-llm's downloads and free the GPU. unload() would
 * abort the reload's controller and clear it, and a reload busy compiling its wasm or fetching
 * the tokenizer (neither takes the signal) then fetches the weights with no signal at all and
 * registers a pipeline on an engine nobody holds. So the controller is aborted where it stands,
 * every later fetch of that reload fails at once, and the final unload waits for the reload to
 * settle. Nothing is deleted: the finished files let Retry resume.
 */
async function stopLoad(engine: LoadableEngine, reload: Promise<void>, graceMs: number, retired?: (unloaded: Promise<void>) => void): Promise<void> {
  const controller: unknown = Reflect.get(engine, 'reloadController');
  if (controller instanceof AbortController) controller.abort();
  else await engine.unload().catch(() => undefined); // internals moved: the public way, which aborts what it can
  const unloaded = reload.then(
    () => engine.unload().catch(() => undefined),
    () => engine.unload().catch(() => undefined),
  );
  retired?.(unloaded);
  await Promise.race([unloaded, sleep(graceMs)]);
}
