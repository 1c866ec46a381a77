// The GGUF models of the llama.cpp backend in the run worker: where a model's file comes from (a
// file picked from disk this session, a file kept in the origin-private file system, or the model
// host for a model of the built-in list), checking its header, and the one engine held at a time.
// A file is kept in this browser only once llama.cpp has loaded it: a download stays "<id>.part"
// until then, a file picked from disk is copied in after, and a file that fails its checks or the
// load is removed (or never stored), and the error says so.

import type { DataItem, TaskKind } from '../../../src/lib/data/types';
import type { LlamaDevice } from '../../../src/lib/model/params';
import type { LoadProgress } from '../../../src/lib/model/progress';
import { allocatedContext, defaultModelHost, ggufModels, modelUrl } from '../../../src/lib/gguf/catalog';
import { candidates, candidatesKey, choiceText, fastest, PROBE_TEXT, type EngineChoice } from './calibrate';
import { BATCH, crossOriginIsolated, defaultThreads, EngineLoadError, loadEngine, type LoadedEngine } from './engine';
import { GgufError, readGgufHeader, type GgufHeader } from './gguf';
import { gpuSupport, loadGpuEngine, type GpuSupport } from './gpu-engine';
import { createGpuModel, type GpuLabelModel } from './gpu-reader';
import { createWllamaModel, type WllamaLabelModel } from './reader';
import { loadSimdEngine, simdBuild } from './simd-engine';
import { downloadModel, keepFile, keepJson, keepPart, keptJson, keptModel, keptModels, removeModel, StorageError } from './storage';

export interface WllamaDeps {
  host?: string; // model host of the built-in list (tests: a local stand-in)
  threads?: number; // wllama's build on this many threads, no calibration
  gpuSupport?: () => Promise<GpuSupport>; // what llama.cpp's WebGPU backend finds here (tests: none)
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
  build: Build; // the build family it was loaded on
  device: string; // where it computes, for the page: "GPU (WebGPU)", "CPU, 1 thread (SIMD build)", …
  contextWindow: number;
  trainContext: number;
  warnings: string[]; // about the file: a download of another size than the list says, a copy that could not be kept
  /** The label model for a pool (Segment.item indexes `items`). */
  model(kind: TaskKind, items: DataItem[], description?: string): Promise<WllamaLabelModel | GpuLabelModel>;
  exit(): Promise<void>;
}

/** The build families: llama.cpp's WebGPU build (gpu-engine.ts), or the CPU builds (engine.ts, simd-engine.ts). */
type Build = 'webgpu' | 'cpu';

/** An engine loaded, of either family. */
type Loaded = Pick<LoadedWllama, 'device' | 'contextWindow' | 'trainContext' | 'model' | 'exit'>;

/** Where a CPU build computes, e.g. "CPU, 1 thread (SIMD build)". */
const deviceText = (choice: EngineChoice): string =>
  `CPU, ${choiceText(choice)}${choice.threads === 1 && choice.build === 'wllama' && !crossOriginIsolated() ? ' (the page is not cross-origin isolated)' : ''}`;

/** Where a model's file came from, which decides what becomes of it once llama.cpp has tried it. */
type Source =
  | { from: 'picked'; blob: File; name: string; keep: boolean } // from disk this session; copied into the browser once it loads, when `keep`
  | { from: 'kept'; blob: File; name: string } // kept in this browser before
  | { from: 'download'; blob: File; name: string; host: string; listed: number }; // downloaded just now into "<id>.part"; `listed`: the list's size

// llama.cpp's words for running out of memory: the file is not to blame then
const OUT_OF_MEMORY = /out of memory|\bOOM\b|allocate/i;

