// A small reader for a GGUF file's header: the metadata key-value pairs llama.cpp writes before
// the tensors (format: ggml's docs/gguf.md, versions 2 and 3, little-endian). Arrays are kept
// only when short (the tokenizer's vocabulary is skipped, with its length), so reading the
// header of a 250 MB model costs a few megabytes of reads.
import { open, type FileHandle } from 'node:fs/promises';

export type GgufValue = string | number | bigint | boolean | GgufValue[] | { arrayOf: string; length: number };

export interface GgufHeader {
  version: number;
  tensorCount: bigint;
  metadata: Map<string, GgufValue>;
}

const TYPES = ['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'f32', 'bool', 'string', 'array', 'u64', 'i64', 'f64'] as const;
const KEEP_ARRAY = 64; // longer arrays are summarised as { arrayOf, length }

/** Reads the header's metadata; throws with the path when the file is not GGUF. */
export async function readGgufHeader(path: string): Promise<GgufHeader> {
  const file = await open(path, 'r');
  try {
    const r = new Reader(file);
    const magic = (await r.bytes(4)).toString('latin1');
    if (magic !== 'GGUF') throw new Error(`${path} is not a GGUF file (it starts with ${JSON.stringify(magic)}).`);
    const version = await r.u32();
    if (version < 2) throw new Error(`${path} is GGUF version ${version}; only versions 2 and 3 are read.`);
    const tensorCount = await r.u64();
    const kvCount = Number(await r.u64());
    const metadata = new Map<string, GgufValue>();
    for (let i = 0; i < kvCount; i++) {
      const key = await r.string();
      metadata.set(key, await r.value(await r.u32()));
    }
    return { version, tensorCount, metadata };
  } finally {
    await file.close();
  }
}

class Reader {
  private buf = Buffer.alloc(0);
  private at = 0; // read position within buf
  private fileAt = 0; // file offset of buf's end
  constructor(private file: FileHandle) {}

  private async need(n: number): Promise<void> {
    if (this.buf.length - this.at >= n) return;
    const chunk = Buffer.alloc(Math.max(n, 1 << 20));
    const { bytesRead } = await this.file.read(chunk, 0, chunk.length, this.fileAt);
    this.fileAt += bytesRead;
    this.buf = Buffer.concat([this.buf.subarray(this.at), chunk.subarray(0, bytesRead)]);
    this.at = 0;
    if (this.buf.length < n) throw new Error('The GGUF header ends early: the file is truncated.');
  }
  async bytes(n: number): Promise<Buffer> {
    await this.need(n);
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  async u32(): Promise<number> {
    return (await this.bytes(4)).readUInt32LE(0);
  }
  async u64(): Promise<bigint> {
    return (await this.bytes(8)).readBigUInt64LE(0);
  }
  async string(): Promise<string> {
    return (await this.bytes(Number(await this.u64()))).toString('utf8');
  }
  async value(type: number): Promise<GgufValue> {
    switch (TYPES[type]) {
      case 'u8': return (await this.bytes(1)).readUInt8(0);
      case 'i8': return (await this.bytes(1)).readInt8(0);
      case 'u16': return (await this.bytes(2)).readUInt16LE(0);
      case 'i16': return (await this.bytes(2)).readInt16LE(0);
      case 'u32': return this.u32();
      case 'i32': return (await this.bytes(4)).readInt32LE(0);
      case 'f32': return (await this.bytes(4)).readFloatLE(0);
      case 'bool': return (await this.bytes(1)).readUInt8(0) !== 0;
      case 'string': return this.string();
      case 'u64': return this.u64();
      case 'i64': return (await this.bytes(8)).readBigInt64LE(0);
      case 'f64': return (await this.bytes(8)).readDoubleLE(0);
      case 'array': {
        const itemType = await this.u32();
        const length = Number(await this.u64());
        const items: GgufValue[] = [];
        for (let i = 0; i < length; i++) {
          const v = await this.value(itemType);
          if (length <= KEEP_ARRAY) items.push(v);
        }
        return length <= KEEP_ARRAY ? items : { arrayOf: TYPES[itemType] ?? String(itemType), length };
      }
      default:
        throw new Error(`Unknown GGUF value type ${type}.`);
    }
  }
}
