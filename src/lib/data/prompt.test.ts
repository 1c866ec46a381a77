import { describe, expect, it } from 'vitest';
import { itemPrompt, labelText, sequencePrompt } from './prompt';
import type { DataItem } from './types';

const claims: DataItem[] = [
  { id: 'a', group: 'g', key: '4', question: 'What is 2 + 2?', claim: '4' },
  { id: 'b', group: 'g', key: '5', question: 'What is 2 + 2?', claim: '5' },
  { id: 'c', group: 'h', key: 'paris', question: 'What is the capital of France?', claim: 'Paris' },
];
const pair: DataItem = { id: 'p', group: 'g', key: 'a>b', question: 'Say hi.', claim: 'Hi!', response2: 'No.' };

describe('prompt text', () => {
  it('claim tasks use the official layout, without the label', () => {
    expect(itemPrompt('math', claims[0])).toBe('Question: What is 2 + 2?\nClaim: 4\nI think this claim is');
    expect(itemPrompt('factual', claims[2])).toBe('Question: What is the capital of France?\nClaim: Paris\nI think this claim is');
  });

  it('comparison shows the query, both responses and the claim', () => {
    expect(itemPrompt('comparison', pair)).toBe(
      'Human: Say hi.\nResponse 1: Hi!\nResponse 2: No.\nClaim: Response 1 is better than Response 2.\nI think this claim is',
    );
  });

  it('labels are " True" and " False"', () => {
    expect(labelText(true)).toBe(' True');
    expect(labelText(false)).toBe(' False');
  });

  it('a sequence: demonstrations with labels, blank lines between, target last', () => {
    const segments = [
      { item: 1, read: false, label: false },
      { item: 2, read: false, label: true },
      { item: 0, read: true, label: null },
    ];
    expect(sequencePrompt('math', claims, segments)).toBe(
      'Question: What is 2 + 2?\nClaim: 5\nI think this claim is False\n\n' +
        'Question: What is the capital of France?\nClaim: Paris\nI think this claim is True\n\n' +
        'Question: What is 2 + 2?\nClaim: 4\nI think this claim is',
    );
  });

  it('a sequence can open with the task description', () => {
    const text = sequencePrompt('comparison', [pair], [{ item: 0, read: true, label: null }], 'Which response is better?');
    expect(text).toBe(
      'Which response is better?\n\nHuman: Say hi.\nResponse 1: Hi!\nResponse 2: No.\nClaim: Response 1 is better than Response 2.\nI think this claim is',
    );
  });

  it('a read demonstration keeps its label in the text', () => {
    expect(sequencePrompt('factual', claims, [{ item: 2, read: true, label: false }])).toBe(
      'Question: What is the capital of France?\nClaim: Paris\nI think this claim is False',
    );
  });
});
