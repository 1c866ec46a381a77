// The GGUF models of the llama.cpp backend in the run worker: where a model's file comes from (a
// file picked from disk this session, a file kept in the origin-private file system, or the model
// host for a model of the built-in list), checking its header, and the one engine held at a time.

import type { DataItem, TaskKind } from '../../../src/lib/data/types';
import type { LoadProgress } from '../../../src/lib/model/progress';
import { allocatedContext, defaultModelHost, ggufModels, modelUrl } from '../../../src/lib/gguf/catalog';
import { candidates, candidatesKey, fastest, PROBE_TEXT, type EngineChoice } from './calibrate';
import { BATCH, defaultThreads, loadEngine, type LoadedEngine } from './engine';
import { checkRunnable, GgufError, readGgufHeader, type GgufHeader } from './gguf';
import { createWllamaModel, type WllamaLabelModel } from './reader';
import { loadSimdEngine, simdBuild } from './simd-engine';
import { downloadModel, keepFile, keepJson, keptJson, keptModel, keptModels, removeModel, StorageError } from './storage';

export interface WllamaDeps {
  host?: string; // model host of the built-in list (tests: a local stand-in)
  threads?: number; // wllama's build on this many threads, no calibration
  now?: () => number;
}

/** What the page learns about a model file it added. */
export interface AddedFile {
  modelId: string;
  name: string; // file name
  bytes: number;
  kept: boolean;
  header: GgufHeader;
}

export interface LoadedWllama {
  modelId: string;
  name: string;
  header: GgufHeader;
  loaded: LoadedEngine;
  choice: EngineChoice; // which build and threads read (calibrate.ts)
  /** The label model for a pool (Segment.item indexes `items`). */
  model(kind: TaskKind, items: DataItem[], description?: string): Promise<WllamaLabelModel>;
}

/** The id of a file picked from disk: its name and size, so the same file gets the same id after a reload. */
export function fileModelId(file: { name: string; size: number }): string {
  const slug = file.name.replace(/\.gguf$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80);
  return `file-${slug}-${file.size}`;
}

const progressOf = (phase: LoadProgress['phase'], t0: number, now: number, text: string, p: Partial<LoadProgress> = {}): LoadProgress => ({
  phase,
  fraction: 0,
  shard: null,
  shards: null,
  bytesDone: null,
  bytesTotal: null,
  bytesPerSecond: null,
  bytesReceived: 0,
  elapsedS: (now - t0) / 1000,
  text,
  ...p,
});

export class WllamaLoader {
  private loaded: LoadedWllama | null = null;
  private loading: { modelId: string; promise: Promise<LoadedWllama>; abort: AbortController } | null = null;
  private session = new Map<string, File>(); // files picked from disk and not kept
  generation = 0; // bumped by every load: models built before it read from an engine that is gone
  host: string; // where the built-in list's files are downloaded from

  constructor(
    private readonly onProgress: (modelId: string, p: LoadProgress) => void,
    private readonly deps: WllamaDeps = {},
  ) {
    this.host = deps.host ?? defaultModelHost;
  }

  private now = () => (this.deps.now ?? (() => performance.now()))();

  /** Checks a file picked from disk and makes it loadable by id; with `keep`, copies it into storage. */
  async addFile(file: File, keep: boolean): Promise<AddedFile> {
    const header = await readGgufHeader(file);
    const modelId = fileModelId(file);
    if (keep) await keepFile(modelId, file);
    else this.session.set(modelId, file);
    return { modelId, name: file.name, bytes: file.size, kept: keep, header };
  }

  async load(modelId: string): Promise<LoadedWllama> {
    if (this.loaded?.modelId === modelId) return this.loaded;
    if (this.loading?.modelId === modelId) return this.loading.promise;
    this.loading?.abort.abort();
    await this.unload();
    const abort = new AbortController();
    const entry = { modelId, promise: this.open(modelId, abort.signal), abort };
    this.loading = entry;
    try {
      const loaded = await entry.promise;
      if (this.loading !== entry) {
        await loaded.loaded.engine.exit().catch(() => undefined); // replaced while loading
        throw new StorageError('AbortError', 'The load was replaced by another one.');
      }
      this.loaded = loaded;
      this.generation++;
      return loaded;
    } finally {
      if (this.loading === entry) this.loading = null;
    }
  }

