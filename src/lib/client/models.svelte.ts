// The language-model side of the app on the main thread: what this browser's GPU can do
// (asked once, before any download), which models the browser has cached, how much storage is
// used, and the one model load at a time with its progress. The model itself lives in the run
// worker; this class only asks it and folds the answers into state the set-up screen reads.
// web-llm is never imported here (the worker loads it when a model is loaded or listed).

import { checkCapability, type Capability, type NavigatorLike } from '../webllm/capability';
import type { LoadProgress } from '../model/progress';
import type { LlamaDevice } from '../model/params';
import type { ErrorInfo, GgufFileInfo, GgufStatus, LoadedModelInfo } from '../protocol';
import { toErrorInfo, type Client } from './client';
import { defaultModelHost } from '../gguf/catalog';
import { modelOwner, type DownloadingKind } from '../../../workers/backends/kinds';
import { Latest } from './latest';

/** The kind whose loader holds a model id (its descriptor's `model.owns`), for the worker's model-file requests. */
function backendOf(modelId: string): { backend: DownloadingKind } {
  const backend = modelOwner(modelId);
  if (!backend) throw new Error(`No model kind of this app loads "${modelId}". Pick a model from the lists.`);
  return { backend };
}

/** The slice of navigator.storage this uses (a fake in tests). */
export interface StorageLike {
  estimate(): Promise<{ usage?: number; quota?: number }>;
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
}

export interface StorageFigures {
  usage: number | null; // bytes this site stores (models included)
  quota: number | null; // bytes the browser would let it store
  persisted: boolean | null; // null: the browser cannot say
}

export type PersistAnswer = 'granted' | 'denied' | 'unsupported' | 'failed';

export type LoadState =
  | { status: 'idle' }
  | {
      status: 'loading';
      modelId: string;
      startedAt: number; // ms, the app's clock
      progress: LoadProgress | null; // null until web-llm's first report
      lastProgressAt: number; // ms
      downloaded: boolean; // a download phase was seen (a cached model skips it)
      cancelling: boolean;
    }
  | { status: 'loaded'; info: LoadedModelInfo }
  | { status: 'failed'; modelId: string; error: ErrorInfo }
  | { status: 'cancelled'; modelId: string };

/** A load the worker started on its own (a run reopened after a restart), for the run screen. */
export interface BackgroundLoad {
  modelId: string;
  progress: LoadProgress;
  downloaded: boolean; // a download phase was seen
  at: number; // ms
}

