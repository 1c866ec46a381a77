import { describe, expect, it } from 'vitest';
import { methodShort, oneLine, provenanceText, shortLabel } from './review-format';

describe('review table text', () => {
  it('drops the prompt\'s fixed closing lines and collapses white space', () => {
    // what differs between the items of a group comes first (issue 25, item 9: at 390 px every row read "Question: …")
    expect(oneLine('Question: What is 1 + 1?\nShow the work.\nClaim: 2\nI think this claim is')).toBe('2 · What is 1 + 1? Show the work.');
    expect(oneLine('Human: Hi\nResponse 1: a\nResponse 2: b\nClaim: Response 1 is better than Response 2.\nI think this claim is')).toBe('1: a · 2: b · Hi');
    expect(oneLine('plain text')).toBe('plain text');
    expect(oneLine('x'.repeat(1000))).toHaveLength(240);
  });

  it('writes sources and labels for narrow columns', () => {
    expect([provenanceText('icm'), provenanceText('label-the-rest'), provenanceText(null)]).toEqual(['ICM', 'rest', '—']);
    expect([shortLabel(true), shortLabel(false), shortLabel(null)]).toEqual(['T', 'F', '—']);
    expect(['Zero-shot', 'Few-shot, random labels', 'Bootstrapped few-shot', 'Few-shot, gold labels'].map(methodShort)).toEqual(['Zero-shot', 'Random few-shot', 'Boot-strapped', 'Gold few-shot']);
    expect(methodShort('Something else')).toBe('Something else');
  });
});
