import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/types';
import { mergeLabels } from './labels';
import { preferenceJsonl, preferencePairs, sftJsonl } from './training';

const math: Dataset = {
  id: 'm',
  name: 'm',
  kind: 'math',
  description: '',
  items: [
    { id: '1', group: 'p', key: '4', question: '2+2?', claim: '2+2=4' },
    { id: '2', group: 'p', key: '5', question: '2+2?', claim: '2+2=5' },
  ],
};

const pair = (id: string, q: string, r1: string, r2: string, group: string) => ({ id, group, key: r1 < r2 ? 'a>b' : 'b>a', question: q, claim: r1, response2: r2 });
const cmp: Dataset = {
  id: 'c',
  name: 'c',
  kind: 'comparison',
  description: '',
  items: [
    pair('1', 'Name a fruit.', 'Apple.', 'No.', 'g0'),
    pair('2', 'Name a fruit.', 'No.', 'Apple.', 'g0'),
    pair('3', 'Say hi.', 'Hi!', 'Bye.', 'g1'),
    pair('4', 'Say hi.', 'Bye.', 'Hi!', 'g1'),
    pair('5', 'Count.', 'One two.', 'Blue.', 'g2'),
  ],
};

describe('training files', () => {
  it('SFT: the item prompt in the layout the model read, the label token as completion', () => {
    const labels = mergeLabels(2, { icm: [{ item: 0, label: true }, { item: 1, label: false }] });
    expect(sftJsonl(math, labels)).toBe(
      '{"prompt":"Question: 2+2?\\nClaim: 2+2=4\\nI think this claim is","completion":" True"}\n' +
        '{"prompt":"Question: 2+2?\\nClaim: 2+2=5\\nI think this claim is","completion":" False"}\n',
    );
  });

  it('preference pairs: one per pair of responses, both orders agreeing; conflicts left out and counted', () => {
    const labels = mergeLabels(5, {
      icm: [
        { item: 0, label: true }, // Apple. > No.
        { item: 1, label: false }, // agrees
        { item: 2, label: true }, // Hi! > Bye.
        { item: 3, label: true }, // Bye. > Hi!: conflict
        { item: 4, label: false }, // one order only: Blue. > One two.
      ],
    });
    const r = preferencePairs(cmp, labels);
    expect(r).toEqual({
      ok: true,
      conflicts: 1,
      records: [
        { prompt: 'Name a fruit.', chosen: 'Apple.', rejected: 'No.' },
        { prompt: 'Count.', chosen: 'Blue.', rejected: 'One two.' },
      ],
    });
    if (r.ok) expect(preferenceJsonl(r.records).split('\n')[0]).toBe('{"prompt":"Name a fruit.","chosen":"Apple.","rejected":"No."}');
    expect(preferencePairs(math, [])).toMatchObject({ ok: false });
  });
});
