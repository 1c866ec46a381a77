// The llama.cpp (WebAssembly) engine, @wllama/wllama 2.4.0, in the run worker.
//
// Why 2.x and not 3.x: wllama 3 wraps llama-server's request loop and no longer exposes the
// tokenizer, llama_decode or the KV cache; 2.4.0 (llama.cpp b8948) exposes exactly the primitives
// this backend needs: tokenize, decode, kvRemove, and getLogits (softmax over the whole vocabulary,
// then the top K). The backend keeps its own copy of the token ids in the KV cache (reader.ts).
//
// wllama starts its own worker (from inline code) inside ours and loads one of its two wasm builds:
// the multi-threaded one needs SharedArrayBuffer, i.e. a cross-origin isolated page (COOP
// same-origin + COEP require-corp); otherwise it runs on one thread. Both wasm files ship in the
// npm package and are bundled by Vite as assets, so nothing is fetched from a CDN.

import { Wllama, type LoadModelConfig } from '@wllama/wllama';
import multiThreadWasm from '@wllama/wllama/esm/multi-thread/wllama.wasm?url';
import singleThreadWasm from '@wllama/wllama/esm/single-thread/wllama.wasm?url';
import { allocatedContext } from '../../../src/lib/gguf/catalog';

/** What the backend calls on an engine; wllama's Wllama satisfies it (engine.test.ts checks the types). */
export interface WllamaEngine {
  tokenize(text: string, special?: boolean): Promise<number[]>;
  decode(tokens: number[], options: { skipLogits?: boolean }): Promise<{ nPast: number }>;
  /** Probabilities after the last decoded token: softmax over the whole vocabulary, sorted, cut to topK (-1: all). */
  getLogits(topK?: number): Promise<{ token: number; p: number }[]>;
  /** kvRemove(n, -1) drops every cached token from position n on. */
  kvRemove(nKeep: number, nDiscard: number): Promise<void>;
  kvClear(): Promise<void>;
  exit(): Promise<void>;
}

export interface LoadedEngine {
  engine: WllamaEngine;
  threads: number; // threads llama.cpp computes with
  multiThread: boolean;
  contextWindow: number; // n_ctx the context was created with, tokens
  batch: number; // most tokens one decode() may take (n_batch: wllama sizes its token buffer by it and does not check)
  trainContext: number; // the model's own context length (n_ctx_train), tokens
  bos: number | null; // the start token to put before every sequence, when the model wants one
  vocabSize: number;
}

/** True where the page can share memory with threads: the multi-threaded build can run. */
export const crossOriginIsolated = (): boolean => typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true;

/** Threads to use: half the logical cores (wllama's default, which assumes two per physical core),
 *  but at least 2 where there are 2, and at most 8; 1 unless the page is isolated. */
export function defaultThreads(cores = globalThis.navigator?.hardwareConcurrency ?? 1): number {
  if (!crossOriginIsolated()) return 1;
  return Math.max(1, Math.min(cores, 8, Math.max(2, Math.floor(cores / 2))));
}

export interface EngineOptions {
  threads?: number; // default defaultThreads()
  contextCap?: number; // most tokens of context to allocate, below what allocatedContext gives
  trainContext: number; // the model's context length from its GGUF header
  kvBytesPerToken?: number; // from its GGUF header: bounds the context by the catalog's KV budget
  /** How attention runs. 'reader' (the default): no flash attention and an f32 KV cache, which read
   *  2.1x faster through the reader's short decodes in WebAssembly (its per-row flash-attention
   *  fallback and f16 conversions are slow there); 'wllama': wllama's own defaults, for comparison. */
  attention?: 'reader' | 'wllama';
}

export const BATCH = 512; // tokens per decode(): llama.cpp's default n_batch

/** Loads a GGUF blob (a File from disk or from the origin-private file system) into a new engine. */
export async function loadEngine(blob: Blob, opts: EngineOptions): Promise<LoadedEngine> {
  // wllama 2.4.0 resolves its wasm URLs against document.baseURI, which a worker has not: give it
  // the worker's own location (the URLs are absolute already, so only the base matters).
  if (typeof document === 'undefined') Reflect.set(globalThis, 'document', { baseURI: globalThis.location.href });
  const threads = opts.threads ?? defaultThreads();
  const wllama = new Wllama(
    { 'single-thread/wllama.wasm': singleThreadWasm, 'multi-thread/wllama.wasm': multiThreadWasm },
    { suppressNativeLog: true, logger: { debug: () => {}, log: () => {}, warn: () => {}, error: console.error } },
  );
  const nCtx = Math.min(allocatedContext(opts.trainContext, opts.kvBytesPerToken ?? 0), opts.contextCap ?? Infinity);
  const fast = (opts.attention ?? 'reader') === 'reader';
  const config: LoadModelConfig = { n_ctx: nCtx, n_threads: threads, n_batch: BATCH, seed: 1, ...(fast ? { flash_attn: false, cache_type_k: 'f32', cache_type_v: 'f32' } : {}) };
  await wllama.loadModel([blob], config);
  const info = wllama.getLoadedContextInfo();
  return {
    engine: wllama,
    threads: wllama.getNumThreads(),
    multiThread: wllama.isMultithread(),
    contextWindow: info.n_ctx,
    batch: BATCH,
    trainContext: info.n_ctx_train,
    bos: wllama.mustAddBosToken() && info.token_bos >= 0 ? info.token_bos : null,
    vocabSize: info.n_vocab,
  };
}
