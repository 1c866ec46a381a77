// The model picker's data: web-llm's prebuilt models up to about 2 B parameters, with what a
// person needs to choose one (download size, GPU memory, context length, base or instruct).
// Pure: no web-llm at run time (see catalog-data.ts), so the main bundle stays small.
//
// Download size is an estimate: parameters × bits per weight of the quantization (q4f16_1 packs
// 4-bit weights with one f16 scale per group of 32 → 4.5 bits; q4f32_1 → 5 bits; q0f16 → 16;
// q0f32 → 32) plus ~10 MB of kernels, tokenizer and config. web-llm's vram_required_MB is GPU
// memory (weights + KV cache + activations), not the download.

import { prebuiltSmallModels, type PrebuiltRecord } from './catalog-data';

export type Shader = 'f16' | 'f32'; // f16 kernels need the WebGPU feature shader-f16
export type Flavor = 'base' | 'instruct';

export interface CatalogModel {
  id: string; // web-llm model_id, what reload() takes
  family: string; // e.g. "Qwen2.5-0.5B-Instruct"
  label: string; // e.g. "Qwen2.5 0.5B Instruct · q4f16_1"
  paramsB: number; // parameters, billions
  quantization: string; // e.g. "q4f16_1"
  shader: Shader;
  downloadMB: number; // estimate, MiB (see above)
  gpuMB: number; // web-llm's vram_required_MB
  contextWindow: number; // tokens
  flavor: Flavor;
  requiredFeatures: string[]; // WebGPU features it needs, shader-f16 included for f16 kernels
  lowResource: boolean; // web-llm's low_resource_required: fits phones and small GPUs
  bufferSizeRequired: number | null; // minimum maxStorageBufferBindingSize, bytes
  modelUrl: string; // host of the weights (huggingface.co)
  libUrl: string; // host of the kernels (raw.githubusercontent.com)
}

interface Family {
  paramsB: number; // from the model cards
  flavor: Flavor;
}

// Only these families are offered; everything else in the prebuilt list is larger than ~2 B
// parameters, an embedding or vision model, or not a general text model. phi-2 (2.7 B) is kept
// because it is one of the few *base* models in the list, and ICM is at its best on base models.
// Qwen3 and Qwen3.5 are hybrid thinking/instruct models: 'instruct'.
export const families: Record<string, Family> = {
  'SmolLM2-135M-Instruct': { paramsB: 0.135, flavor: 'instruct' },
  'SmolLM2-360M-Instruct': { paramsB: 0.362, flavor: 'instruct' },
  'Qwen2-0.5B-Instruct': { paramsB: 0.494, flavor: 'instruct' },
  'Qwen2.5-0.5B-Instruct': { paramsB: 0.494, flavor: 'instruct' },
  'Qwen2.5-Coder-0.5B-Instruct': { paramsB: 0.494, flavor: 'instruct' },
  'Qwen3-0.6B': { paramsB: 0.6, flavor: 'instruct' },
  'Qwen3.5-0.8B': { paramsB: 0.8, flavor: 'instruct' },
  'gemma3-1b-it': { paramsB: 1.0, flavor: 'instruct' },
  'TinyLlama-1.1B-Chat-v1.0': { paramsB: 1.1, flavor: 'instruct' },
  'TinyLlama-1.1B-Chat-v0.4': { paramsB: 1.1, flavor: 'instruct' },
  'Llama-3.2-1B-Instruct': { paramsB: 1.24, flavor: 'instruct' },
  'phi-1_5': { paramsB: 1.42, flavor: 'base' },
  'OLMo-2-0425-1B-Instruct': { paramsB: 1.48, flavor: 'instruct' },
  'Qwen2-1.5B-Instruct': { paramsB: 1.54, flavor: 'instruct' },
  'Qwen2-Math-1.5B-Instruct': { paramsB: 1.54, flavor: 'instruct' },
  'Qwen2.5-1.5B-Instruct': { paramsB: 1.54, flavor: 'instruct' },
  'Qwen2.5-Coder-1.5B-Instruct': { paramsB: 1.54, flavor: 'instruct' },
  'Qwen2.5-Math-1.5B-Instruct': { paramsB: 1.54, flavor: 'instruct' },
  'stablelm-2-zephyr-1_6b': { paramsB: 1.64, flavor: 'instruct' },
  'Qwen3-1.7B': { paramsB: 1.7, flavor: 'instruct' },
  'SmolLM2-1.7B-Instruct': { paramsB: 1.71, flavor: 'instruct' },
  'Qwen3.5-2B': { paramsB: 2.0, flavor: 'instruct' },
  'gemma-2b-it': { paramsB: 2.51, flavor: 'instruct' },
  'gemma-2-2b-it': { paramsB: 2.61, flavor: 'instruct' },
  'phi-2': { paramsB: 2.78, flavor: 'base' },
};

/** Unquantized variants of the larger models download gigabytes; they are left out above this. */
export const maxDownloadMB = 3000;
const overheadMB = 10; // kernels (wasm), tokenizer, config

const ID_PATTERN = /^(.+)-(q\d+f(?:16|32)(?:_\d+)?)-MLC(-1k)?$/;

