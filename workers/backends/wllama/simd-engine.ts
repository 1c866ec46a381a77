// llama.cpp built by this repo with ggml's WebAssembly SIMD kernels (scripts/build-llama-wasm.sh),
// behind the same WllamaEngine the reader uses for wllama's build. wllama 2.4.0's published wasm
// lacks those kernels (Emscripten's CMake toolchain reports the processor as "x86", so ggml's
// CMake never selects its wasm sources) and uses 64-bit memory; this build has both fixed, runs on
// one thread, and reads the model file through Emscripten's WORKERFS (FileReaderSync, in the worker)
// straight into the wasm heap. The build is optional and git-ignored: where it is absent,
// simdBuild() is null and the backend uses wllama's.

import { yieldToEvents } from '../../yield';
import { EngineLoadError, NativeLog, type LoadedEngine, type WllamaEngine } from './engine';

/** The module Emscripten generates from scripts/llama-wasm/icm-llama.c (the parts used here). */
interface IcmModule {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  HEAPF32: Float32Array;
  FS: {
    mkdir(path: string): void;
    mount(type: unknown, opts: { blobs: { name: string; data: Blob }[] }, path: string): void;
    unmount(path: string): void;
    rmdir(path: string): void;
    filesystems: { WORKERFS: unknown };
  };
  _malloc(n: number): number;
  _free(p: number): void;
  _icm_load(path: number, nCtx: number, nBatch: number, threads: number, flash: number, kvF32: number): number;
  _icm_free(): void;
  _icm_n_ctx(): number;
  _icm_n_ctx_train(): number;
  _icm_n_vocab(): number;
  _icm_bos(): number;
  _icm_tokenize(text: number, len: number, out: number, max: number): number;
  _icm_decode(tokens: number, n: number): number;
  _icm_probs(): number;
  _icm_kv_remove(p: number): number;
  _icm_kv_clear(): void;
}

type Factory = (opts: { locateFile: (path: string) => string }) => Promise<IcmModule>;

// Present only once scripts/build-llama-wasm.sh has run (the glob is empty otherwise).
const glue = import.meta.glob<Factory>('./build/icm-llama.mjs', { import: 'default' });
const wasmUrl = import.meta.glob<string>('./build/icm-llama.wasm', { query: '?url', import: 'default', eager: true });

/** The SIMD build's loader, or null where it has not been built. */
export function simdBuild(): (() => Promise<Factory>) | null {
  const load = glue['./build/icm-llama.mjs'];
  return load ?? null;
}

const utf8 = new TextEncoder();

class SimdEngine implements WllamaEngine {
  private nPast = 0;
  private ready = false; // logits of the last decode are there

  constructor(
    private readonly m: IcmModule,
    private readonly mount: string,
  ) {}

  private withBytes<T>(bytes: Uint8Array, f: (ptr: number) => T): T {
    const p = this.m._malloc(Math.max(1, bytes.length));
    try {
      this.m.HEAPU8.set(bytes, p);
      return f(p);
    } finally {
      this.m._free(p);
    }
  }

  async tokenize(text: string): Promise<number[]> {
    const bytes = utf8.encode(text);
    return this.withBytes(bytes, (tp) => {
      let max = bytes.length + 16;
      for (;;) {
        const out = this.m._malloc(4 * max);
        try {
          const n = this.m._icm_tokenize(tp, bytes.length, out, max);
          if (n >= 0) return Array.from(this.m.HEAP32.subarray(out >> 2, (out >> 2) + n));
          max = -n;
        } finally {
          this.m._free(out);
        }
      }
    });
  }

  async decode(tokens: number[]): Promise<{ nPast: number }> {
    if (tokens.length === 0) return { nPast: this.nPast };
    // This build computes in the run worker's own thread, synchronously: a task boundary before each
    // decode lets the worker read its messages (a pause) between read points, as wllama's worker does.
    await yieldToEvents();
    const status = this.withBytes(new Uint8Array(Int32Array.from(tokens).buffer), (p) => this.m._icm_decode(p, tokens.length));
    if (status !== 0) {
      this.ready = false;
      throw new Error(status === 1 ? 'llama.cpp found no room in its KV cache (the context is full).' : `llama.cpp could not decode (status ${status}).`);
    }
    this.nPast += tokens.length;
    this.ready = true;
    return { nPast: this.nPast };
  }

