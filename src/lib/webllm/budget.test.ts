import { describe, expect, it } from 'vitest';
import { budgetMessage, contextBudget } from './budget';

describe('context budget', () => {
  it('counts how many items surely fit, longest first', () => {
    const b = contextBudget([100, 50, 300, 200], 560, 10);
    expect(b).toEqual({ contextWindow: 560, fixedTokens: 10, allTokens: 660, maxItems: 2, fitsAll: false });
    expect(budgetMessage(b, 2)).toBeNull();
    expect(budgetMessage(b, 4)).toMatch(/pool of 4 items does not fit.*560 tokens.*at most 2/);
    expect(contextBudget([10, 10], 100).fitsAll).toBe(true);
  });
});