/** Family and quantization of a web-llm model_id, e.g. "Qwen3-0.6B-q4f16_1-MLC". */
export function parseModelId(id: string): { family: string; quantization: string } | null {
  const m = ID_PATTERN.exec(id);
  return m ? { family: m[1], quantization: m[2] } : null;
}

/** Bits per weight as stored, scales included. */
export function bitsPerWeight(quantization: string): number {
  const m = /^q(\d+)f(16|32)(?:_(\d+))?$/.exec(quantization);
  if (!m) throw new Error(`Unknown quantization "${quantization}".`);
  const bits = Number(m[1]);
  const scaleBits = Number(m[2]);
  if (bits === 0) return scaleBits; // q0: unquantized weights in f16 / f32
  return bits + scaleBits / 32; // group quantization: one scale per group of 32 weights
}

export function toCatalogModel(r: PrebuiltRecord): CatalogModel | null {
  const parsed = parseModelId(r.model_id);
  if (!parsed) return null;
  const family = families[parsed.family];
  if (!family) return null;
  const shader: Shader = parsed.quantization.includes('f16') ? 'f16' : 'f32';
  const downloadMB = Math.round((family.paramsB * 1e9 * bitsPerWeight(parsed.quantization)) / 8 / 2 ** 20 + overheadMB);
  // The prebuilt list does not mark every f16 model with shader-f16 (e.g. Qwen3-0.6B-q4f16_1),
  // but f16 kernels cannot run without it.
  const requiredFeatures = [...new Set([...(r.required_features ?? []), ...(shader === 'f16' ? ['shader-f16'] : [])])];
  return {
    id: r.model_id,
    family: parsed.family,
    label: `${parsed.family.replace(/-/g, ' ').replace(/_/g, '.')} · ${parsed.quantization}${r.model_id.endsWith('-1k') ? ' · 1k context' : ''}`,
    paramsB: family.paramsB,
    quantization: parsed.quantization,
    shader,
    downloadMB,
    gpuMB: Math.round(r.vram_required_MB),
    contextWindow: r.context_window_size,
    flavor: family.flavor,
    requiredFeatures,
    lowResource: r.low_resource_required,
    bufferSizeRequired: r.buffer_size_required_bytes ?? null,
    modelUrl: r.model,
    libUrl: r.model_lib,
  };
}

/** Every offered model, smallest first; f16 before f32 and longer context first within a family. */
export const catalog: CatalogModel[] = prebuiltSmallModels
  .map(toCatalogModel)
  .filter((m): m is CatalogModel => m !== null && m.downloadMB <= maxDownloadMB)
  .sort(
    (a, b) =>
      a.paramsB - b.paramsB ||
      a.family.localeCompare(b.family) ||
      a.downloadMB - b.downloadMB ||
      b.contextWindow - a.contextWindow ||
      a.id.localeCompare(b.id),
  );

export const findModel = (id: string, models: CatalogModel[] = catalog): CatalogModel | undefined => models.find((m) => m.id === id);

/** What modelsFor needs to know about the GPU (a Capability satisfies it). */
export interface GpuCaps {
  usable: boolean; // a WebGPU adapter that web-llm can run on (software adapters included)
  shaderF16: boolean;
  maxStorageBufferBindingSize: number; // bytes
}

/** Why a model cannot run on this GPU, in words for the picker; null when it can. */
export function unusableReason(m: CatalogModel, caps: GpuCaps): string | null {
  if (!caps.usable) return 'WebGPU is not available here.';
  if (m.requiredFeatures.includes('shader-f16') && !caps.shaderF16)
    return 'Needs the WebGPU feature shader-f16, which this GPU or browser lacks; pick its q4f32 variant.';
  const missing = m.requiredFeatures.find((f) => f !== 'shader-f16');
  if (missing) return `Needs the WebGPU feature ${missing}.`;
  if (m.bufferSizeRequired !== null && caps.maxStorageBufferBindingSize < m.bufferSizeRequired)
    return `Needs GPU buffers of ${Math.round(m.bufferSizeRequired / 2 ** 20)} MB; this GPU allows ${Math.round(caps.maxStorageBufferBindingSize / 2 ** 20)} MB.`;
  return null;
}

/** The models this GPU can run: without shader-f16 only the f32-kernel (q4f32 / q0f32) variants. */
export const modelsFor = (caps: GpuCaps, models: CatalogModel[] = catalog): CatalogModel[] =>
  models.filter((m) => unusableReason(m, caps) === null);

/** A sensible first pick: a small instruct model that reads prompts well, in the variant this GPU runs. */
export function defaultModelId(caps: GpuCaps, models: CatalogModel[] = catalog): string | null {
  const offered = modelsFor(caps, models);
  const preferred = caps.shaderF16
    ? ['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC']
    : ['Qwen2.5-0.5B-Instruct-q4f32_1-MLC'];
  for (const id of preferred) if (offered.some((m) => m.id === id)) return id;
  return offered[0]?.id ?? null;
}

/** Hosts a model download contacts (for the README, the e2e network filter, and offline checks). */
export const modelHosts = (models: CatalogModel[] = catalog): string[] =>
  [...new Set(models.flatMap((m) => [new URL(m.modelUrl).host, new URL(m.libUrl).host]))].sort();
