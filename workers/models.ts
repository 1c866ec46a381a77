// The worker's models: which LabelModel a run reads from, and the one web-llm model held on the
// GPU at a time (loading it, reporting progress, cancelling, the browser cache of model files).
// The host asks here for a run's model; the simulated model needs nothing loaded.

import type { Dataset } from '../src/lib/data/types';
import type { LabelModel, Segment, SequenceReads } from '../src/lib/icm/model';
import type { ModelSpec } from '../src/lib/model/params';
import { simulatedModelFor } from '../src/lib/model/simulated';
import type { LoadedModelInfo } from '../src/lib/protocol';
import { budgetMessage, contextBudget } from '../src/lib/webllm/budget';
import type { LoadProgress } from '../src/lib/webllm/progress';
import { createServerModel, type ServerModelOptions } from './backends/server';
import { createWebLLMEngine, importWebLLM, type LoadedWebLLM, type LoadOptions, type WebLLMRuntime } from './backends/webllm';

/** A LabelModel that also measures the time spent reading, for the run's speed figures. */
export interface TimedModel extends LabelModel {
  seconds(): number; // total time inside readSequence
  cancel(): void; // stops the reads in flight, where the backend can (a server's requests)
  warnings(): string[]; // what the backend noticed while reading
}

export type Cancellable = LabelModel & { cancel?: () => void; warnings?: string[] | (() => string[]) };

export function timed(model: Cancellable, now: () => number = () => performance.now()): TimedModel {
  let seconds = 0;
  return {
    cancel: () => model.cancel?.(),
    warnings: () => (typeof model.warnings === 'function' ? model.warnings() : (model.warnings ?? [])),
    async readSequence(segments: Segment[]): Promise<SequenceReads> {
      const t0 = now();
      try {
        return await model.readSequence(segments);
      } finally {
        seconds += (now() - t0) / 1000;
      }
    },
    seconds: () => seconds,
  };
}

export interface ModelsDeps {
  runtime?: () => Promise<WebLLMRuntime>; // web-llm itself, or a fake in tests
  load?: LoadOptions; // stall and cancel timings
  server?: Partial<ServerModelOptions>; // request timeout, retries (tests shorten them)
}

export class Models {
  private loaded: LoadedWebLLM | null = null;
  generation = 0; // bumped by every load: run models built before it read from an engine that is gone
  private loading: { modelId: string; promise: Promise<LoadedWebLLM>; abort: AbortController } | null = null;
  private runtimeP: Promise<WebLLMRuntime> | null = null;

  constructor(
    private readonly onProgress: (modelId: string, p: LoadProgress) => void,
    private readonly deps: ModelsDeps = {},
  ) {}

  private runtime(): Promise<WebLLMRuntime> {
    this.runtimeP ??= (this.deps.runtime ?? importWebLLM)();
    this.runtimeP.catch(() => (this.runtimeP = null));
    return this.runtimeP;
  }

  /** Loads `modelId` onto the GPU (downloading it the first time), replacing any other model. */
  async load(modelId: string): Promise<LoadedWebLLM> {
    if (this.loaded?.modelId === modelId) return this.loaded;
    if (this.loading?.modelId === modelId) return this.loading.promise;
    this.loading?.abort.abort();
    if (this.loaded) {
      const old = this.loaded;
      this.loaded = null;
      await old.unload().catch(() => undefined); // one model on the GPU at a time
    }
    const abort = new AbortController();
    const promise = createWebLLMEngine(modelId, (p) => this.onProgress(modelId, p), abort.signal, { runtime: () => this.runtime(), ...this.deps.load });
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

  async info(modelId: string): Promise<LoadedModelInfo> {
    const loaded = await this.load(modelId);
    // the label-token check is a property of the tokenizer alone: an empty pool shows it
    return { modelId, contextWindow: loaded.contextWindow, warnings: loaded.model('factual', []).warnings };
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

  /** Removes a model's files from the browser cache (and from the GPU if it is loaded). */
  async remove(modelId: string): Promise<void> {
    this.cancel(modelId);
    if (this.loaded?.modelId === modelId) {
      const old = this.loaded;
      this.loaded = null;
      await old.unload().catch(() => undefined);
    }
    const rt = await this.runtime();
    for (const del of [rt.deleteModelInCache, rt.deleteModelWasmInCache, rt.deleteChatConfigInCache]) await del(modelId, rt.prebuiltAppConfig);
  }

  /** The model a run reads from; Segment.item k is dataset item indices[k]. Loads a web-llm model if needed. */
  async labelModel(dataset: Dataset, indices: number[], spec: ModelSpec): Promise<Cancellable> {
    const pool = indices.map((d) => dataset.items[d]);
    switch (spec.kind) {
      case 'simulated':
        return simulatedModelFor(dataset.kind, dataset.items, indices, spec.params);
      case 'webllm': {
        const loaded = await this.load(spec.modelId);
        return loaded.model(dataset.kind, pool, { mode: spec.mode, description: dataset.description });
      }
      case 'server':
        return createServerModel(dataset.kind, pool, spec, { ...this.deps.server, description: dataset.description });
    }
  }

  /** The refusal when a pool of `poolSize` items of `dataset` cannot fit the model's context; null when it fits. */
  async contextRefusal(dataset: Dataset, spec: ModelSpec, poolSize: number): Promise<string | null> {
    if (spec.kind !== 'webllm') return null;
    const loaded = await this.load(spec.modelId);
    const model = loaded.model(dataset.kind, dataset.items, { mode: spec.mode, description: dataset.description });
    return budgetMessage(contextBudget(model.itemTokens(), loaded.contextWindow, model.fixedTokens()), poolSize);
  }
}
