// What ICM sees of a dataset's pool: groups, keys and the task's consistency rules, never text or gold.
import type { Problem } from '../icm/problem';
import type { Dataset } from './types';

export function problemOf(dataset: Dataset, pool: number[]): Problem {
  return {
    items: pool.map((d) => ({ group: dataset.items[d].group, key: dataset.items[d].key })),
    comparison: dataset.kind === 'comparison',
    exclusive: dataset.exclusive ?? true,
  };
}
