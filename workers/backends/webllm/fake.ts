// A stand-in for web-llm 0.2.86's MLCEngine, for tests: the same method signatures and response
// shapes (typed with web-llm's own types), and the same order of operations as its sampler:
// the registered LogitProcessor sees the raw logits, then logit_bias is added, then softmax at
// the temperature (the chat config's default when the request sets none), and logprobs come from
// those probabilities as float32. Its "model" gives deterministic logits that depend on every
// token in the KV cache, so two ways of reading agree only if they feed exactly the same tokens.
// Errors are thrown as bare strings, as web-llm's do when they cross a worker.

import type {
  AppConfig,
  ChatCompletionTokenLogprob,
  ChatOptions,
  Completion,
  CompletionCreateParamsNonStreaming,
  InitProgressReport,
  LogitProcessor,
  MLCEngineConfig,
  ModelRecord,
} from '@mlc-ai/web-llm';
import type { LoadableEngine, WebLLMRuntime, WebLLMTokenizer } from './model';

/** Deterministic logits over `vocab` tokens, a function of the whole history. */
export function fakeLogits(history: number[], vocab: number): Float32Array {
  let h = 17;
  for (const t of history) h = (h * 31 + t + 7) % 1_000_003;
  const phase = (h / 1_000_003) * 2 * Math.PI;
  const out = new Float32Array(vocab);
  for (let v = 0; v < vocab; v++) out[v] = 4 * Math.sin(v * 0.7 + phase) + Math.cos(v * 0.013 + 3 * phase);
  return out;
}

export interface FakeEngineOptions {
  tokenizer: WebLLMTokenizer;
  vocab: number; // logits length (the model's padded vocabulary)
  contextWindow?: number;
  processor?: LogitProcessor; // as if registered for the loaded model
  defaultTemperature?: number; // the chat config's, used when a request sets none
  logits?: (history: number[], vocab: number) => Float32Array; // the model; fakeLogits by default
}

export class FakeMLCEngine implements LoadableEngine {
  history: number[] = [];
  forwardCalls = 0;
  completionCalls = 0;
  failWith: string | null = null; // reject every call with this string
  private processor: LogitProcessor | undefined;
  private readonly tok: WebLLMTokenizer;
  private readonly vocab: number;
  private readonly contextWindow: number;
  private readonly defaultTemperature: number;
  private readonly logits: (history: number[], vocab: number) => Float32Array;

  constructor(o: FakeEngineOptions) {
    this.logits = o.logits ?? fakeLogits;
    this.tok = o.tokenizer;
    this.vocab = o.vocab;
    this.contextWindow = o.contextWindow ?? 4096;
    this.processor = o.processor;
    this.defaultTemperature = o.defaultTemperature ?? 0.7;
  }

  setProcessor(p: LogitProcessor | undefined): void {
    this.processor = p;
  }

  /** Why `request` cannot run now (web-llm's ModelNotLoadedError text), or null. */
  protected notLoaded(_request: string): string | null {
    return null;
  }

  async reload(_modelId: string): Promise<void> {}
  async unload(): Promise<void> {}

  async resetChat(_keepStats?: boolean, _modelId?: string): Promise<void> {
    const missing = this.notLoaded('resetChat');
    if (missing !== null) return Promise.reject(missing);
    this.history = [];
    this.processor?.resetState();
  }

  async forwardTokensAndSample(inputIds: Array<number>, _isPrefill: boolean, _modelId?: string): Promise<number> {
    this.forwardCalls++;
    if (this.failWith !== null) return Promise.reject(this.failWith);
    const missing = this.notLoaded('forwardTokensAndSample');
    if (missing !== null) return Promise.reject(missing);
    await gpuWork(); // the GPU takes its time, and other callers run meanwhile (no lock on this path)
    if (inputIds.length === 0) return Promise.reject('Error: inputIds must not be empty');
    this.history.push(...inputIds);
    if (this.history.length > this.contextWindow) return Promise.reject('Error: KV cache is full');
    let logits = this.logits(this.history, this.vocab);
    if (this.processor) logits = this.processor.processLogits(logits);
    const next = argmax(logits);
    this.processor?.processSampledToken(next);
    return next;
  }

  completions = {
    create: (request: CompletionCreateParamsNonStreaming): Promise<Completion> => this.complete(request),
  };

