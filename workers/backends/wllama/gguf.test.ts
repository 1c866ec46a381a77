import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allocatedContext, ggufModels, kvBudget, kvBytes } from '../../../src/lib/gguf/catalog';
import { checkRunnable, GgufError, MAX_MODEL_BYTES, parseGgufHeader, readGgufHeader } from './gguf';

/** A GGUF header with string and u32 values and one string array (as the vocabulary is stored). */
function gguf(kv: Record<string, string | number | string[]>, version = 3): ArrayBuffer {
  const parts: Uint8Array[] = [];
  const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
  const u64 = (n: number) => new Uint8Array(new BigUint64Array([BigInt(n)]).buffer);
  const str = (s: string) => {
    const b = new TextEncoder().encode(s);
    parts.push(u64(b.length), b);
  };
  parts.push(new TextEncoder().encode('GGUF'), u32(version), u64(0), u64(Object.keys(kv).length));
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
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.buffer;
}

const llama = {
  'general.architecture': 'llama',
  'general.name': 'Tiny',
  'general.license': 'apache-2.0',
  'llama.context_length': 8192,
  'llama.block_count': 30,
  'llama.embedding_length': 576,
  'llama.attention.head_count': 9,
  'llama.attention.head_count_kv': 3,
  'tokenizer.ggml.model': 'gpt2',
  'tokenizer.ggml.tokens': ['a', 'b', ' True', ' False'],
};

describe('GGUF header', () => {
  it('reads the architecture, context length, licence and shape', () => {
    const h = parseGgufHeader(gguf(llama));
    expect(h).toMatchObject({ version: 3, architecture: 'llama', name: 'Tiny', license: 'apache-2.0', contextLength: 8192, blockCount: 30, headCountKv: 3, tokenizer: 'gpt2' });
  });

  it('refuses a file that is not a GGUF, saying what to pick', () => {
    const csv = new TextEncoder().encode('id,question,claim\n1,a,b\n'.repeat(3)).buffer;
    expect(() => parseGgufHeader(csv, 'data.csv')).toThrow(/data.csv is not a GGUF model file/);
  });

  it('refuses models that cannot continue text, and files above the size llama.cpp in the browser reads', () => {
    const bert = parseGgufHeader(gguf({ ...llama, 'general.architecture': 'bert' }));
    expect(() => checkRunnable(bert, 1000, 'e5.gguf')).toThrow(/"bert" model, which cannot continue text/);
    const h = parseGgufHeader(gguf(llama));
    try {
      checkRunnable(h, MAX_MODEL_BYTES + 1, 'big.gguf');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GgufError);
      expect((e as GgufError).code).toBe('TooLarge');
      expect((e as Error).message).toMatch(/big.gguf is 2.0 GB; .* at most 2 GB/);
    }
  });

  it('keeps what it read when the header is longer than the bytes given', () => {
    const full = gguf(llama);
    const h = parseGgufHeader(full.slice(0, full.byteLength - 6));
    expect(h.architecture).toBe('llama');
    expect(() => parseGgufHeader(full.slice(0, 30))).toThrow(GgufError);
  });

  const real = [
    { path: '.models/SmolLM2-135M-Instruct.Q4_1.gguf', architecture: 'llama', context: 8192, kv: kvBytes(30, 3, 64, 64) },
    { path: '.models/gemma-3-270m-q4_k_m.gguf', architecture: 'gemma3', context: 32768, kv: kvBytes(18, 1, 256, 256) }, // head size 256, not 640 / 4
  ];
  for (const m of real)
    it.skipIf(!existsSync(m.path))(`reads the real ${m.path}`, async () => {
      const fd = openSync(m.path, 'r');
      const buf = Buffer.alloc(16 * 1024 * 1024);
      readSync(fd, buf, 0, buf.length, 0);
      closeSync(fd);
      const h = await readGgufHeader(new Blob([buf]), m.path);
      expect(h.architecture).toBe(m.architecture);
      expect(h.contextLength).toBe(m.context);
      expect(h.blockCount).toBeGreaterThan(0);
      expect(h.kvBytesPerToken).toBe(m.kv); // as the catalog counts its own models
      expect(() => checkRunnable(h, statSync(m.path).size)).not.toThrow();
    });
});

describe('the context the backend allocates', () => {
  it('keeps the f32 KV cache within the budget: the model\'s own length, at most 8192 tokens, fewer for wide models', () => {
    expect(allocatedContext(8192, kvBytes(30, 3, 64, 64))).toBe(8192); // SmolLM2 135M: 360 MiB
    expect(allocatedContext(2048, kvBytes(30, 3, 64, 64))).toBe(2048);
    expect(allocatedContext(131072, kvBytes(28, 8, 128, 128))).toBe(2304); // Llama 3.2 3B-shaped: 224 KiB a token
    for (const m of ggufModels) expect(allocatedContext(m.context, m.kvBytesPerToken) * m.kvBytesPerToken).toBeLessThanOrEqual(kvBudget);
    expect(allocatedContext(0, 0)).toBe(2048); // nothing known: llama.cpp's usual default
  });
});

