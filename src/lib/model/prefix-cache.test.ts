import { describe, expect, it } from 'vitest';
import { commonPrefix, HeldPrompts } from './prefix-cache';

describe('what a server holds', () => {
  it('commonPrefix of token ids and of texts', () => {
    expect(commonPrefix([1, 2, 3], [1, 2, 4])).toBe(2);
    expect(commonPrefix([], [1])).toBe(0);
    expect(commonPrefix([1, 2], [1, 2, 3])).toBe(2);
    expect(commonPrefix('Question: a\nClaim', 'Question: b')).toBe(10);
  });

  it('one slot (llama-cpp-python): the last prompt sent', () => {
    const held = new HeldPrompts(1);
    expect(held.shared('abc')).toBe(0);
    held.sent('abcdef');
    expect(held.shared('abcxyz')).toBe(3);
    held.sent('xyz');
    expect(held.shared('abcxyz')).toBe(0); // gone: the slot holds the new prompt
    expect(held.shared('xy')).toBe(2);
  });

  it('several slots: a prompt takes the slot it shares most with, else the oldest', () => {
    const held = new HeldPrompts(2);
    held.sent('A: one');
    held.sent('B: two');
    expect([held.shared('A: one more'), held.shared('B: two more')]).toEqual([6, 6]);
    held.sent('A: one more'); // extends slot A's prompt, B's stays
    expect([held.shared('A: one more, and more'), held.shared('B: two')]).toEqual([11, 6]);
    held.sent('C: three'); // shares nothing: replaces the least recently used (B)
    expect([held.shared('A: one more'), held.shared('B: two'), held.shared('C: three')]).toEqual([11, 0, 8]);
  });

  it('a prompt that shares less than half of itself (a task description, say) takes the least recently used slot', () => {
    const held = new HeldPrompts(2);
    held.sent('Task. Question one, and a long claim');
    held.sent('Task. Question two, and a long claim');
    expect(held.shared('Task. Question one, and a long claim')).toBe(36); // both held, though they share "Task. Question "
    expect(held.shared('Task. Question two, and a long claim')).toBe(36);
  });
});
