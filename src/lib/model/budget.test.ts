import { describe, expect, it } from 'vitest';
import { builtinDatasets } from '../data/builtin/index';
import { settings } from '../icm/config';
import { budgetMessage, contextBudget, defaultPool, estimatedPoolBudget } from './budget';
import { qwenTokenizer } from './test-tokenizers';
import { tokenCounts } from './tokens';

describe('context budget', () => {
  it('counts how many items surely fit, longest first', () => {
    const b = contextBudget([100, 50, 300, 200], 560, 10);
    expect(b).toEqual({ contextWindow: 560, fixedTokens: 10, allTokens: 660, maxItems: 2, fitsAll: false });
    expect(budgetMessage(b, 2)).toBeNull();
    expect(budgetMessage(b, 4)).toMatch(/pool of 4 items does not fit.*560 tokens.*at most 2/);
    expect(contextBudget([10, 10], 100).fitsAll).toBe(true);
  });
});

describe('the default pool', () => {
  it('on every built-in task, the default pool for a 4096-token Qwen model fits, estimated or counted', { timeout: 60_000 }, () => {
    const tok = qwenTokenizer();
    const fitting: Record<string, number> = {};
    for (const ds of builtinDatasets()) {
      const counts = tokenCounts(tok, ds.kind, ds.items, ds.description);
      const exact = contextBudget(counts.items, 4096, counts.fixed);
      const estimate = estimatedPoolBudget(ds, 4096);
      fitting[ds.kind] = exact.maxItems;
      // the estimate errs toward fewer items, never past what the real tokenizer fits
      expect(estimate.maxItems).toBeLessThanOrEqual(exact.maxItems);
      expect(estimate.maxItems).toBeGreaterThan(exact.maxItems / 2);
      for (const [budget, how] of [
        [{ ...estimate, exact: false }, 'estimated until it is loaded'],
        [{ ...exact, exact: true }, 'counted with its tokenizer'],
      ] as const) {
        const pool = defaultPool(settings.poolSize.default, budget, 'Qwen2.5 0.5B');
        expect(budgetMessage(exact, pool.size)).toBeNull(); // Create run is not refused
        expect(pool.reason).toContain(`${pool.size} items of this task fit Qwen2.5 0.5B's 4,096-token context (${how})`);
      }
    }
    expect(fitting).toEqual({ math: 32, factual: 126, comparison: 40 }); // all below the table's 128
  });

  it("keeps the table's default where it fits or no limit is known", () => {
    expect(defaultPool(128, null, 'the model')).toEqual({ size: 128, reason: null });
    expect(defaultPool(128, { ...contextBudget(new Array(300).fill(10), 8192), exact: true }, 'M')).toEqual({ size: 128, reason: null });
  });
});
