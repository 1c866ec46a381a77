// The header of a GGUF file (the llama.cpp model format), read before loading it, so that a file that
// is not a GGUF, is too large, or holds a model llama.cpp cannot run for text gets a clear refusal
// instead of a crash deep in the wasm. Format: github.com/ggml-org/ggml/blob/master/docs/gguf.md
// (magic "GGUF", version, tensor count, then typed key–value pairs; all little-endian).

import { kvBytes } from '../../../src/lib/gguf/catalog';

export interface GgufHeader {
  version: number;
  architecture: string; // general.architecture, e.g. "llama", "gemma3"
  name: string | null; // general.name
  license: string | null; // general.license
  contextLength: number; // <arch>.context_length: the model's trained context, tokens (0 unknown)
  blockCount: number; // <arch>.block_count (layers)
  embeddingLength: number;
  headCount: number;
  headCountKv: number;
  kvBytesPerToken: number; // KV cache per token of context at f32, as the backend allocates it (kvBytesPerToken in catalog.ts)
  fileType: number | null; // general.file_type (the quantization)
  tokenizer: string | null; // tokenizer.ggml.model
}

export class GgufError extends Error {
  constructor(
    readonly code: 'NotGguf' | 'TooLarge' | 'Unsupported' | 'Truncated',
    message: string,
  ) {
    super(message);
    this.name = 'GgufError';
  }
}

const MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const HEADER_BYTES = 16 * 1024 * 1024; // enough for the metadata of every model we know (the vocabulary is in it)

/** Largest file one wllama build reads (its wasm heap is 4 GiB, and the model sits in it). */
export const MAX_MODEL_BYTES = 2 * 1024 ** 3;

// Architectures llama.cpp loads but that cannot continue text (encoders, embedding models, audio).
const NOT_TEXT = new Set(['bert', 'nomic-bert', 'nomic-bert-moe', 'jina-bert-v2', 'jina-bert-v3', 'modern-bert', 'neo-bert', 't5encoder', 'clip', 'wavtokenizer-dec', 'eurobert']);

type Value = number | bigint | boolean | string | null;