/** What llama.cpp's failure to load a file that passed every check of its header means, and what to do. */
function engineRefusal(h: GgufHeader, cause: 'memory' | 'file' | 'unknown'): string {
  if (cause === 'memory') return 'The page ran out of memory while loading it: close other tabs, or pick a smaller model.';
  const tensors = h.tensorCount === 1 ? 'the one tensor its header lists' : `all ${h.tensorCount.toLocaleString('en-US')} tensors its header lists`;
  const whole = h.dataEnd !== null ? `The file is whole (the data of ${tensors} is there)` : 'The file passed the checks the app makes';
  const types =
    h.unknownTypes.length > 0
      ? ` It holds tensors of ggml type${h.unknownTypes.length === 1 ? '' : 's'} ${h.unknownTypes.join(', ')}, which this app does not know and this build of llama.cpp may not either.`
      : '';
  if (cause === 'file') return `${whole}, so it is the model in it that llama.cpp refuses: pick another model, or another build of this one.${types}`;
  return `${whole}, and llama.cpp said no more: this build may not support the model, or memory ran short. Close other tabs and retry, or pick another model.${types}`;
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
  private loading: { modelId: string; build: Build; promise: Promise<LoadedWllama>; abort: AbortController } | null = null;
  private support: Promise<GpuSupport> | null = null;
  private session = new Map<string, { file: File; keep: boolean }>(); // files picked from disk; `keep`: copy it in once it loads
  generation = 0; // bumped by every load: models built before it read from an engine that is gone
  host: string; // where the built-in list's files are downloaded from

  constructor(
    private readonly onProgress: (modelId: string, p: LoadProgress) => void,
    private readonly deps: WllamaDeps = {},
  ) {
    this.host = deps.host ?? defaultModelHost;
  }

  private now = () => (this.deps.now ?? (() => performance.now()))();

  /** Checks a file picked from disk (its header, and that it is whole) and makes it loadable by id;
   *  with `keep`, it is copied into storage once llama.cpp has loaded it. */
  async addFile(file: File, keep: boolean): Promise<AddedFile> {
    const header = await readGgufHeader(file);
    const modelId = fileModelId(file);
    this.session.set(modelId, { file, keep });
    return { modelId, name: file.name, bytes: file.size, kept: false, header };
  }

  /** What llama.cpp's WebGPU backend finds in this browser, asked once. */
  gpuSupport(): Promise<GpuSupport> {
    return (this.support ??= (this.deps.gpuSupport ?? gpuSupport)());
  }

  /** The build a device choice means here: Automatic is the WebGPU build only where it computes on the GPU. */
  private async buildFor(device: LlamaDevice): Promise<{ build: Build; gpu: GpuSupport | null }> {
    if (device === 'cpu') return { build: 'cpu', gpu: null };
    const gpu = await this.gpuSupport();
    if (device === 'gpu' && !gpu.runs) throw new Error(`llama.cpp's WebGPU build cannot run in this browser: ${gpu.why} Choose Automatic or CPU.`);
    return { build: gpu.gpu || device === 'gpu' ? 'webgpu' : 'cpu', gpu };
  }

  async load(modelId: string, device: LlamaDevice = 'auto'): Promise<LoadedWllama> {
    const { build, gpu } = await this.buildFor(device);
    if (this.loaded?.modelId === modelId && this.loaded.build === build) return this.loaded;
    if (this.loading?.modelId === modelId && this.loading.build === build) return this.loading.promise;
    this.loading?.abort.abort();
    await this.unload();
    const abort = new AbortController();
    const entry = { modelId, build, promise: this.open(modelId, build, gpu, abort.signal), abort };
    this.loading = entry;
    try {
      const loaded = await entry.promise;
      if (this.loading !== entry) {
        await loaded.exit().catch(() => undefined); // replaced while loading
        throw new StorageError('AbortError', 'The load was replaced by another one.');
      }
      this.loaded = loaded;
      this.generation++;
      return loaded;
    } finally {
      if (this.loading === entry) this.loading = null;
    }
  }

  private async source(modelId: string, signal: AbortSignal, t0: number): Promise<Source> {
    const picked = this.session.get(modelId);
    if (picked) return { from: 'picked', blob: picked.file, name: picked.file.name, keep: picked.keep };
    const entry = ggufModels.find((m) => m.id === modelId);
    const kept = await keptModel(modelId).catch(() => null);
    if (kept) return { from: 'kept', blob: kept, name: entry?.name ?? kept.name };
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
    return { from: 'download', blob, name: entry.name, host: new URL(url).host, listed: entry.bytes };
  }

  /** A file that failed its checks or the load: what was stored of it is removed, and the message
   *  says what became of it. A file kept before stays unless the fault is the file's (its header, its
   *  size, or llama.cpp refusing its content): it loaded here once, and memory or a worker fail too. */
  private async refused(modelId: string, source: Source, message: string, fileAtFault: boolean): Promise<string> {
    switch (source.from) {
      case 'picked':
        return source.keep ? `${message} It was not copied into this browser.` : message;
      case 'download':
        await removeModel(modelId).catch(() => undefined);
        return `${message} The download was not kept.`;
      case 'kept':
        if (!fileAtFault) return `${message} The copy kept in this browser stays: the fault is not the file's.`;
        await removeModel(modelId).catch(() => undefined);
        return `${message} The copy kept in this browser was removed.`;
    }
  }

  /** The file loaded: a download or a file to keep is kept now; why not, when that fails. */
  private async keepLoaded(modelId: string, source: Source): Promise<string[]> {
    try {
      if (source.from === 'download') await keepPart(modelId);
      else if (source.from === 'picked' && source.keep) await keepFile(modelId, source.blob);
      return [];
    } catch (e) {
      return [`${source.name} is loaded but could not be kept in this browser (${e instanceof Error ? e.message : String(e)}); it will be ${source.from === 'download' ? 'downloaded' : 'asked for'} again after a reload.`];
    }
  }

  private async open(modelId: string, build: Build, gpu: GpuSupport | null, signal: AbortSignal): Promise<LoadedWllama> {
    const t0 = this.now();
    this.onProgress(modelId, progressOf('starting', t0, t0, 'Opening the model file'));
    const source = await this.source(modelId, signal, t0);
    const { blob, name } = source;
    const cancelled = async () => {
      if (source.from === 'download') await removeModel(modelId).catch(() => undefined); // a download is kept only once it loads
      return new StorageError('AbortError', 'The load was cancelled.');
    };
    let header: GgufHeader;
    try {
      header = await readGgufHeader(blob, name); // a file cut short is refused here, before llama.cpp
    } catch (e) {
      if (e instanceof GgufError) throw new GgufError(e.code, await this.refused(modelId, source, e.message, true));
      throw e;
    }
    if (signal.aborted) throw await cancelled();
    this.onProgress(modelId, progressOf('gpu', t0, this.now(), `Reading ${name} into memory (${header.architecture}, ${build === 'webgpu' ? 'WebGPU build' : 'CPU'})`, { fraction: 0.5 }));
    let loaded: Loaded;
    try {
      loaded = build === 'webgpu' && gpu
        ? await this.gpuEngine(blob, header, name, gpu)
        : await this.cpuEngine(modelId, blob, header, name, (cs) =>
            this.onProgress(modelId, progressOf('gpu', t0, this.now(), `First load of ${name} here: measuring which engine reads it fastest (${cs.map(choiceText).join(' or ')})`, { fraction: 0.5 })),
          );
    } catch (e) {
      const why = (e instanceof Error ? e.message : String(e)).replace(/\.\s*$/, '');
      const memory = OUT_OF_MEMORY.test(why);
      const cause = memory ? 'memory' : e instanceof EngineLoadError && e.llamaSaid ? 'file' : 'unknown';
      const gpuHint = build === 'webgpu' ? ' It was loading on the WebGPU build: choose CPU under Run on to load it on the CPU instead.' : '';
      throw new Error(await this.refused(modelId, source, `llama.cpp could not load ${name} (architecture "${header.architecture}"): ${why}. ${engineRefusal(header, cause)}${gpuHint}`, cause === 'file' && build === 'cpu')); // what the WebGPU build refuses may still load on the CPU: the copy stays
    }
    if (signal.aborted) {
      await loaded.exit().catch(() => undefined);
      throw await cancelled();
    }
    const warnings = await this.keepLoaded(modelId, source);
    if (source.from === 'download' && Math.abs(blob.size - source.listed) > 0.1 * source.listed)
      warnings.push(`${source.host} sent ${Math.round(blob.size / 1e6)} MB for ${name}, where the list says about ${Math.round(source.listed / 1e6)} MB: it may be another build of the model than the list describes.`);
    this.onProgress(modelId, progressOf('done', t0, this.now(), `Loaded ${name}`, { fraction: 1 }));
    return { modelId, name, header, build, warnings, ...loaded };
  }

  /** The WebGPU build; on the GPU where llama.cpp finds one it can use, else (asked for) on the CPU, saying why. */
  private async gpuEngine(blob: Blob, header: GgufHeader, name: string, gpu: GpuSupport): Promise<Loaded> {
    const g = await loadGpuEngine(blob, { trainContext: header.contextLength, kvBytesPerToken: header.kvBytesPerToken });
    return {
      device: g.onGpu ? 'GPU (WebGPU)' : `CPU, through the WebGPU build: ${gpu.gpu ? 'llama.cpp put no layer on the GPU.' : gpu.why}`,
      contextWindow: g.contextWindow,
      trainContext: g.trainContext,
      model: async (kind, items, description) => createGpuModel(g.engine, kind, items, { contextWindow: g.contextWindow, description, modelName: name }),
      exit: () => g.engine.exit(),
    };
  }

  /** A CPU build: the one measured fastest here (kept per model), measured on its first load. */
  private async cpuEngine(modelId: string, blob: Blob, header: GgufHeader, name: string, measuring: (cs: EngineChoice[]) => void): Promise<Loaded> {
    const { loaded, choice } = await this.measured(modelId, blob, header, measuring);
    return {
      device: deviceText(choice),
      contextWindow: loaded.contextWindow,
      trainContext: loaded.trainContext,
      model: (kind, items, description) => createWllamaModel(loaded.engine, kind, items, { contextWindow: loaded.contextWindow, bos: loaded.bos, batch: loaded.batch, description, modelName: name }),
      exit: () => loaded.engine.exit(),
    };
  }

  private async measured(modelId: string, blob: Blob, header: GgufHeader, measuring: (cs: EngineChoice[]) => void): Promise<{ loaded: LoadedEngine; choice: EngineChoice }> {
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
    measuring(cs);
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
    if (old) await old.exit().catch(() => undefined);
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