  async getLogits(topK = 40): Promise<{ token: number; p: number }[]> {
    if (!this.ready) throw new Error('No logits: nothing was decoded since the cache changed.');
    const ptr = this.m._icm_probs();
    const n = this.m._icm_n_vocab();
    const probs = this.m.HEAPF32.subarray(ptr >> 2, (ptr >> 2) + n);
    if (topK < 0 || topK >= n) return Array.from(probs, (p, token) => ({ token, p })).sort((a, b) => b.p - a.p);
    // the K largest in one pass: a small list kept sorted, entered only by what beats its last
    const top: { token: number; p: number }[] = [];
    for (let token = 0; token < n; token++) {
      const p = probs[token];
      if (top.length === topK && p <= top[topK - 1].p) continue;
      let i = top.length;
      while (i > 0 && top[i - 1].p < p) i--;
      top.splice(i, 0, { token, p });
      if (top.length > topK) top.pop();
    }
    return top;
  }

  async kvRemove(nKeep: number, nDiscard: number): Promise<void> {
    if (nDiscard !== -1) throw new Error('Only the tail of the KV cache can be removed.');
    this.ready = false;
    if (this.m._icm_kv_remove(nKeep) !== 1) throw new Error('llama.cpp could not remove part of its KV cache.');
    this.nPast = nKeep;
  }

  async kvClear(): Promise<void> {
    this.m._icm_kv_clear();
    this.nPast = 0;
    this.ready = false;
  }

  async exit(): Promise<void> {
    this.m._icm_free();
    try {
      this.m.FS.unmount(this.mount);
      this.m.FS.rmdir(this.mount);
    } catch {
      // already gone
    }
  }
}

let loads = 0;

/** Loads a GGUF blob into the SIMD build with the reader's settings (no flash attention, f32 KV). */
export async function loadSimdEngine(load: () => Promise<Factory>, blob: Blob, nCtx: number, batch: number, opts: { attention?: 'reader' | 'wllama' } = {}): Promise<LoadedEngine> {
  const factory = await load();
  const url = wasmUrl['./build/icm-llama.wasm'];
  const m = await factory({ locateFile: (path) => (path.endsWith('.wasm') && url ? url : path) });
  const mount = `/model${++loads}`;
  m.FS.mkdir(mount);
  m.FS.mount(m.FS.filesystems.WORKERFS, { blobs: [{ name: 'model.gguf', data: blob }] }, mount);
  const engine = new SimdEngine(m, mount);
  const fast = (opts.attention ?? 'reader') === 'reader';
  const path = utf8.encode(`${mount}/model.gguf\0`);
  const p = m._malloc(path.length);
  m.HEAPU8.set(path, p);
  // llama.cpp reports why a load fails on its error log, which this build writes with console.error
  // during the (synchronous) call: keep it for the error, rather than in the console
  const log = new NativeLog();
  const consoleError = console.error;
  console.error = log.add;
  let status: number;
  try {
    status = m._icm_load(p, nCtx, batch, 1, fast ? 0 : 1, fast ? 1 : 0);
  } finally {
    console.error = consoleError;
    m._free(p);
  }
  if (status !== 0) {
    await engine.exit();
    const said = log.lastError();
    throw new EngineLoadError(said ?? (status === 1 ? 'llama.cpp could not read the model file' : 'llama.cpp could not make a context of that size (out of memory?)'), said !== null);
  }
  const bos = m._icm_bos();
  return {
    engine,
    threads: 1,
    multiThread: false,
    contextWindow: m._icm_n_ctx(),
    batch,
    trainContext: m._icm_n_ctx_train(),
    bos: bos >= 0 ? bos : null,
    vocabSize: m._icm_n_vocab(),
  };
}
