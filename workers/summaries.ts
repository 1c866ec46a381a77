// What the worker tells the screens about datasets and runs: summaries, live figures, the
// current labels with confidences, and the rows of the items table. Pure functions of
// stored records, so a reopened run shows exactly what was persisted.

import type { Dataset } from '../src/lib/data/types';
import { itemPrompt } from '../src/lib/data/prompt';
import { accuracy, confidence as confidenceIn } from '../src/lib/eval/figures';
import { temperature } from '../src/lib/icm/annealing';
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
  const common = { iterations: run.config.iterations, pool: run.pool.length, speed };
  if (s === null) {
    const T = temperature(run.config, { iteration: 0, accepted: 0 });
    return { ...common, iteration: 0, labeled: 0, trues: 0, constants: null, U: 0, P: 0, I: 0, T, acceptRate: 0, accuracy: null, tokens: 0 };
  }
  return {
    ...common,
    iteration: s.iteration,
    labeled: s.labels.filter((l) => l !== null).length,
    trues: s.labels.filter((l) => l === true).length,
    constants: s.constants ?? null,
    U: s.U,
    P: s.P,
    I: s.I,
    T: temperature(run.config, s), // the temperature the next step will use
    acceptRate: s.proposals === 0 ? 0 : s.accepted / s.proposals,
    accuracy: poolAccuracy(s, run, dataset),
    tokens: s.tokens,
  };
}

export function runSummary(run: RunRecord, dataset: Dataset, speed: RunSpeed | null = null): RunSummary {
  const { id, name, datasetId, createdAt, status, config, error } = run;
  // the page never needs a server's API key: it stays with the worker and IndexedDB
  return { id, name, datasetId, createdAt, status, config, model: publicModelSpec(run.model), error, figures: figures(run, dataset, speed) };
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
