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
  kvBytesPerToken: number; // KV cache per token of context: layers × KV heads × head size × 2 (K, V) × 2 bytes (f16)
}

/** Where model files come from; tests point it at a local stand-in. */
export const defaultModelHost = 'https://huggingface.co';

export const ggufModels: GgufModel[] = [
  { id: 'smollm2-135m-q8', name: 'SmolLM2 135M', repo: 'QuantFactory/SmolLM2-135M-GGUF', file: 'SmolLM2-135M.Q8_0.gguf', bytes: 144_800_000, params: '135M', base: true, context: 8192, licence: 'Apache-2.0', kvBytesPerToken: 30 * 3 * 64 * 4 },
  { id: 'smollm2-360m-q8', name: 'SmolLM2 360M', repo: 'QuantFactory/SmolLM2-360M-GGUF', file: 'SmolLM2-360M.Q8_0.gguf', bytes: 386_400_000, params: '360M', base: true, context: 8192, licence: 'Apache-2.0', kvBytesPerToken: 32 * 5 * 64 * 4 },
  { id: 'qwen2.5-0.5b-q8', name: 'Qwen2.5 0.5B', repo: 'QuantFactory/Qwen2.5-0.5B-GGUF', file: 'Qwen2.5-0.5B.Q8_0.gguf', bytes: 531_000_000, params: '0.5B', base: true, context: 32768, licence: 'Apache-2.0', kvBytesPerToken: 24 * 2 * 64 * 4 },
  { id: 'gemma-3-270m-q8', name: 'Gemma 3 270M', repo: 'ggml-org/gemma-3-270m-GGUF', file: 'gemma-3-270m-Q8_0.gguf', bytes: 292_000_000, params: '270M', base: true, context: 32768, licence: 'Gemma', kvBytesPerToken: 18 * 1 * 256 * 4 },
  { id: 'smollm2-135m-instruct-q4', name: 'SmolLM2 135M Instruct', repo: 'bartowski/SmolLM2-135M-Instruct-GGUF', file: 'SmolLM2-135M-Instruct-Q4_K_M.gguf', bytes: 105_500_000, params: '135M', base: false, context: 8192, licence: 'Apache-2.0', kvBytesPerToken: 30 * 3 * 64 * 4 },
  { id: 'qwen2.5-0.5b-instruct-q4', name: 'Qwen2.5 0.5B Instruct', repo: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF', file: 'qwen2.5-0.5b-instruct-q4_k_m.gguf', bytes: 491_400_000, params: '0.5B', base: false, context: 32768, licence: 'Apache-2.0', kvBytesPerToken: 24 * 2 * 64 * 4 },
];

export const contextCap = 8192; // tokens of KV cache the backend allocates at most (memory), whatever the model's own length

/** The URL of a model's file at a host. */
export const modelUrl = (m: GgufModel, host = defaultModelHost): string => `${host.replace(/\/$/, '')}/${m.repo}/resolve/main/${m.file}`;

/**
 * Memory the model needs while running, estimated: the file (weights are read into the wasm heap),
 * plus the KV cache of the context the backend allocates (f16, at most contextCap tokens), plus
 * ~15% for activations and llama.cpp's buffers.
 */
export function memoryBytes(fileBytes: number, kvBytesPerToken: number, context: number): number {
  return Math.round((fileBytes + kvBytesPerToken * Math.min(context, contextCap)) * 1.15);
}

/** True for the model ids of the llama.cpp backend: the built-in list's, and files picked from disk. */
export const isGgufModelId = (id: string): boolean => id.startsWith('file-') || ggufModels.some((m) => m.id === id);

export const findGgufModel = (id: string): GgufModel | undefined => ggufModels.find((m) => m.id === id);

export const formatBytes = (b: number): string => (b >= 1e9 ? `${(b / 1e9).toFixed(2)} GB` : `${Math.round(b / 1e6)} MB`);
