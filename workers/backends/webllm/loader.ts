// The one web-llm model held on the GPU at a time: loading it (with progress and cancel),
// replacing it, and the browser cache of model files.

import type { LoadedModelInfo } from '../../../src/lib/protocol';
import type { LoadProgress } from '../../../src/lib/model/progress';
import { WebLLMError } from '../../../src/lib/webllm/errors';
import type { ModelLoader } from '../backend';
import { createWebLLMEngine, importWebLLM, type LoadedWebLLM, type LoadOptions, type WebLLMRuntime } from './model';

export interface WebLLMDeps {
  runtime?: () => Promise<WebLLMRuntime>; // web-llm itself, or a fake in tests
  load?: LoadOptions; // stall and cancel timings
  deleteMs?: number; // how long one part of a delete may take (default 10 s)
}

const RETIRE_WAIT_MS = 30_000;

export class WebLLMLoader implements ModelLoader {
  private loaded: LoadedWebLLM | null = null;
  generation = 0; // bumped by every load: run models built before it read from an engine that is gone
  private loading: { modelId: string; promise: Promise<LoadedWebLLM>; abort: AbortController } | null = null;
  private runtimeP: Promise<WebLLMRuntime> | null = null;
  private retired: Promise<void> = Promise.resolve(); // a failed or cancelled load's engine, until it is unloaded

  constructor(
    private readonly onProgress: (modelId: string, p: LoadProgress) => void,
    private readonly deps: WebLLMDeps = {},
  ) {}

  private runtime(): Promise<WebLLMRuntime> {
    this.runtimeP ??= (this.deps.runtime ?? importWebLLM)();
    this.runtimeP.catch(() => (this.runtimeP = null));
    return this.runtimeP;
  }

  /** Loads `modelId` onto the GPU (downloading it the first time), replacing any other model. */
  async engine(modelId: string): Promise<LoadedWebLLM> {
    // After a GPU device loss web-llm has unloaded the engine for good: load it afresh.
    if (this.loaded && !this.loaded.alive()) this.loaded = null;
    if (this.loaded?.modelId === modelId) return this.loaded;
    if (this.loading?.modelId === modelId) return this.loading.promise;
    this.loading?.abort.abort();
    if (this.loaded) {
      const old = this.loaded;
      this.loaded = null;
      await old.unload().catch(() => undefined); // one model on the GPU at a time
    }
    const abort = new AbortController();
    const promise = this.afterRetired().then(() =>
      createWebLLMEngine(modelId, (p) => this.onProgress(modelId, p), abort.signal, {
        runtime: () => this.runtime(),
        retired: (unloaded) => (this.retired = unloaded),
        ...this.deps.load,
      }),
    );
    const entry = { modelId, promise, abort };
    this.loading = entry;
    try {
      const loaded = await promise;
      if (this.loading === entry) {
        this.loaded = loaded;
        this.generation++;
      }
      return loaded;
    } finally {
      if (this.loading === entry) this.loading = null;
    }
  }

  /** The model loaded now, if it is `modelId` and web-llm still holds it. */
  current(modelId: string): LoadedWebLLM | null {
    return this.loaded?.modelId === modelId && this.loaded.alive() ? this.loaded : null;
  }

  /** One model's GPU memory at a time: a cancelled load may still be winding down (bounded, in
   *  case web-llm never settles). */
  private afterRetired(): Promise<void> {
    return Promise.race([this.retired, new Promise<void>((resolve) => setTimeout(resolve, RETIRE_WAIT_MS))]);
  }

  async load(modelId: string): Promise<LoadedModelInfo> {
    const loaded = await this.engine(modelId);
    // the label-token check is a property of the tokenizer alone: an empty pool shows it
    return { modelId, contextWindow: loaded.contextWindow, warnings: loaded.model('factual', []).warnings() };
  }

  cancel(modelId: string): void {
    if (this.loading?.modelId === modelId) this.loading.abort.abort();
  }

  async cached(modelIds: string[]): Promise<Record<string, boolean>> {
    const rt = await this.runtime();
    const out: Record<string, boolean> = {};
    for (const id of modelIds) out[id] = await rt.hasModelInCache(id, rt.prebuiltAppConfig).catch(() => false);
    return out;
  }

  /** Removes a model's files from the browser cache (and from the GPU if it is loaded). Its
   *  weights, tokenizer and config go even when a variant shares them (the "-1k" models: the same
   *  files, so the page asks again which models are cached); its wasm stays while a model with
   *  other weights that runs the same wasm is still cached. Each part is removed on its own and
   *  in bounded time: deleting the weights reads their index, which web-llm fetches from the
   *  network when it is not cached. */
  async remove(modelId: string): Promise<void> {
    this.cancel(modelId);
    if (this.loaded?.modelId === modelId) {
      const old = this.loaded;
      this.loaded = null;
      await old.unload().catch(() => undefined);
    }
    const rt = await this.runtime();
    const config = rt.prebuiltAppConfig;
    const record = config.model_list.find((r) => r.model_id === modelId);
    if (!record) throw new WebLLMError('UnknownModel', `"${modelId}" is not in web-llm's list of prebuilt models.`);
    const ms = this.deps.deleteMs ?? 10_000;
    const wasmUsers = config.model_list.filter((r) => r.model_lib === record.model_lib && r.model !== record.model);
    const wasmInUse = (await Promise.all(wasmUsers.map((r) => bounded(rt.hasModelInCache(r.model_id, config), ms).catch(() => false)))).some(Boolean);
    const parts: [string, () => Promise<void>][] = [
      ['weights and tokenizer', () => rt.deleteModelInCache(modelId, config)],
      ['chat config', () => rt.deleteChatConfigInCache(modelId, config)],
      ...(wasmInUse ? [] : [['GPU code (wasm)', () => rt.deleteModelWasmInCache(modelId, config)] as [string, () => Promise<void>]]),
    ];
    const results = await Promise.allSettled(parts.map(([, del]) => bounded(del(), ms)));
    const failed = parts.flatMap(([what], i) => {
      const r = results[i];
      return r.status === 'rejected' ? [`its ${what} (${r.reason instanceof Error ? r.reason.message : String(r.reason)})`] : [];
    });
    if (failed.length > 0)
      throw new WebLLMError('DeleteFailed', `Deleting ${modelId} from the browser cache left ${failed.join(' and ')}; the rest is gone. Try again.`);
  }
}

/** `p`, or a rejection once `ms` have passed. */
function bounded<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer after ${Math.round(ms / 1000)} s`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