  private async complete(req: CompletionCreateParamsNonStreaming): Promise<Completion> {
    this.completionCalls++;
    if (this.failWith !== null) return Promise.reject(this.failWith);
    const missing = this.notLoaded('CompletionCreateParams');
    if (missing !== null) return Promise.reject(missing);
    // web-llm's request checks (postInitAndCheckGenerationConfigValues)
    if (req.top_logprobs != null && !req.logprobs) return Promise.reject('Error: top_logprobs requires logprobs to be true');
    if (req.top_logprobs != null && (req.top_logprobs < 0 || req.top_logprobs > 5)) return Promise.reject('Error: top_logprobs must be in [0, 5]');
    for (const [k, b] of Object.entries(req.logit_bias ?? {})) {
      if (!(b >= -100 && b <= 100)) return Promise.reject(`Error: logit_bias must be in [-100, 100], got ${b} for tokenID ${k}`);
      if (!/^\d+$/.test(k)) return Promise.reject(`Error: logit_bias keys must be token ids, got ${k}`);
    }
    // A text completion starts from an empty KV cache and adds no special tokens.
    await this.resetChat();
    const ids = Array.from(this.tok.encode(req.prompt));
    if (ids.length > this.contextWindow)
      return Promise.reject(`Error: Prompt tokens exceed context window size: number of prompt tokens: ${ids.length}; context window size: ${this.contextWindow}`);
    this.history = ids;
    let logits = this.logits(ids, this.vocab);
    if (this.processor) logits = this.processor.processLogits(logits);
    const biased = Float64Array.from(logits);
    for (const [k, b] of Object.entries(req.logit_bias ?? {})) biased[Number(k)] += b;
    const T = Math.max(1e-6, req.temperature ?? this.defaultTemperature);
    let max = -Infinity;
    for (const l of biased) if (l / T > max) max = l / T;
    let sum = 0;
    for (const l of biased) sum += Math.exp(l / T - max);
    const probs = Float32Array.from(biased, (l) => Math.exp(l / T - max) / sum); // the GPU keeps float32
    const sampled = argmax(probs);
    this.processor?.processSampledToken(sampled);
    const k = req.logprobs ? (req.top_logprobs ?? 0) : 0;
    const entry = ([id, p]: [number, number]) => {
      const token = id < 0 ? '' : this.tok.decode(Int32Array.of(id));
      return { token, bytes: Array.from(new TextEncoder().encode(token)), logprob: Math.log(p) };
    };
    const content: ChatCompletionTokenLogprob = { ...entry([sampled, probs[sampled]]), top_logprobs: topProbs(probs, k).map(entry) };
    return {
      id: `cmpl-${this.completionCalls}`,
      object: 'text_completion',
      created: 0,
      model: 'fake',
      choices: [{ index: 0, text: content.token, finish_reason: 'length', logprobs: req.logprobs ? { content: [content] } : null }],
      usage: {
        prompt_tokens: ids.length,
        completion_tokens: 1,
        total_tokens: ids.length + 1,
        extra: { e2e_latency_s: 0, prefill_tokens_per_s: 0, decode_tokens_per_s: 0, time_to_first_token_s: 0, time_per_output_token_s: 0 },
      },
    };
  }
}

const gpuWork = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

/**
 * The top `k` (token, probability) pairs the way web-llm 0.2.86's getTopProbs lists them: one
 * scan in token-id order that stops as soon as the probability not yet scanned is at most the
 * k-th listed one, so with float32 probabilities a label that loses by more than ~17 nats may be
 * missing; slots never filled stay (-1, -1), and their logprob is log(-1) = NaN.
 */
function topProbs(p: ArrayLike<number>, k: number): [number, number][] {
  const top: [number, number][] = Array.from({ length: k }, () => [-1, -1]);
  let scanned = 0;
  for (let id = 0; id < p.length && k > 0; id++) {
    let at = k;
    while (at > 0 && p[id] > top[at - 1][1]) at--;
    if (at < k) {
      top.splice(at, 0, [id, p[id]]);
      top.length = k;
    }
    scanned += p[id];
    if (1 - scanned <= top[k - 1][1]) break;
  }
  return top;
}

// ---- A fake web-llm module for the loader ---------------------------------------------------

export interface LoadScript {
  reports?: InitProgressReport[]; // sent one per tick
  tickMs?: number;
  fail?: unknown; // reject reload with this (web-llm errors arrive as strings)
  hang?: boolean; // never finish and never report again
  chatConfig?: ChatOptions;
  pipeline?: FakePipeline; // instead of `reports`: web-llm's reload() phase by phase
}

