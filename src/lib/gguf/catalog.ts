// The built-in list of small GGUF models for the llama.cpp backend: base models first (ICM wants a
// model that continues text, not one tuned to chat), each with what a person needs to choose one:
// download size, memory, context length, base or instruct, licence. Files are downloaded from the
// model host (Hugging Face) once and kept in this browser's origin-private file system (storage.ts).
// Pure data and pure functions: the page imports this without loading llama.cpp.

export interface GgufModel {
  id: string; // stable key, also the file's name in storage
  name: string;
  repo: string; // Hugging Face repository
  file: string; // the .gguf file in it
  bytes: number; // download size
  params: string; // parameter count, as published
  base: boolean; // a base (pre-trained) model; false: instruction-tuned
  context: number; // the model's context length, tokens (its GGUF header says the same)
  licence: string;
  kvBytesPerToken: number; // KV cache per token of context, f32 as the backend allocates it (kvBytes)
}

/** Where model files come from; tests point it at a local stand-in. */
export const defaultModelHost = 'https://huggingface.co';

/** KV cache bytes per token of context at f32 (the reader's setting, engine.ts): layers × KV heads × (key + value size) × 4. */
export const kvBytes = (layers: number, kvHeads: number, keySize: number, valueSize: number): number => layers * kvHeads * (keySize + valueSize) * 4;

export const ggufModels: GgufModel[] = [
  // Q4_0 first: the smallest base model is the CPU default, and Q4_0 reads fastest in the browser (issue 23:
  // 15.7 / 15.3 / 12.4 tokens per CPU-second for Q4_0 / Q4_1 / Q8_0 on wllama's build; the SIMD build's
  // figures are wllama.<model>.… in bench-results.json). 91.7 MB: the size llama.cpp's quantizer gives it.
  { id: 'smollm2-135m-q4', name: 'SmolLM2 135M', repo: 'QuantFactory/SmolLM2-135M-GGUF', file: 'SmolLM2-135M.Q4_0.gguf', bytes: 91_700_000, params: '135M', base: true, context: 8192, licence: 'Apache-2.0', kvBytesPerToken: kvBytes(30, 3, 64, 64) },
  { id: 'smollm2-135m-q8', name: 'SmolLM2 135M (Q8_0)', repo: 'QuantFactory/SmolLM2-135M-GGUF', file: 'SmolLM2-135M.Q8_0.gguf', bytes: 144_800_000, params: '135M', base: true, context: 8192, licence: 'Apache-2.0', kvBytesPerToken: kvBytes(30, 3, 64, 64) },
  { id: 'smollm2-360m-q8', name: 'SmolLM2 360M', repo: 'QuantFactory/SmolLM2-360M-GGUF', file: 'SmolLM2-360M.Q8_0.gguf', bytes: 386_400_000, params: '360M', base: true, context: 8192, licence: 'Apache-2.0', kvBytesPerToken: kvBytes(32, 5, 64, 64) },
  { id: 'qwen2.5-0.5b-q8', name: 'Qwen2.5 0.5B', repo: 'QuantFactory/Qwen2.5-0.5B-GGUF', file: 'Qwen2.5-0.5B.Q8_0.gguf', bytes: 531_000_000, params: '0.5B', base: true, context: 32768, licence: 'Apache-2.0', kvBytesPerToken: kvBytes(24, 2, 64, 64) },
  { id: 'gemma-3-270m-q8', name: 'Gemma 3 270M', repo: 'ggml-org/gemma-3-270m-GGUF', file: 'gemma-3-270m-Q8_0.gguf', bytes: 292_000_000, params: '270M', base: true, context: 32768, licence: 'Gemma', kvBytesPerToken: kvBytes(18, 1, 256, 256) },
  { id: 'smollm2-135m-instruct-q4', name: 'SmolLM2 135M Instruct', repo: 'bartowski/SmolLM2-135M-Instruct-GGUF', file: 'SmolLM2-135M-Instruct-Q4_K_M.gguf', bytes: 105_500_000, params: '135M', base: false, context: 8192, licence: 'Apache-2.0', kvBytesPerToken: kvBytes(30, 3, 64, 64) },
  // Qwen2.5-Coder Instruct: the models of the elicitation measurements (docs/measurements/real-models.md),
  // the first here to do better with gold-labelled demonstrations than with random ones. Sizes are those of the files the benchmark measured
  // (scripts/real-models.ts: the same model files, from PyPI); the addresses are not fetched from the test machines.
  { id: 'qwen2.5-coder-0.5b-instruct-q4', name: 'Qwen2.5-Coder 0.5B Instruct', repo: 'Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF', file: 'qwen2.5-coder-0.5b-instruct-q4_k_m.gguf', bytes: 491_400_064, params: '0.5B', base: false, context: 32768, licence: 'Apache-2.0', kvBytesPerToken: kvBytes(24, 2, 64, 64) },
  { id: 'qwen2.5-coder-1.5b-instruct-q4', name: 'Qwen2.5-Coder 1.5B Instruct', repo: 'Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF', file: 'qwen2.5-coder-1.5b-instruct-q4_k_m.gguf', bytes: 1_117_320_768, params: '1.5B', base: false, context: 32768, licence: 'Apache-2.0', kvBytesPerToken: kvBytes(28, 2, 128, 128) },
  { id: 'qwen2.5-0.5b-instruct-q4', name: 'Qwen2.5 0.5B Instruct', repo: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF', file: 'qwen2.5-0.5b-instruct-q4_k_m.gguf', bytes: 491_400_000, params: '0.5B', base: false, context: 32768, licence: 'Apache-2.0', kvBytesPerToken: kvBytes(24, 2, 64, 64) },
];

export const contextCap = 8192; // tokens of KV cache the backend allocates at most (memory), whatever the model's own length
export const kvBudget = 512 * 2 ** 20; // bytes of KV cache at most: an f32 cache is twice f16's, so wide models get fewer tokens

/** Tokens of context the backend allocates for a model: its own length, at most contextCap, and no
 *  more than kvBudget holds (a multiple of 256; at least 256). */
export function allocatedContext(trainContext: number, kvBytesPerToken: number): number {
  const byMemory = kvBytesPerToken > 0 ? Math.floor(kvBudget / kvBytesPerToken / 256) * 256 : contextCap;
  return Math.max(256, Math.min(trainContext || 2048, contextCap, byMemory));
}

/** The URL of a model's file at a host. */
export const modelUrl = (m: GgufModel, host = defaultModelHost): string => `${host.replace(/\/$/, '')}/${m.repo}/resolve/main/${m.file}`;

/**
 * Memory the model needs while running, estimated: the file (weights are read into the wasm heap),
 * plus the KV cache of the context the backend allocates (allocatedContext), plus ~15% for
 * activations and llama.cpp's buffers.
 */
export function memoryBytes(fileBytes: number, kvBytesPerToken: number, context: number): number {
  return Math.round((fileBytes + kvBytesPerToken * allocatedContext(context, kvBytesPerToken)) * 1.15);
}

/** True for the model ids of the llama.cpp backend: the built-in list's, and files picked from disk. */
export const isGgufModelId = (id: string): boolean => id.startsWith('file-') || ggufModels.some((m) => m.id === id);

export const findGgufModel = (id: string): GgufModel | undefined => ggufModels.find((m) => m.id === id);

export const formatBytes = (b: number): string => (b >= 1e9 ? `${(b / 1e9).toFixed(2)} GB` : `${Math.round(b / 1e6)} MB`);
