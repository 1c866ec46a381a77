// llama.cpp on the GPU: wllama 3's build (npm alias `wllama3`), which has llama.cpp's WebGPU backend
// and offloads every layer to the GPU when that backend finds one it can use. Its API is
// llama-server's request loop, not llama.cpp's primitives (no tokenize, decode or logits): a read
// is one text completion of one token with the top-k log-probabilities, answered in llama-server's
// own JSON (src/lib/server/response.ts reads it), and the server's prompt cache keeps the prefix a
// prompt shares with the last one. gpu-reader.ts reads labels through it.
//
// When it can run here (gpuSupport): the build needs JSPI and 64-bit memory (Chrome/Edge 137+;
// without them wllama would fetch its "compat" build from a CDN, which this app never does), and
// llama.cpp's WebGPU backend only takes an adapter with shader-f16: on one without it, it registers
// no GPU and the same build runs on the CPU, slower than the CPU builds of engine.ts. Headless
// Chromium's software adapter (SwiftShader) is one of those, so on these test machines the build is
// tested for its reads on the CPU, never on a GPU.

import { Wllama } from 'wllama3';
import wasmUrl from 'wllama3/esm/wasm/wllama.wasm?url';
import { allocatedContext } from '../../../src/lib/gguf/catalog';
import type { CompletionBody } from '../../../src/lib/server/request';
import { EngineLoadError, NativeLog } from './engine';

/** Why llama.cpp's WebGPU backend can or cannot use this browser's GPU; `gpu`: it can. */
export interface GpuSupport {
  gpu: boolean;
  runs: boolean; // the WebGPU build runs at all here (on the CPU where `gpu` is false)
  why: string; // one sentence a person can read
}

interface AdapterLike {
  features: { has(name: string): boolean };
  info?: { isFallbackAdapter?: boolean; vendor?: string; description?: string };
}
interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

function mem64(): boolean {
  try {
    new WebAssembly.Memory({ address: 'i64', initial: 1n } as unknown as WebAssembly.MemoryDescriptor);
    return true;
  } catch {
    return false;
  }
}

/** What llama.cpp's WebGPU backend will find here, asked the way it asks (an adapter; shader-f16). */
export async function gpuSupport(env: { gpu?: GpuLike; jspi?: boolean; mem64?: boolean } = {}): Promise<GpuSupport> {
  const jspi = env.jspi ?? 'Suspending' in WebAssembly;
  const runs = jspi && (env.mem64 ?? mem64());
  if (!runs) return { gpu: false, runs, why: 'This browser lacks WebAssembly JSPI or 64-bit memory, which llama.cpp\'s WebGPU build needs (Chrome or Edge 137 or newer).' };
  const gpu = env.gpu ?? (Reflect.get(globalThis.navigator ?? {}, 'gpu') as GpuLike | undefined);
  if (!gpu) return { gpu: false, runs, why: 'This browser has no WebGPU.' };
  let adapter: AdapterLike | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch {
    adapter = null;
  }
  if (!adapter) return { gpu: false, runs, why: 'WebGPU found no GPU.' };
  if (!adapter.features.has('shader-f16'))
    return {
      gpu: false,
      runs,
      why: `The GPU${adapter.info?.isFallbackAdapter ? ' (a software one)' : ''} lacks shader-f16, which llama.cpp's WebGPU backend requires.`,
    };
  return { gpu: true, runs, why: 'llama.cpp\'s WebGPU backend can use this GPU (it has shader-f16).' };
}

/** What the GPU reader calls; wllama 3's Wllama satisfies it (a request is a server's completion body). */
export interface CompletionEngine {
  createCompletion(req: CompletionBody): Promise<unknown>;
  exit(): Promise<void>;
}

export interface LoadedGpuEngine {
  engine: CompletionEngine;
  onGpu: boolean; // llama.cpp put the model's layers on the GPU (its log says where the weights went)
  contextWindow: number;
  trainContext: number;
}

// llama.cpp's log line for where the weights went: "load_tensors: WebGPU model buffer size = …"
// (or "offloaded 31/31 layers to GPU"); on the CPU only "CPU model buffer size" appears.
const ON_GPU = /offloaded [1-9]\d*\/\d+ layers to GPU|WebGPU\S* model buffer size/i;

/** Loads a GGUF blob into wllama 3's build, every layer on the GPU where llama.cpp finds one. */
export async function loadGpuEngine(blob: Blob, opts: { trainContext: number; kvBytesPerToken?: number }): Promise<LoadedGpuEngine> {
  const log = new NativeLog();
  let onGpu = false;
  const add = (...args: unknown[]) => {
    if (ON_GPU.test(args.map(String).join(' '))) onGpu = true;
    log.add(...args);
  };
  const wllama = new Wllama({ default: wasmUrl }, { logger: { debug: add, log: add, warn: add, error: add } });
  const nCtx = allocatedContext(opts.trainContext, opts.kvBytesPerToken ?? 0);
  try {
    // one slot (n_parallel 1): one prompt cache, which the reader orders its reads for
    await wllama.loadModel([blob], { n_ctx: nCtx, n_parallel: 1, n_threads: 1, seed: 1 });
  } catch (e) {
    await wllama.exit().catch(() => undefined);
    const said = log.lastError();
    throw new EngineLoadError(said ?? (e instanceof Error ? e.message : String(e)), said !== null);
  }
  const info = wllama.getLoadedContextInfo();
  return { engine: wllama, onGpu, contextWindow: info.n_ctx, trainContext: info.n_ctx_train };
}
