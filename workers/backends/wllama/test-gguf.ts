// Small GGUF files for tests, written as llama.cpp's writer lays them out (ggml's docs/gguf.md):
// the header with its key-value pairs, the tensor infos (each tensor's data at an aligned offset),
// then the data. Used by the header's unit tests and by the end-to-end tests of model files.
import { tensorBytes } from './gguf';

export interface Tensor {
  name: string;
  dims: number[];
  type: number; // ggml type
}

/** A GGUF file: a header with string and u32 values and one string array (as the vocabulary is
 *  stored), the infos of `tensors` laid out as llama.cpp's writer does (each tensor's data at an
 *  aligned offset), then their data, unless `headerOnly`. */
export function gguf(kv: Record<string, string | number | string[]>, version = 3, tensors: Tensor[] = [], headerOnly = true): ArrayBuffer {
  const alignment = typeof kv['general.alignment'] === 'number' ? kv['general.alignment'] : 32;
  const parts: Uint8Array[] = [];
  const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
  const u64 = (n: number) => new Uint8Array(new BigUint64Array([BigInt(n)]).buffer);
  const str = (s: string) => {
    const b = new TextEncoder().encode(s);
    parts.push(u64(b.length), b);
  };
  parts.push(new TextEncoder().encode('GGUF'), u32(version), u64(tensors.length), u64(Object.keys(kv).length));
  for (const [k, v] of Object.entries(kv)) {
    str(k);
    if (typeof v === 'string') {
      parts.push(u32(8));
      str(v);
    } else if (typeof v === 'number') parts.push(u32(4), u32(v));
    else {
      parts.push(u32(9), u32(8), u64(v.length));
      v.forEach(str);
    }
  }
  let offset = 0;
  for (const t of tensors) {
    str(t.name);
    parts.push(u32(t.dims.length), ...t.dims.map(u64), u32(t.type), u64(offset));
    offset += Math.ceil((tensorBytes(t.type, t.dims) ?? 0) / alignment) * alignment;
  }
  if (!headerOnly && tensors.length > 0) {
    const header = parts.reduce((n, p) => n + p.length, 0);
    const last = tensors.at(-1) as Tensor;
    const lastOffset = offset - Math.ceil((tensorBytes(last.type, last.dims) ?? 0) / alignment) * alignment;
    parts.push(new Uint8Array(Math.ceil(header / alignment) * alignment - header)); // padding to the data section
    parts.push(new Uint8Array(lastOffset + (tensorBytes(last.type, last.dims) ?? 0)).fill(7)); // the weights
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.buffer;
}

