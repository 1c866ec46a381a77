// The backend contract (DESIGN §3): what every model backend gives the run host. A backend
// lives in its own folder under workers/backends/: its kind.ts describes it to the page and the
// worker alike (kind.ts here), its index.ts is this; each is one line in a registry (kinds.ts,
// settings.ts, registry.ts). The host, the labeling features and the page never name a backend.

import type { Dataset } from '../../src/lib/data/types';
import type { LabelModel, Segment } from '../../src/lib/icm/model';
import type { LlamaDevice, ModelKind, ModelSpecs } from '../../src/lib/model/params';
import type { GgufFileInfo, GgufStatus, LoadedModelInfo } from '../../src/lib/protocol';
import type { PoolBudget } from '../../src/lib/model/budget';
import type { KindDescriptor } from './kind';
import type { LoadProgress } from '../../src/lib/model/progress';

/** Model files a backend downloads and holds, by model id (the page's loadModel, cancelLoad, modelCache, deleteModel). */
export interface ModelLoader {
  /** Loads a model (downloading it the first time), replacing the one held before; progress goes to BackendContext.progress. */
  load(modelId: string, opts?: { host?: string; device?: LlamaDevice }): Promise<LoadedModelInfo>; // host: where to download from, when the page names one; device: llama.cpp's
  cancel(modelId: string): void;
  cached(modelIds: string[]): Promise<Record<string, boolean>>;
  /** Removes a model's files from the browser cache (and unloads it if it is loaded). */
  remove(modelId: string): Promise<void>;
}

/** What a backend needs before a run can read: nothing, a model loaded in the worker, or a
 *  connection the page checks (a server the person names). */
export type Needs = { kind: 'nothing' } | { kind: 'load'; loader: ModelLoader } | { kind: 'connection' };

/** Token counts by the backend's own tokenizer (an estimate where it has none), for the context budget. */
export interface TokenCounts {
  items: number[]; // per item of the model's items: separator, prompt and the longer label
  fixed: number; // what every sequence carries besides its items (start token, description)
}

/** The model one run (or labeling job) reads from: Segment.item k is dataset item indices[k]. */
export interface RunModel extends LabelModel {
  contextWindow: number | null; // tokens one sequence may hold; null where the app cannot know it
  tokenCounts(): TokenCounts;
  warnings(): string[]; // what it noticed while reading, for the run screen: one sentence each
  cancel(): void; // stops the reads in flight where it can (a pause); later reads go out normally
}

export interface Backend<K extends ModelKind = ModelKind> {
  descriptor: KindDescriptor<K>; // what the page knows of it too: its spec's checks, its prefix cache, its files
  needs: Needs;
  /** The model for `indices` of `dataset`, loading what it needs first. */
  open(spec: ModelSpecs[K], dataset: Dataset, indices: number[]): Promise<RunModel>;
  /** How many items of `dataset` fit one sequence, without loading anything (absent: no limit known). */
  poolBudget?(spec: ModelSpecs[K], dataset: Dataset): PoolBudget | null;
  /** Model files the person picks from disk (the page's addModelFile, ggufStatus); absent when it reads none. */
  localFiles?: LocalFiles;
}

export interface LocalFiles {
  /** Checks a file from disk and makes it loadable by the id returned; with `keep`, copies it into the browser. */
  add(file: File, keep: boolean): Promise<GgufFileInfo>;
  status(): Promise<GgufStatus>;
}

/** What the host gives a backend when the registry builds it. */
export interface BackendContext {
  progress(modelId: string, p: LoadProgress): void; // load progress, pushed to the page
}

export type BackendFactory = (ctx: BackendContext) => Backend;

/** The model every token is read from with no cache, no cancel and no warnings: the defaults a simple backend starts from. */
export function plainModel(model: LabelModel, tokenCounts: () => TokenCounts, extra: Partial<RunModel> = {}): RunModel {
  return { readSequence: (s) => model.readSequence(s), contextWindow: null, tokenCounts, warnings: () => [], cancel: () => undefined, ...extra };
}

/** A model read from a loaded engine, as web-llm's and llama.cpp's backends build them (cachedPrefix: one with a prefix cache). */
export interface EngineModel extends LabelModel {
  contextWindow: number | null;
  warnings(): string[];
  cancel(): void;
}

/**
 * The RunModel of a model built on a loaded engine that a later load can replace: when the
 * loader's generation has moved on (another model was loaded), the next read builds the model
 * again on the engine now held. `build` loads the engine if needed and makes the model;
 * `prefixCache` (the kind's descriptor's) says whether to ask it how much of a prompt it holds.
 */
export async function onLoadedEngine(
  loader: { generation: number },
  build: () => Promise<{ model: EngineModel; tokenCounts: () => TokenCounts }>,
  prefixCache: boolean,
): Promise<RunModel> {
  const made = async () => {
    const b = await build();
    return { ...b, generation: loader.generation }; // read after the load: it bumps the generation
  };
  let current = await made();
  return {
    readSequence: async (segments) => {
      if (current.generation !== loader.generation) current = await made();
      return current.model.readSequence(segments);
    },
    ...(prefixCache ? { cachedPrefix: (segments: Segment[]) => current.model.cachedPrefix?.(segments) ?? 0 } : {}),
    contextWindow: current.model.contextWindow,
    tokenCounts: () => current.tokenCounts(),
    warnings: () => current.model.warnings(),
    cancel: () => current.model.cancel(),
  };
}
