import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGgufHeader } from './gguf';
import { modelKind } from './real-models';

// A GGUF v3 header written by hand: magic, version, tensor count, key-value count, then pairs.
function gguf(pairs: [string, 'string' | 'u32' | 'strings', string | number | string[]][]): Buffer {
  const parts: Buffer[] = [Buffer.from('GGUF', 'latin1')];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const u64 = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    return b;
  };
  const str = (s: string) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
  parts.push(u32(3), u64(0), u64(pairs.length));
  for (const [key, type, value] of pairs) {
    parts.push(str(key));
    if (type === 'string') parts.push(u32(8), str(String(value)));
    else if (type === 'u32') parts.push(u32(4), u32(Number(value)));
    else parts.push(u32(9), u32(8), u64((value as string[]).length), ...(value as string[]).map(str));
  }
  return Buffer.concat(parts);
}

const write = (buf: Buffer) => {
  const path = join(mkdtempSync(join(tmpdir(), 'gguf-')), 'm.gguf');
  writeFileSync(path, buf);
  return path;
};

describe('readGgufHeader', () => {
  it('reads strings, numbers and arrays, and summarises long arrays', async () => {
    const vocab = Array.from({ length: 1000 }, (_, i) => `t${i}`);
    const h = await readGgufHeader(write(gguf([['general.name', 'string', 'Gemma 3 270m'], ['gemma3.context_length', 'u32', 32768], ['tokenizer.ggml.tokens', 'strings', vocab], ['general.tags', 'strings', ['a', 'b']]])));
    expect(h.version).toBe(3);
    expect(h.metadata.get('general.name')).toBe('Gemma 3 270m');
    expect(h.metadata.get('gemma3.context_length')).toBe(32768);
    expect(h.metadata.get('tokenizer.ggml.tokens')).toEqual({ arrayOf: 'string', length: 1000 });
    expect(h.metadata.get('general.tags')).toEqual(['a', 'b']);
  });

  it('refuses a file that is not GGUF, or is cut short', async () => {
    await expect(readGgufHeader(write(Buffer.from('PK\x03\x04 not a model')))).rejects.toThrow(/is not a GGUF file/);
    await expect(readGgufHeader(write(gguf([['general.name', 'string', 'x']]).subarray(0, 30)))).rejects.toThrow(/truncated/);
  });
});

describe('modelKind', () => {
  const kind = async (pairs: Parameters<typeof gguf>[0]) => modelKind(await readGgufHeader(write(gguf(pairs))));
  it('calls a model with a chat template, or an instruct / it name, instruct; otherwise base', async () => {
    expect(await kind([['general.name', 'string', 'Smollm2 135M'], ['tokenizer.chat_template', 'string', '{% for m in messages %}']])).toBe('instruct');
    expect(await kind([['general.name', 'string', 'Gemma 3 270m It']])).toBe('instruct');
    expect(await kind([['general.finetune', 'string', 'Instruct']])).toBe('instruct');
    expect(await kind([['general.name', 'string', 'Gemma 3 270m']])).toBe('base');
  });
});
