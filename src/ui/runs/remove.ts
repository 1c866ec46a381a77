// Deleting a run or a dataset from any screen that lists them: the question asked first, naming
// what goes with it, then the request. Returns whether it was deleted.

import { runIdFromHash, type AppState } from '../../lib/client/app.svelte';
import type { DatasetSummary, RunSummary } from '../../lib/protocol';

export async function removeRun(app: AppState, run: Pick<RunSummary, 'id' | 'name'>): Promise<boolean> {
  if (!confirm(`Delete run “${run.name}”? Its labels and step log are removed from this browser.`)) return false;
  const deleted = await app.deleteRun(run.id);
  if (deleted && runIdFromHash(location.hash) === run.id) location.hash = '';
  return deleted;
}

export async function removeDataset(app: AppState, d: Pick<DatasetSummary, 'id' | 'name'>): Promise<boolean> {
  const runs = app.runs.filter((r) => r.datasetId === d.id).length;
  const also = runs > 0 ? ` and its ${runs} run${runs === 1 ? '' : 's'} (labels, step logs)` : '';
  if (!confirm(`Delete dataset “${d.name}”${also}, with your review decisions on it, from this browser? Download a project file first to keep a copy.`)) return false;
  return app.deleteDataset(d.id);
}
