import { existsSync, openAsBlob, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allocatedContext, ggufModels, kvBudget, kvBytes } from '../../../src/lib/gguf/catalog';
import { checkRunnable, GgufError, MAX_MODEL_BYTES, parseGgufHeader, readGgufHeader } from './gguf';
import { gguf, type Tensor } from './test-gguf';

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

  // the shapes of a tiny model: an F32 norm, a Q4_0 matrix, a Q6_K embedding, a Q4_1 output
  const tensors: Tensor[] = [
    { name: 'output_norm.weight', dims: [576], type: 0 },
    { name: 'blk.0.attn_q.weight', dims: [64, 3], type: 2 },
    { name: 'token_embd.weight', dims: [256, 5], type: 14 },
    { name: 'output.weight', dims: [96, 7], type: 3 },
  ];

  it('reads the tensor infos and knows how long the whole file must be', async () => {
    const file = gguf(llama, 3, tensors, false);
    const h = await readGgufHeader(new Blob([file]), 'tiny.gguf');
    expect(h.tensorCount).toBe(4);
    expect(h.dataEnd).toBe(file.byteLength);
    expect(h.unknownTypes).toEqual([]);
    // 576·4 = 2304; 64·3/32 blocks of 18 = 108 → 128; 256·5/256 blocks of 210 = 1050 → 1056; 96·7/32 blocks of 20 = 420
    const header = gguf(llama, 3, tensors).byteLength;
    expect(file.byteLength).toBe(Math.ceil(header / 32) * 32 + 2304 + 128 + 1056 + 420);
  });

  it('refuses a file cut short, saying how much of it there is and what to do', async () => {
    const file = gguf(llama, 3, tensors, false);
    const cut = new Blob([file.slice(0, file.byteLength - 1)]);
    const refusal = readGgufHeader(cut, 'tiny.gguf');
    await expect(refusal).rejects.toMatchObject({ name: 'GgufError', code: 'Truncated' });
    await expect(refusal).rejects.toThrow(
      `tiny.gguf is cut short: it has ${(file.byteLength - 1).toLocaleString('en-US')} bytes of the ${file.byteLength.toLocaleString('en-US')} bytes its header declares, so the last 1 byte of the model's weights are missing and llama.cpp cannot load it. Download it again, or pick the complete file.`,
    );
    // a file that ends inside its tensor infos: no model weights at all
    const header = gguf(llama, 3, tensors);
    await expect(readGgufHeader(new Blob([header.slice(0, header.byteLength - 10)]), 'tiny.gguf')).rejects.toThrow(/tiny.gguf is cut short: it ends after [\d,]+ bytes, inside its header/);
  });

  it('honours general.alignment, and skips the size check for a tensor type it does not know', async () => {
    const aligned = gguf({ ...llama, 'general.alignment': 64 }, 3, tensors, false);
    const h = await readGgufHeader(new Blob([aligned]));
    expect(h.dataEnd).toBe(aligned.byteLength);
    expect(h.dataEnd).not.toBe(gguf(llama, 3, tensors, false).byteLength);
    const future = parseGgufHeader(gguf(llama, 3, [...tensors, { name: 'x', dims: [32], type: 77 }]));
    expect(future).toMatchObject({ dataEnd: null, unknownTypes: [77] });
    expect(() => checkRunnable(future, 10)).not.toThrow(); // llama.cpp says what it makes of it
  });

  const real = [
    { path: '.models/SmolLM2-135M-Instruct.Q4_1.gguf', architecture: 'llama', context: 8192, kv: kvBytes(30, 3, 64, 64) },
    { path: '.models/gemma-3-270m-q4_k_m.gguf', architecture: 'gemma3', context: 32768, kv: kvBytes(18, 1, 256, 256) }, // head size 256, not 640 / 4
  ];
  for (const m of real)
    it.skipIf(!existsSync(m.path))(`reads the real ${m.path}`, async () => {
      const h = await readGgufHeader(await openAsBlob(m.path), m.path); // the file itself, read lazily
      expect(h.architecture).toBe(m.architecture);
      expect(h.contextLength).toBe(m.context);
      expect(h.blockCount).toBeGreaterThan(0);
      expect(h.kvBytesPerToken).toBe(m.kv); // as the catalog counts its own models
      expect(() => checkRunnable(h, statSync(m.path).size)).not.toThrow();
      expect(h.dataEnd).toBe(statSync(m.path).size); // every tensor's data, to the last byte
    });

  const smol = real[0].path;
  it.skipIf(!existsSync(smol))('refuses the real SmolLM2 file missing its last byte, before llama.cpp sees it', async () => {
    const size = statSync(smol).size;
    const whole = await openAsBlob(smol);
    expect((await readGgufHeader(whole, 'SmolLM2.gguf')).dataEnd).toBe(size);
    await expect(readGgufHeader(whole.slice(0, size - 1), 'SmolLM2.gguf')).rejects.toThrow(
      `SmolLM2.gguf is cut short: it has ${(size - 1).toLocaleString('en-US')} bytes of the ${size.toLocaleString('en-US')} bytes its header declares, so the last 1 byte of the model's weights are missing`,
    );
    // a download that broke off at 60% is refused the same way
    await expect(readGgufHeader(whole.slice(0, Math.round(size * 0.6)), 'SmolLM2.gguf')).rejects.toThrow(/is cut short: it has [\d,]+ bytes of the [\d,]+ bytes its header declares/);
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

