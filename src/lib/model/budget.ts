// Context budget (issue 3, item 6): every labeled item sits in the same sequence as context for
// the others, so the pool's labeled items must fit the model's context window together.

import type { Dataset } from '../data/types';
import { estimatingTokenizer, tokenCounts } from './tokens';

export interface ContextBudget {
  contextWindow: number; // tokens
  fixedTokens: number; // description and special tokens that every sequence carries
  allTokens: number; // the whole pool in one sequence
  maxItems: number; // how many items surely fit, counting the longest first
  fitsAll: boolean;
}

export function contextBudget(itemTokens: number[], contextWindow: number, fixedTokens = 0): ContextBudget {
  const longestFirst = [...itemTokens].sort((a, b) => b - a);
  let used = fixedTokens;
  let maxItems = 0;
  for (const t of longestFirst) {
    if (used + t > contextWindow) break;
    used += t;
    maxItems++;
  }
  const allTokens = itemTokens.reduce((a, b) => a + b, fixedTokens);
  return { contextWindow, fixedTokens, allTokens, maxItems, fitsAll: allTokens <= contextWindow };
}

/** The refusal the UI shows when a pool cannot fit; null when it does. */
export function budgetMessage(b: ContextBudget, poolSize: number): string | null {
  if (poolSize <= b.maxItems) return null;
  return `A pool of ${poolSize} items does not fit this model's context window of ${b.contextWindow} tokens: at most ${b.maxItems} items of this dataset surely fit. Lower the pool size to ${b.maxItems} or pick a model with a longer context.`;
}

/** A context budget, and whether it counts with the model's own tokenizer or estimates. */
export interface PoolBudget extends ContextBudget {
  exact: boolean; // false: estimated (estimateTokens), before the model is loaded
}

/** The budget of a model not loaded yet: its context, and tokens estimated (estimateTokens, which
 *  errs toward more) with a start token; once the model is loaded its own tokenizer counts. */
export function estimatedPoolBudget(dataset: Pick<Dataset, 'kind' | 'items' | 'description'>, contextWindow: number): PoolBudget {
  const counts = tokenCounts(estimatingTokenizer, dataset.kind, dataset.items, dataset.description, 1);
  return { ...contextBudget(counts.items, contextWindow, counts.fixed), exact: false };
}

/** The pool a new run starts with: the settings table's default, or fewer items where the chosen
 *  model's context cannot hold that many of this task's (every labeled item is context for the
 *  others). `reason` says why it is that size; null for the table's own default. */
export function defaultPool(tableDefault: number, budget: PoolBudget | null, modelName: string): { size: number; reason: string | null } {
  if (!budget || budget.maxItems >= tableDefault) return { size: tableDefault, reason: null };
  const size = Math.max(2, budget.maxItems);
  const how = budget.exact ? 'counted with its tokenizer' : 'estimated until it is loaded';
  return {
    size,
    reason: `${size} items of this task fit ${modelName}'s ${budget.contextWindow.toLocaleString('en-US')}-token context (${how}): each labeled item is context for the others.`,
  };
}
