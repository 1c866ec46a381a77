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

/**
 * The last lines llama.cpp wrote to its log. Why a load failed is there: wllama 2.4.0 misreads
 * llama.cpp's error reply (it reads the reply's "GLUE" tag as a length, so every failure throws
 * "Invalid typed array length: 1163217991"). Kept, not printed: a person reads the error instead.
 */
export class NativeLog {
  private lines: string[] = [];
  add = (...args: unknown[]): void => {
    this.lines.push(args.map(String).join(' '));
    if (this.lines.length > 40) this.lines.shift();
  };
  /** llama.cpp's last line saying what failed, without its function-name prefix (e.g. "error loading
   *  model hyperparameters: key not found in model: llama.context_length"); null if none. The
   *  closing lines that only say a load failed are passed over. */
  lastError(): string | null {
    const generic = /^(Error while loading model|\w+: failed to load model)\s*$/i;
    const line = [...this.lines].reverse().find((l) => /error|failed|invalid|missing|not found|unknown|unsupported/i.test(l) && !generic.test(l.trim()));
    return line?.replace(/^\s*\w+:\s*/, '').replace(/^error loading model:\s*/i, '').trim() ?? null;
  }
}

/** A load llama.cpp did not finish; `llamaSaid`: the message is llama.cpp's own reason, from its log. */
export class EngineLoadError extends Error {
  constructor(
    message: string,
    readonly llamaSaid: boolean,
  ) {
    super(message);
    this.name = 'EngineLoadError';
  }
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
  const log = new NativeLog();
  const wllama = new Wllama(
    { 'single-thread/wllama.wasm': singleThreadWasm, 'multi-thread/wllama.wasm': multiThreadWasm },
    { suppressNativeLog: false, logger: { debug: log.add, log: log.add, warn: log.add, error: log.add } },
  );
  const nCtx = Math.min(allocatedContext(opts.trainContext, opts.kvBytesPerToken ?? 0), opts.contextCap ?? Infinity);
  const fast = (opts.attention ?? 'reader') === 'reader';
  const config: LoadModelConfig = { n_ctx: nCtx, n_threads: threads, n_batch: BATCH, seed: 1, ...(fast ? { flash_attn: false, cache_type_k: 'f32', cache_type_v: 'f32' } : {}) };
  try {
    await wllama.loadModel([blob], config);
  } catch (e) {
    await wllama.exit().catch(() => undefined);
    const said = log.lastError();
    throw new EngineLoadError(said ?? (e instanceof Error ? e.message : String(e)), said !== null);
  }
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
