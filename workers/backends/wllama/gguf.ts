// The header of a GGUF file (the llama.cpp model format), read before loading it, so that a file that
// is not a GGUF, is too large, is cut short, or holds a model llama.cpp cannot run for text gets a
// clear refusal instead of a crash deep in the wasm. Format: github.com/ggml-org/ggml/blob/master/docs/gguf.md
// (magic "GGUF", version, tensor count, typed key–value pairs, then one info per tensor: name,
// dimensions, type, offset; then, aligned, the tensors' data; all little-endian). The tensor infos
// say where the data of every tensor lies, so they say how long the whole file must be.

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
  tensorCount: number;
  /** Bytes the file must have: where the data of its last tensor ends; null when the bytes read
   *  do not reach the end of the tensor infos, or a tensor's type is not one this reader knows. */
  dataEnd: number | null;
  unknownTypes: number[]; // ggml tensor types this reader has no size for
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
const DEFAULT_ALIGNMENT = 32; // of the data section and of each tensor's offset, unless general.alignment says otherwise

/** ggml tensor types: [values per block, bytes per block] (ggml's type traits; K-quants use blocks of 256). */
const TYPE_SIZES: Record<number, [number, number]> = {
  0: [1, 4], // F32
  1: [1, 2], // F16
  2: [32, 18], // Q4_0
  3: [32, 20], // Q4_1
  6: [32, 22], // Q5_0
  7: [32, 24], // Q5_1
  8: [32, 34], // Q8_0
  9: [32, 36], // Q8_1
  10: [256, 84], // Q2_K
  11: [256, 110], // Q3_K
  12: [256, 144], // Q4_K
  13: [256, 176], // Q5_K
  14: [256, 210], // Q6_K
  15: [256, 292], // Q8_K
  16: [256, 66], // IQ2_XXS
  17: [256, 74], // IQ2_XS
  18: [256, 98], // IQ3_XXS
  19: [256, 50], // IQ1_S
  20: [32, 18], // IQ4_NL
  21: [256, 110], // IQ3_S
  22: [256, 82], // IQ2_S
  23: [256, 136], // IQ4_XS
  24: [1, 1], // I8
  25: [1, 2], // I16
  26: [1, 4], // I32
  27: [1, 8], // I64
  28: [1, 8], // F64
  29: [256, 56], // IQ1_M
  30: [1, 2], // BF16
  34: [256, 54], // TQ1_0
  35: [256, 66], // TQ2_0
  39: [32, 17], // MXFP4
};

/** Bytes of one tensor's data; null for a type this reader does not know. */
export function tensorBytes(type: number, dims: number[]): number | null {
  const size = TYPE_SIZES[type];
  if (!size) return null;
  const values = dims.reduce((n, d) => n * d, 1);
  return Math.ceil(values / size[0]) * size[1];
}
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
  /** A u64 that counts bytes or elements: a file larger than 2⁵³ bytes is not a model anyone has. */
  count(): number {
    return Number(this.u64());
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
  const tensorCount = r.count();
  const kvCount = r.count();
  const kv = new Map<string, Value>();
  let dataEnd: number | null = null;
  const unknownTypes = new Set<number>();
  try {
    for (let i = 0; i < kvCount; i++) {
      const key = r.str();
      kv.set(key, r.value(r.u32()));
    }
    dataEnd = tensorDataEnd(r, tensorCount, Number(kv.get('general.alignment') ?? DEFAULT_ALIGNMENT) || DEFAULT_ALIGNMENT, unknownTypes);
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
    tensorCount,
    dataEnd,
    unknownTypes: [...unknownTypes],
  };
}

/** Reads the tensor infos; where the data of the last tensor ends (null if a type is unknown). */
function tensorDataEnd(r: Reader, tensorCount: number, alignment: number, unknownTypes: Set<number>): number | null {
  let end = 0; // within the data section
  for (let i = 0; i < tensorCount; i++) {
    r.str(); // name
    const nDims = r.u32();
    if (nDims > 8) throw new GgufError('NotGguf', `The GGUF header describes a tensor with ${nDims} dimensions; ggml has at most 4.`);
    const dims = Array.from({ length: nDims }, () => r.count());
    const type = r.u32();
    const offset = r.count();
    const bytes = tensorBytes(type, dims);
    if (bytes === null) unknownTypes.add(type);
    else end = Math.max(end, offset + bytes);
  }
  const dataStart = Math.ceil(r.pos / alignment) * alignment;
  return unknownTypes.size > 0 ? null : dataStart + end;
}

/** Reads and checks the header of a GGUF blob (its tensor infos too, reading further when the
 *  vocabulary is large); throws a GgufError a person can act on. */
export async function readGgufHeader(file: Blob, fileName = file instanceof File ? file.name : 'This file'): Promise<GgufHeader> {
  let read = Math.min(file.size, HEADER_BYTES);
  let h = parseGgufHeader(await file.slice(0, read).arrayBuffer(), fileName);
  while (h.dataEnd === null && h.unknownTypes.length === 0 && read < file.size) {
    read = Math.min(file.size, read * 4);
    h = parseGgufHeader(await file.slice(0, read).arrayBuffer(), fileName);
  }
  if (h.dataEnd === null && h.unknownTypes.length === 0)
    throw new GgufError('Truncated', `${fileName} is cut short: it ends after ${bytesText(file.size)}, inside its header, before the model's weights. Download it again, or pick the complete file.`);
  checkRunnable(h, file.size, fileName);
  return h;
}

const bytesText = (n: number) => `${n.toLocaleString('en-US')} byte${n === 1 ? '' : 's'}`;

/** Refuses models this backend cannot use, and files that are not whole, with the reason. */
export function checkRunnable(h: GgufHeader, size: number, fileName = 'This file'): void {
  if (h.dataEnd !== null && size < h.dataEnd)
    throw new GgufError(
      'Truncated',
      `${fileName} is cut short: it has ${bytesText(size)} of the ${bytesText(h.dataEnd)} its header declares, so the last ${bytesText(h.dataEnd - size)} of the model's weights are missing and llama.cpp cannot load it. Download it again, or pick the complete file.`,
    );
  if (size > MAX_MODEL_BYTES)
    throw new GgufError(
      'TooLarge',
      `${fileName} is ${(size / 1024 ** 3).toFixed(1)} GB; llama.cpp in the browser reads at most ${MAX_MODEL_BYTES / 1024 ** 3} GB per file (its memory is 4 GB). Pick a smaller quantization (Q4) or a smaller model.`,
    );
  if (NOT_TEXT.has(h.architecture) || h.tokenizer === 'none')
    throw new GgufError('Unsupported', `${fileName} holds a "${h.architecture}" model, which cannot continue text, so it cannot read labels. Pick a causal language model (Llama, Qwen, Gemma, SmolLM, Phi, …).`);
}