export interface ModelStateOptions {
  /** Stops a worker that does not wind a cancelled load down, and starts a fresh one. */
  restartWorker: () => void;
  storage?: StorageLike | null;
  now?: () => number; // ms
  cancelGraceMs?: number; // how long a cancelled load may take to settle before the restart
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ModelState {
  capability = $state.raw<Capability | null>(null);
  cached = $state.raw<Record<string, boolean>>({});
  cacheError = $state.raw<ErrorInfo | null>(null); // listing or deleting cached models failed
  deleting = $state<string | null>(null); // model id being deleted
  storage = $state.raw<StorageFigures | null>(null);
  persistAnswer = $state<PersistAnswer | null>(null);
  load = $state.raw<LoadState>({ status: 'idle' });
  background = $state.raw<BackgroundLoad | null>(null);
  gguf = $state.raw<GgufStatus | null>(null); // llama.cpp: threads, GGUF files kept in this browser
  files = $state.raw<GgufFileInfo[]>([]); // .gguf files picked from disk this session
  ggufHost = $state(defaultModelHost); // where llama.cpp's list downloads from (a mirror the person may name)
  fileError = $state.raw<ErrorInfo | null>(null);
  addingFile = $state(false);

  /** The model loaded in the worker, ready for runs. */
  loadedId = $derived(this.load.status === 'loaded' ? this.load.info.modelId : null);
  readonly storageSupported: boolean;

  #client: Client;
  #restartWorker: () => void;
  #storage: StorageLike | null;
  #now: () => number;
  #grace: number;
  #checking: Promise<Capability> | null = null;
  #loads = new Latest(); // only the latest load may set `load`
  #loading: () => boolean = () => false; // the ticket of the load in flight
  #pending: Promise<void> = Promise.resolve(); // the load in flight

  constructor(client: Client, opts: ModelStateOptions) {
    this.#client = client;
    this.#restartWorker = opts.restartWorker;
    this.#storage = opts.storage ?? null;
    this.storageSupported = this.#storage !== null;
    this.#now = opts.now ?? (() => Date.now());
    this.#grace = opts.cancelGraceMs ?? 8000;
  }

  /** Asks the GPU once; later calls get the same answer. */
  check(nav: NavigatorLike): Promise<Capability> {
    this.#checking ??= checkCapability(nav)
      .catch((e: unknown): Capability => ({
        verdict: 'unavailable',
        usable: false,
        webgpu: nav.gpu !== undefined,
        adapter: null,
        shaderF16: false,
        maxStorageBufferBindingSize: 0,
        maxBufferSize: 0,
        title: `Checking WebGPU failed: ${toErrorInfo(e).message}`,
        notes: [],
        fix: ['Reload the page; if it keeps happening, restart the browser.', 'Meanwhile the Simulated model runs everything without a GPU.'],
      }))
      .then((c) => (this.capability = c));
    return this.#checking;
  }

  /** Asks the worker which of these models are fully in the browser's cache. */
  async refreshCache(modelIds: string[]): Promise<void> {
    if (modelIds.length === 0) return;
    try {
      // one request per kind: web-llm's ids and llama.cpp's are cached in different places
      const byKind = new Map<DownloadingKind, string[]>();
      for (const id of modelIds) {
        const { backend } = backendOf(id);
        byKind.set(backend, [...(byKind.get(backend) ?? []), id]);
      }
      const answers = await Promise.all([...byKind].map(([backend, ids]) => this.#client.request({ kind: 'modelCache', modelIds: ids, backend })));
      const cached = answers.reduce<Record<string, boolean>>((all, a) => ({ ...all, ...a.cached }), {});
      this.cached = { ...this.cached, ...cached };
      this.cacheError = null;
    } catch (e) {
      this.cacheError = toErrorInfo(e);
    }
  }

  /** Removes a model's files from the browser's cache; false (with cacheError) when it failed. */
  async deleteModel(modelId: string): Promise<boolean> {
    this.deleting = modelId;
    try {
      await this.#client.request({ kind: 'deleteModel', modelId, ...backendOf(modelId) });
      this.cached = { ...this.cached, [modelId]: false };
      // a variant that shares its weights (the "-1k" models) is gone with it: ask again for all
      await this.refreshCache(Object.keys(this.cached));
      this.files = this.files.filter((f) => f.modelId !== modelId);
      if (this.loadedId === modelId) this.load = { status: 'idle' }; // the worker unloads it too
      if (this.gguf) void this.refreshGguf();
      this.cacheError = null;
      return true;
    } catch (e) {
      this.cacheError = toErrorInfo(e);
      return false;
    } finally {
      this.deleting = null;
      void this.refreshStorage();
    }
  }

  /** Asks the worker what the llama.cpp backend can use here and which GGUF files are kept. */
  async refreshGguf(): Promise<void> {
    try {
      this.gguf = await this.#client.request({ kind: 'ggufStatus' });
    } catch (e) {
      this.gguf = null;
      this.cacheError = toErrorInfo(e);
    }
  }

  /** Hands a .gguf file from disk to the worker, which checks it (and keeps a copy when asked);
   *  null, with fileError, when it is refused. The file is read locally, never uploaded. */
  async addFile(file: File, keep: boolean): Promise<GgufFileInfo | null> {
    this.addingFile = true;
    this.fileError = null;
    try {
      const info = await this.#client.request({ kind: 'addModelFile', file, keep, backend: 'wllama' }); // the one kind that reads a model file from disk
      this.files = [...this.files.filter((f) => f.modelId !== info.modelId), info];
      this.cached = { ...this.cached, [info.modelId]: true };
      if (keep) await this.refreshGguf();
      return info;
    } catch (e) {
      this.fileError = toErrorInfo(e);
      return null;
    } finally {
      this.addingFile = false;
      void this.refreshStorage();
    }
  }

  async refreshStorage(): Promise<void> {
    const s = this.#storage;
    if (!s) return;
    try {
      const e = await s.estimate();
      const persisted = s.persisted ? await s.persisted() : null;
      this.storage = { usage: e.usage ?? null, quota: e.quota ?? null, persisted };
    } catch {
      this.storage = { usage: null, quota: null, persisted: null };
    }
  }

  /** Asks the browser not to evict this site's storage (models included) when space runs low. */
  async persist(): Promise<void> {
    const s = this.#storage;
    if (!s?.persist) {
      this.persistAnswer = 'unsupported';
      return;
    }
    try {
      this.persistAnswer = (await s.persist()) ? 'granted' : 'denied';
    } catch {
      this.persistAnswer = 'failed';
    }
    await this.refreshStorage();
  }

  /** Downloads (or reads from the cache) and loads a model in the worker; llama.cpp's list from `ggufHost`, on `device`. */
  loadModel(modelId: string, device?: LlamaDevice): Promise<void> {
    const current = (this.#loading = this.#loads.take());
    const t = this.#now();
    this.load = { status: 'loading', modelId, startedAt: t, progress: null, lastProgressAt: t, downloaded: false, cancelling: false };
    this.#pending = this.#loadModel(modelId, current, this.ggufHost.trim() || defaultModelHost, device);
    return this.#pending;
  }

  async #loadModel(modelId: string, current: () => boolean, host: string, device?: LlamaDevice): Promise<void> {
    try {
      const { backend } = backendOf(modelId);
      // the model host is where llama.cpp's list downloads from; web-llm's models name their own
      const info = await this.#client.request({ kind: 'loadModel', modelId, backend, ...(backend === 'wllama' ? { host, ...(device ? { device } : {}) } : {}) });
      if (!current()) return;
      this.load = { status: 'loaded', info };
    } catch (e) {
      if (!current()) return;
      const cur = this.load;
      this.load = cur.status === 'loading' && cur.cancelling ? { status: 'cancelled', modelId } : { status: 'failed', modelId, error: toErrorInfo(e) };
    }
    void this.refreshCache([modelId]);
    void this.refreshStorage();
    if (this.gguf) void this.refreshGguf(); // a download was kept
  }

  /** Cancels the load in flight. A worker that does not settle it within the grace period is
   *  restarted, so Cancel always ends the load. */
  async cancelLoad(): Promise<void> {
    const cur = this.load;
    if (cur.status !== 'loading' || cur.cancelling) return;
    const current = this.#loading;
    this.load = { ...cur, cancelling: true };
    this.#client.request({ kind: 'cancelLoad', modelId: cur.modelId, ...backendOf(cur.modelId) }).catch(() => undefined);
    const settled = await Promise.race([this.#pending.then(() => true), sleep(this.#grace).then(() => false)]);
    if (settled || !current()) return;
    this.#loads.drop();
    this.load = { status: 'cancelled', modelId: cur.modelId };
    this.#restartWorker();
  }

  /** A loadProgress event from the worker. */
  onProgress(modelId: string, progress: LoadProgress): void {
    const cur = this.load;
    const t = this.#now();
    if (cur.status === 'loading' && cur.modelId === modelId) {
      this.load = { ...cur, progress, lastProgressAt: t, downloaded: cur.downloaded || progress.phase === 'download' };
    } else {
      const prev = this.background;
      const downloaded = (prev?.modelId === modelId && prev.downloaded) || progress.phase === 'download';
      this.background = progress.phase === 'done' ? null : { modelId, progress, downloaded, at: t };
    }
  }

  /** The worker is gone (crash or restart): whatever it had loaded is gone with it. */
  onWorkerLost(error: ErrorInfo | null): void {
    const cur = this.load;
    this.background = null;
    if (cur.status === 'loaded') this.load = { status: 'idle' };
    else if (cur.status === 'loading') {
      this.#loads.drop();
      this.load = cur.cancelling
        ? { status: 'cancelled', modelId: cur.modelId }
        : { status: 'failed', modelId: cur.modelId, error: error ?? { name: 'AbortError', message: 'The run worker was restarted during the load.' } };
    }
  }
}

/** How far the whole load is, 0–1, for one progress bar: the download (when there is one)
 *  dominates; copying to the GPU and compiling the kernels share the rest. */
export function overallFraction(p: LoadProgress | null, downloaded: boolean): number {
  if (!p) return 0;
  const weights = downloaded ? { download: 0.85, gpu: 0.1, shaders: 0.05 } : { download: 0, gpu: 0.6, shaders: 0.4 };
  switch (p.phase) {
    case 'starting':
      return 0;
    case 'download':
      return weights.download * p.fraction;
    case 'gpu':
      return weights.download + weights.gpu * p.fraction;
    case 'shaders':
      return weights.download + weights.gpu + weights.shaders * p.fraction;
    case 'done':
      return 1;
  }
}
