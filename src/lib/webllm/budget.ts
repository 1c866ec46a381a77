// Context budget (issue 3, item 6): every labeled item sits in the same sequence as context for
// the others, so the pool's labeled items must fit the model's context window together.

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
