// The three built-in generated tasks (DESIGN §5). Deterministic: every call returns the
// same items, so a run is reproducible from (dataset, settings, seed).

import type { Dataset } from '../types';
import { comparisonDataset } from './comparison';
import { factualDataset } from './factual';
import { mathDataset } from './math';

export { comparisonDataset, factualDataset, mathDataset };

export function builtinDatasets(): Dataset[] {
  return [mathDataset(), factualDataset(), comparisonDataset()];
}