class Reader {
  pos = 0;
  constructor(private readonly view: DataView) {}
  need(n: number) {
    if (this.pos + n > this.view.byteLength) throw new GgufError('Truncated', 'The GGUF header ended early.');
  }
  u32() {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64() {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
  str(): string {
    const n = Number(this.u64());
    this.need(n);
    const s = new TextDecoder().decode(new Uint8Array(this.view.buffer, this.view.byteOffset + this.pos, n));
    this.pos += n;
    return s;
  }
  value(type: number): Value {
    const v = this.view;
    const fixed: Record<number, [number, () => Value]> = {
      0: [1, () => v.getUint8(this.pos)],
      1: [1, () => v.getInt8(this.pos)],
      2: [2, () => v.getUint16(this.pos, true)],
      3: [2, () => v.getInt16(this.pos, true)],
      4: [4, () => v.getUint32(this.pos, true)],
      5: [4, () => v.getInt32(this.pos, true)],
      6: [4, () => v.getFloat32(this.pos, true)],
      7: [1, () => v.getUint8(this.pos) !== 0],
      10: [8, () => v.getBigUint64(this.pos, true)],
      11: [8, () => v.getBigInt64(this.pos, true)],
      12: [8, () => v.getFloat64(this.pos, true)],
    };
    if (type === 8) return this.str();
    if (type === 9) {
      const inner = this.u32();
      const n = Number(this.u64());
      if (inner === 8) for (let i = 0; i < n; i++) this.str();
      else {
        const size = fixed[inner]?.[0];
        if (size === undefined) throw new GgufError('NotGguf', `The GGUF header has an array of unknown type ${inner}.`);
        this.need(size * n);
        this.pos += size * n;
      }
      return null; // arrays (the vocabulary, merges) are skipped
    }
    const f = fixed[type];
    if (!f) throw new GgufError('NotGguf', `The GGUF header has a value of unknown type ${type}.`);
    this.need(f[0]);
    const out = f[1]();
    this.pos += f[0];
    return out;
  }
}

/** Parses the metadata at the start of a GGUF file's bytes (a prefix of the file is enough). */
export function parseGgufHeader(bytes: ArrayBuffer, fileName = 'This file'): GgufHeader {
  const view = new DataView(bytes);
  if (view.byteLength < 24 || view.getUint32(0, true) !== MAGIC)
    throw new GgufError('NotGguf', `${fileName} is not a GGUF model file (it does not start with "GGUF"). Pick a .gguf file, as published for llama.cpp.`);
  const r = new Reader(view);
  r.pos = 4;
  const version = r.u32();
  if (version < 2 || version > 3) throw new GgufError('Unsupported', `${fileName} is GGUF version ${version}; llama.cpp reads versions 2 and 3.`);
  r.u64(); // tensor count
  const kvCount = Number(r.u64());
  const kv = new Map<string, Value>();
  try {
    for (let i = 0; i < kvCount; i++) {
      const key = r.str();
      kv.set(key, r.value(r.u32()));
    }
  } catch (e) {
    // a header longer than the bytes read: keep what was parsed, as long as the essentials are there
    if (!(e instanceof GgufError && e.code === 'Truncated') || !kv.has('general.architecture')) throw e;
  }
  const str = (k: string) => (typeof kv.get(k) === 'string' ? (kv.get(k) as string) : null);
  const num = (k: string) => {
    const v = kv.get(k);
    return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
  };
  const arch = str('general.architecture');
  if (!arch) throw new GgufError('NotGguf', `${fileName} has no general.architecture in its GGUF header, so llama.cpp cannot tell what model it holds.`);
  const headSize = num(`${arch}.attention.head_count`) > 0 ? num(`${arch}.embedding_length`) / num(`${arch}.attention.head_count`) : 0;
  return {
    version,
    architecture: arch,
    name: str('general.name'),
    license: str('general.license'),
    contextLength: num(`${arch}.context_length`),
    blockCount: num(`${arch}.block_count`),
    embeddingLength: num(`${arch}.embedding_length`),
    headCount: num(`${arch}.attention.head_count`),
    headCountKv: num(`${arch}.attention.head_count_kv`) || num(`${arch}.attention.head_count`),
    kvBytesPerToken: kvBytes(num(`${arch}.block_count`), num(`${arch}.attention.head_count_kv`) || num(`${arch}.attention.head_count`), num(`${arch}.attention.key_length`) || headSize, num(`${arch}.attention.value_length`) || headSize),
    fileType: kv.has('general.file_type') ? num('general.file_type') : null,
    tokenizer: str('tokenizer.ggml.model'),
  };
}

/** Reads and checks the header of a GGUF blob; throws a GgufError a person can act on. */
export async function readGgufHeader(file: Blob, fileName = file instanceof File ? file.name : 'This file'): Promise<GgufHeader> {
  const h = parseGgufHeader(await file.slice(0, Math.min(file.size, HEADER_BYTES)).arrayBuffer(), fileName);
  checkRunnable(h, file.size, fileName);
  return h;
}

/** Refuses models this backend cannot use, with the reason. */
export function checkRunnable(h: GgufHeader, size: number, fileName = 'This file'): void {
  if (size > MAX_MODEL_BYTES)
    throw new GgufError(
      'TooLarge',
      `${fileName} is ${(size / 1024 ** 3).toFixed(1)} GB; llama.cpp in the browser reads at most ${MAX_MODEL_BYTES / 1024 ** 3} GB per file (its memory is 4 GB). Pick a smaller quantization (Q4) or a smaller model.`,
    );
  if (NOT_TEXT.has(h.architecture) || h.tokenizer === 'none')
    throw new GgufError('Unsupported', `${fileName} holds a "${h.architecture}" model, which cannot continue text, so it cannot read labels. Pick a causal language model (Llama, Qwen, Gemma, SmolLM, Phi, …).`);
}