/** reloadInternal() of web-llm 0.2.86 as its network and its progress reports see it. */
export interface FakePipeline {
  silentBytes: number; // config, wasm and tokenizer: fetched with no progress report
  shards: number;
  shardBytes: number;
  chunkBytes: number; // what arrives per tick of `tickMs`
  tickMs: number;
  instantiateMs?: number; // compiling the wasm: no fetch, no report, no abort
  stallAfterBytes?: number; // the connection stops delivering after this many bytes of this load
  failAtShard?: number; // the fetch of this shard (0-based) fails
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const abortError = () => new DOMException('The operation was aborted.', 'AbortError');

export const fakeRecord: ModelRecord = {
  model_id: 'Fake-0.1B-q4f32_1-MLC',
  model: 'https://huggingface.co/mlc-ai/Fake-0.1B-q4f32_1-MLC',
  model_lib: 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/fake.wasm',
  vram_required_MB: 100,
  low_resource_required: true,
  overrides: { context_window_size: 4096 },
};

/** An engine that loads like MLCEngine: progress reports, a private pipeline map, quiet abort. */
export class FakeLoadingEngine extends FakeMLCEngine {
  unloads = 0;
  private aborted = false;
  // The private fields MLCEngine 0.2.86 keeps (the backend reads the tokenizer from them).
  loadedModelIdToPipeline = new Map<string, { tokenizer: WebLLMTokenizer }>();
  loadedModelIdToChatConfig = new Map<string, ChatOptions>();

  constructor(
    private readonly config: MLCEngineConfig,
    private readonly script: LoadScript,
    private readonly tokenizer: WebLLMTokenizer,
    vocab: number,
  ) {
    super({ tokenizer, vocab });
  }

  override async reload(modelId: string): Promise<void> {
    this.setProcessor(this.config.logitProcessorRegistry?.get(modelId));
    if (this.script.pipeline) return this.reloadPipeline(modelId, this.script.pipeline);
    for (const r of this.script.reports ?? []) {
      await new Promise((resolve) => setTimeout(resolve, this.script.tickMs ?? 1));
      if (this.aborted) return; // web-llm swallows the AbortError of its own fetches
      this.config.initProgressCallback?.(r);
    }
    if (this.script.hang) await new Promise(() => {});
    if (this.script.fail !== undefined) return Promise.reject(this.script.fail);
    if (this.aborted) return;
    this.register(modelId);
  }

  private register(modelId: string): void {
    this.loadedModelIdToPipeline.set(modelId, { tokenizer: this.tokenizer });
    this.loadedModelIdToChatConfig.set(modelId, this.script.chatConfig ?? { context_window_size: 4096 });
  }

  reloadController: AbortController | undefined; // MLCEngine's own: unload() aborts and clears it
  shardFetches = 0; // shard downloads started
  received = 0; // bytes this engine fetched
  settled = false; // reload() has returned or thrown

  /** The order and the abort rules of MLCEngine.reload(): the signal is read from
   *  this.reloadController when each fetch starts (for the weights, once for all shards), so a
   *  fetch that starts after an unload() runs without one; compiling the wasm and fetching the
   *  tokenizer take no signal at all. Finished files stay in the runtime's cache. */
  private async reloadPipeline(modelId: string, p: FakePipeline): Promise<void> {
    const record = this.config.appConfig?.model_list.find((r) => r.model_id === modelId);
    const base = record?.model ?? modelId;
    this.reloadController = new AbortController();
    const report = (progress: number, text: string) => this.config.initProgressCallback?.({ progress, timeElapsed: 0, text });
    try {
      await this.fetchFile(`${base}/mlc-chat-config.json`, Math.ceil(p.silentBytes / 4), p, this.reloadController?.signal);
      await this.fetchFile(record?.model_lib ?? `${base}.wasm`, Math.ceil(p.silentBytes / 2), p, this.reloadController?.signal);
      await sleep(p.instantiateMs ?? 0);
      await this.fetchFile(`${base}/tokenizer.json`, Math.ceil(p.silentBytes / 4), p, undefined);
      const signal = this.reloadController?.signal;
      const total = p.shards * p.shardBytes;
      let fetched = 0;
      let done = 0;
      report(0, 'Start to fetch params');
      const loop = async (start: number, end: number) => {
        for (let i = start; i < end; i++) {
          await this.fetchFile(`${base}/params_shard_${i}.bin`, p.shardBytes, p, signal, i === p.failAtShard);
          fetched += p.shardBytes;
          done++;
          report(fetched / total, `Fetching param cache[${done}/${p.shards}]: ${Math.ceil(fetched / 2 ** 20)}MB fetched. ${Math.floor((fetched * 100) / total)}% completed, 1 secs elapsed.`);
        }
      };
      const q = Math.floor(p.shards / 4); // four download loops, as fetchTensorCacheInternal runs
      await Promise.all([loop(0, q), loop(q, 2 * q), loop(2 * q, 3 * q), loop(3 * q, p.shards)]);
      report(1, `Loading model from cache[${p.shards}/${p.shards}]: ${Math.ceil(total / 2 ** 20)}MB loaded. 100% completed, 1 secs elapsed.`);
      this.register(modelId);
      report(1, 'Finish loading on WebGPU - fake');
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return; // web-llm: "Reload() is aborted."
      throw e;
    } finally {
      this.reloadController = undefined;
      this.settled = true;
    }
  }