  private async file(modelId: string, signal: AbortSignal, t0: number): Promise<{ blob: File; name: string }> {
    const picked = this.session.get(modelId);
    if (picked) return { blob: picked, name: picked.name };
    const entry = ggufModels.find((m) => m.id === modelId);
    const kept = await keptModel(modelId).catch(() => null);
    if (kept) return { blob: kept, name: entry?.name ?? kept.name };
    if (!entry)
      throw new StorageError(
        'Unavailable',
        modelId.startsWith('file-')
          ? 'This model was a file picked from disk and not kept in the browser. Pick the same .gguf file again (tick "Keep it in this browser" to skip this next time).'
          : `"${modelId}" is not a model this app knows.`,
      );
    const url = modelUrl(entry, this.host);
    this.onProgress(modelId, progressOf('download', t0, this.now(), `Downloading ${entry.file}`));
    const blob = await downloadModel(
      modelId,
      url,
      (p) =>
        this.onProgress(
          modelId,
          progressOf('download', t0, this.now(), `Downloading ${entry.file}`, {
            fraction: p.total > 0 ? p.loaded / p.total : 0,
            bytesDone: p.loaded,
            bytesReceived: p.loaded,
            bytesTotal: p.total || entry.bytes,
            bytesPerSecond: p.bytesPerSecond,
          }),
        ),
      signal,
      this.now,
    );
    return { blob, name: entry.name };
  }

  private async open(modelId: string, signal: AbortSignal): Promise<LoadedWllama> {
    const t0 = this.now();
    this.onProgress(modelId, progressOf('starting', t0, t0, 'Opening the model file'));
    const { blob, name } = await this.file(modelId, signal, t0);
    let header: GgufHeader;
    try {
      header = await readGgufHeader(blob, name);
    } catch (e) {
      if (e instanceof GgufError && !this.session.has(modelId)) await removeModel(modelId); // a bad download is not kept
      throw e;
    }
    checkRunnable(header, blob.size, name);
    if (signal.aborted) throw new StorageError('AbortError', 'The load was cancelled.');
    this.onProgress(modelId, progressOf('gpu', t0, this.now(), `Reading ${name} into memory (${header.architecture}, CPU)`, { fraction: 0.5 }));
    let loaded: LoadedEngine;
    let choice: EngineChoice;
    try {
      ({ loaded, choice } = await this.engine(modelId, blob, header));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(`llama.cpp could not load ${name} (architecture "${header.architecture}"): ${why}. This build of llama.cpp may not know that architecture; pick another model.`);
    }
    if (signal.aborted) {
      await loaded.engine.exit().catch(() => undefined);
      throw new StorageError('AbortError', 'The load was cancelled.');
    }
    this.onProgress(modelId, progressOf('done', t0, this.now(), `Loaded ${name}`, { fraction: 1 }));
    return {
      modelId,
      name,
      header,
      loaded,
      choice,
      model: (kind, items, description) =>
        createWllamaModel(loaded.engine, kind, items, { contextWindow: loaded.contextWindow, bos: loaded.bos, batch: loaded.batch, description, modelName: name }),
    };
  }

  /** The engine for a model: the one measured fastest here (kept per model), measured on its first load. */
  private async engine(modelId: string, blob: Blob, header: GgufHeader): Promise<{ loaded: LoadedEngine; choice: EngineChoice }> {
    const simd = simdBuild();
    const load = (c: EngineChoice) =>
      c.build === 'simd' && simd
        ? loadSimdEngine(simd, blob, allocatedContext(header.contextLength, header.kvBytesPerToken), BATCH)
        : loadEngine(blob, { threads: c.threads, trainContext: header.contextLength, kvBytesPerToken: header.kvBytesPerToken });
    const fixed: EngineChoice | null = this.deps.threads ? { build: 'wllama', threads: this.deps.threads } : null;
    const cs = fixed ? [fixed] : candidates(simd !== null, defaultThreads());
    if (cs.length === 1) return { choice: cs[0], loaded: await load(cs[0]) };
    const key = candidatesKey(cs);
    const kept = await keptJson(modelId);
    const keptChoice = kept && typeof kept === 'object' && Reflect.get(kept, 'candidates') === key ? cs.find((c) => candidatesKey([c]) === Reflect.get(kept, 'choice')) : undefined;
    if (keptChoice) return { choice: keptChoice, loaded: await load(keptChoice) };
    const r = await fastest(cs, load, PROBE_TEXT, this.now);
    await keepJson(modelId, { candidates: key, choice: candidatesKey([r.choice]), seconds: r.seconds }).catch(() => undefined); // no storage: measured again next time
    return r;
  }

  cancel(modelId: string): void {
    if (this.loading?.modelId === modelId) {
      this.loading.abort.abort();
      this.loading = null;
    }
  }

  async unload(): Promise<void> {
    const old = this.loaded;
    this.loaded = null;
    if (old) await old.loaded.engine.exit().catch(() => undefined);
  }

  async cached(modelIds: string[]): Promise<Record<string, boolean>> {
    const kept = await keptModels().catch(() => ({}) as Record<string, number>);
    return Object.fromEntries(modelIds.map((id) => [id, id in kept || this.session.has(id)]));
  }

  /** Every kept model with its size, for the storage line. */
  kept(): Promise<Record<string, number>> {
    return keptModels();
  }

  async remove(modelId: string): Promise<void> {
    this.cancel(modelId);
    if (this.loaded?.modelId === modelId) await this.unload();
    this.session.delete(modelId);
    await removeModel(modelId);
  }
}
