// What the worker tells the screens about datasets and runs: summaries (with what the page
// cannot compute from a run's log), the current labels with confidences, and the rows of the
// items table. Pure functions of stored records, so a reopened run shows exactly what was persisted.

import type { Dataset } from '../src/lib/data/types';
import { itemPrompt } from '../src/lib/data/prompt';
import { accuracy, confidence as confidenceIn } from '../src/lib/eval/figures';
import type { RunState } from '../src/lib/icm/search';
import type { DatasetSummary, ItemRow, LabelsView, RunFigures, RunSpeed, RunSummary } from '../src/lib/protocol';
import type { RunRecord } from '../src/lib/store/schema';
import { publicModelSpec } from '../src/lib/server/secrets';

const hasGold = (dataset: Dataset) => dataset.items.some((item) => item.gold !== undefined);

export function datasetSummary(dataset: Dataset, builtin: boolean): DatasetSummary {
  return {
    id: dataset.id,
    name: dataset.name,
    kind: dataset.kind,
    description: dataset.description,
    items: dataset.items.length,
    groups: new Set(dataset.items.map((item) => item.group)).size,
    hasGold: hasGold(dataset),
    builtin,
  };
}

/** Share of labeled pool items whose label equals gold: evaluation only, never fed to the search.
 *  null when the dataset has no gold or nothing with gold is labeled yet. */
const poolAccuracy = (state: RunState, run: RunRecord, dataset: Dataset): number | null =>
  accuracy(
    state.labels,
    run.pool.map((d) => dataset.items[d]?.gold),
  );

export function figures(run: RunRecord, dataset: Dataset, speed: RunSpeed | null = null): RunFigures {
  const s = run.state;
  return {
    iteration: s?.iteration ?? 0,
    pool: run.pool.length,
    accuracy: s === null ? null : poolAccuracy(s, run, dataset),
    constants: s?.constants ?? null,
    speed,
  };
}

export function runSummary(run: RunRecord, dataset: Dataset, speed: RunSpeed | null = null): RunSummary {
  const { id, name, datasetId, createdAt, status, config, error } = run;
  // the page never needs a server's API key: it stays with the worker and IndexedDB
  return { id, name, datasetId, createdAt, status, config, model: publicModelSpec(run.model), error, figures: figures(run, dataset, speed), stepsPerSecond: run.stepsPerSecond ?? null };
}

/** Labels per pool index; confidence = P(current label) from the last evaluation's log-odds. */
export function labelsView(run: RunRecord): LabelsView {
  const s = run.state;
  if (s === null) return { labels: run.pool.map(() => null), confidence: run.pool.map(() => null) };
  const confidence = s.labels.map((label, i) => {
    const lo = s.logOdds[i];
    return label === null || lo === null || lo === undefined ? null : confidenceIn(label, lo);
  });
  return { labels: [...s.labels], confidence };
}

export function itemRows(run: RunRecord, dataset: Dataset): ItemRow[] {
  return run.pool.map((d, index) => {
    const item = dataset.items[d];
    return { index, id: item.id, group: item.group, key: item.key, text: itemPrompt(dataset.kind, item), gold: item.gold ?? null };
  });
}