  /** One Cache.add(): skipped when cached, bytes through the runtime's meter, kept only when whole. */
  private async fetchFile(url: string, bytes: number, p: FakePipeline, signal: AbortSignal | undefined, fail = false): Promise<void> {
    if (this.runtime?.files.has(url)) return;
    if (url.includes('params_shard')) this.shardFetches++;
    if (fail) throw new TypeError('Failed to fetch');
    for (let got = 0; got < bytes; ) {
      if (signal?.aborted) throw abortError();
      if (p.stallAfterBytes !== undefined && (this.runtime?.loadBytes ?? 0) >= p.stallAfterBytes) {
        await sleep(p.tickMs); // the connection is open, nothing arrives
        continue;
      }
      await sleep(p.tickMs);
      const n = Math.min(p.chunkBytes, bytes - got);
      got += n;
      this.received += n;
      this.runtime?.arrived(n);
    }
    this.runtime?.files.add(url);
  }

  runtime: FakeRuntime | null = null;

  override async unload(): Promise<void> {
    this.unloads++;
    this.aborted = true;
    this.loadedModelIdToPipeline.clear();
    this.loadedModelIdToChatConfig.clear();
    this.reloadController?.abort();
    this.reloadController = undefined;
  }

  /** The GPU device is lost: web-llm's device.lost handler calls unload(), and the engine stays
   *  unloaded; every later call fails with ModelNotLoadedError until reload(). */
  loseDevice(): void {
    void this.unload();
  }

  protected override notLoaded(request: string): string | null {
    if (this.loadedModelIdToPipeline.size > 0) return null;
    return `Error: Model not loaded before trying to complete ${request}. Please ensure you have called MLCEngine.reload(model) to load the model before initiating APIs, or initialize your engine using CreateMLCEngine() with a valid model configuration.`;
  }
}

export class FakeRuntime implements WebLLMRuntime {
  prebuiltAppConfig: AppConfig = { model_list: [fakeRecord] };
  engines: FakeLoadingEngine[] = [];
  deleted: string[] = [];
  cached = false; // hasModelInCache's answer
  files = new Set<string>(); // the browser cache, by URL: whole files only, kept across engines
  loadBytes = 0; // bytes fetched since the last watchDownloads()
  private meters = new Set<(bytes: number) => void>();

  watchDownloads = (onBytes: (bytes: number) => void): (() => void) => {
    this.loadBytes = 0;
    this.meters.add(onBytes);
    return () => this.meters.delete(onBytes);
  };

  arrived(bytes: number): void {
    this.loadBytes += bytes;
    for (const m of this.meters) m(bytes);
  }

  constructor(
    private readonly script: LoadScript,
    private readonly tokenizer: WebLLMTokenizer,
    private readonly vocab: number,
  ) {}

  createEngine = (config: MLCEngineConfig): FakeLoadingEngine => {
    const e = new FakeLoadingEngine(config, this.script, this.tokenizer, this.vocab);
    e.runtime = this;
    this.engines.push(e);
    return e;
  };
  /** Weights in the cache (complete or not, which is enough here), or `cached` for every model. */
  hasModelInCache = async (id: string): Promise<boolean> => {
    const base = this.record(id)?.model ?? id;
    return this.cached || [...this.files].some((u) => u.startsWith(`${base}/params_shard`));
  };
  private forget(test: (url: string) => boolean): void {
    for (const url of this.files) if (test(url)) this.files.delete(url);
  }
  private record(id: string) {
    return this.prebuiltAppConfig.model_list.find((r) => r.model_id === id);
  }
  deleteModelInCache = async (id: string): Promise<void> => {
    this.deleted.push(`model:${id}`);
    const base = this.record(id)?.model ?? id;
    this.forget((u) => u.startsWith(`${base}/params_shard`) || u === `${base}/tokenizer.json`);
  };
  deleteModelWasmInCache = async (id: string): Promise<void> => {
    this.deleted.push(`wasm:${id}`);
    const lib = this.record(id)?.model_lib;
    this.forget((u) => u === lib);
  };
  deleteChatConfigInCache = async (id: string): Promise<void> => {
    this.deleted.push(`config:${id}`);
    const base = this.record(id)?.model ?? id;
    this.forget((u) => u === `${base}/mlc-chat-config.json`);
  };
}
