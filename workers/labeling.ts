// The private-labeling workflow in the worker (issue 5): import a file (import.ts), label
// the rest of a dataset with a run's labels as demonstrations, baselines on the same items and
// model, review decisions, and export: its part of the host's handler table.

import { itemPrompt } from '../src/lib/data/prompt';
import type { Dataset } from '../src/lib/data/types';
import { availableBaselines, baselineNames, runBaseline } from '../src/lib/eval/baselines';
import { labelTheRest, type LabelTheRestRecord } from '../src/lib/eval/labelTheRest';
import { compareMethods } from '../src/lib/eval/metrics';
import type { LabelModel } from '../src/lib/icm/model';
import { confidence } from '../src/lib/icm/score';
import { labelsCsv, labelsJsonl, mergeLabels, type ItemLabel } from '../src/lib/export/labels';
import { buildProject, parseProject, serializeProject } from '../src/lib/export/project';
import { fileSlug, fileStamp } from '../src/lib/model/names';
import { preferenceJsonl, preferencePairs, sftJsonl } from '../src/lib/export/training';
import type { DatasetSummary, ExportFile, ReplyMap, ReviewRow, WorkerMessage } from '../src/lib/protocol';
import type { Store } from '../src/lib/store/db';
import type { RunRecord } from '../src/lib/store/schema';
import { originOf } from '../src/lib/server/errors';
import { HostError } from './errors';
import type { Handlers, Req } from './handlers';
import { createImport } from './import';
import type { Kinds } from './backends/kinds';

export interface LabelingContext {
  store(): Promise<Store>;
  dataset(id: string): Promise<Dataset>;
  run(id: string): Promise<RunRecord>;
  /** The run's model over these dataset indices (Segment.item k is dataset item indices[k]). */
  model(run: RunRecord, dataset: Dataset, indices: number[]): Promise<LabelModel>;
  datasetAdded(dataset: Dataset): DatasetSummary;
  kinds: Kinds; // the model kinds a project's runs may be of
  projectImported(): void; // tells the other tabs
  post(m: WorkerMessage): void;
  now(): number;
  newId(): string;
}

/** Why few-shot with gold labels did not run on a server: its demonstrations are the gold labels. */
export const goldWithheld = (origin: string): string =>
  `Few-shot with gold labels was not run: its demonstrations are the pool's items with their gold labels, and this run's model is the server at ${origin}, so it would send them there. Tick "Send gold labels to the server" and run the baselines again to include it.`;

type LabelingRequests = 'importFile' | 'previewImport' | 'saveImport' | 'labelRest' | 'stopLabelRest' | 'baselines' | 'review' | 'setOverride' | 'exportRun' | 'exportProject' | 'importProject';

export function createLabeling(ctx: LabelingContext): Pick<Handlers, LabelingRequests> {
  const stops = new Map<string, AbortController>(); // label-the-rest jobs in flight, by run

  /** The run's labels on the pool, a person's decisions applied on top, as demonstrations by dataset index. */
  async function demosOf(run: RunRecord, ds: Dataset) {
    const state = run.state;
    if (!state) throw new HostError('NotReadyError', 'This run has no labels yet. Run ICM first, then label the rest.');
    const human = await (await ctx.store()).humanLabels(ds.id);
    return run.pool.flatMap((d, k) => {
      const label = human.get(ds.items[d].id) ?? state.labels[k];
      return label === null ? [] : [{ item: d, label }];
    });
  }

  async function labelRest(req: Req<'labelRest'>): Promise<ReplyMap['labelRest']> {
    if (stops.has(req.runId)) throw new HostError('BusyError', 'The rest of this dataset is already being labeled.');
    const db = await ctx.store();
    const run = await ctx.run(req.runId);
    const ds = await ctx.dataset(run.datasetId);
    const demos = await demosOf(run, ds);
    // every item ICM has not labeled: those outside its pool, and pool items it never labeled
    // (a short run leaves some), which would otherwise never get a label
    const byIcm = new Set(run.pool.filter((_, k) => run.state?.labels[k] !== null && run.state?.labels[k] !== undefined));
    const wanted = ds.items.flatMap((_, d) => (byIcm.has(d) ? [] : [d]));
    const saved = await db.getLabelTheRest(run.id);
    const record: LabelTheRestRecord = saved ?? { runId: run.id, targets: wanted, cursor: 0, predictions: [], tokens: 0 };
    const planned = new Set(record.targets);
    record.targets.push(...wanted.filter((d) => !planned.has(d))); // a job saved before those were counted
    const model = await ctx.model(run, ds, ds.items.map((_, d) => d));
    const stop = new AbortController();
    stops.set(run.id, stop);
    try {
      const batches = labelTheRest(model, record.targets, demos, {
        cursor: record.cursor,
        signal: stop.signal,
        onProgress: (p) => ctx.post({ kind: 'labelingProgress', runId: run.id, task: 'labelRest', done: p.done, total: p.total }),
      });
      for await (const b of batches) {
        record.predictions.push(...b.predictions);
        record.cursor = b.cursor;
        record.tokens += b.tokens;
        await db.putLabelTheRest(record); // each batch is kept before the next: stop and reload lose at most one batch
      }
    } finally {
      stops.delete(run.id);
    }
    return { done: record.cursor, total: record.targets.length, stopped: record.cursor < record.targets.length };
  }

  function stopLabelRest(req: Req<'stopLabelRest'>): ReplyMap['stopLabelRest'] {
    stops.get(req.runId)?.abort();
    return { runId: req.runId };
  }

  async function baselines(req: Req<'baselines'>): Promise<ReplyMap['baselines']> {
    const db = await ctx.store();
    const run = await ctx.run(req.runId);
    const ds = await ctx.dataset(run.datasetId);
    if (!run.state) throw new HostError('NotReadyError', 'This run has no labels yet. Run ICM first, then compare it with the baselines.');
    const model = await ctx.model(run, ds, run.pool);
    const pool = run.pool.map((_, k) => k);
    const gold = run.pool.map((d) => ds.items[d].gold);
    const setup = { targets: pool, demoPool: pool, gold, seed: run.config.seed };
    const methods = [{ name: 'ICM', labels: run.state.labels }];
    const notes: string[] = [];
    let tokens = 0;
    // gold labels stay in this browser unless the person agreed to send them to the run's server
    const withheld = run.model.kind === 'server' && !req.goldToServer;
    for (const method of availableBaselines(setup)) {
      if (method === 'goldenFewShot' && withheld) {
        notes.push(goldWithheld(run.model.kind === 'server' ? originOf(run.model.baseUrl) : ''));
        continue;
      }
      const outcome = await runBaseline(model, method, setup, {
        onProgress: (p) => ctx.post({ kind: 'labelingProgress', runId: run.id, task: method, done: p.done, total: p.total }),
      });
      if (!outcome.ok) continue;
      const { predictions } = outcome.result;
      tokens += outcome.result.tokens;
      await db.putBaseline({ runId: run.id, method, labels: predictions.map((p) => p.label), confidence: predictions.map((p) => p.confidence), tokens: outcome.result.tokens });
      methods.push({ name: baselineNames[method], labels: predictions.map((p) => p.label) });
    }
    return { comparison: compareMethods(methods, gold, run.config.seed), tokens, notes };
  }

  /** Every dataset item's label by precedence: a person's, then ICM's, then label-the-rest's. */
  async function mergedLabels(run: RunRecord, ds: Dataset): Promise<(ItemLabel | null)[]> {
    const db = await ctx.store();
    const state = run.state;
    const icm = state
      ? run.pool.flatMap((d, k) => {
          const label = state.labels[k];
          const lo = state.logOdds[k];
          return label === null ? [] : [{ item: d, label, confidence: lo === null ? null : confidence(label, lo) }];
        })
      : [];
    const rest = (await db.getLabelTheRest(run.id))?.predictions ?? [];
    const byId = new Map(ds.items.map((it, d) => [it.id, d]));
    const human = (await db.overrides(ds.id)).flatMap((o) => {
      const d = byId.get(o.itemId);
      return d === undefined ? [] : [{ item: d, label: o.label }];
    });
    return mergeLabels(ds.items.length, { icm, rest, human });
  }

  async function review(req: Req<'review'>): Promise<ReplyMap['review']> {
    const run = await ctx.run(req.runId);
    const ds = await ctx.dataset(run.datasetId);
    const merged = await mergedLabels(run, ds);
    const baselineRecords = await (await ctx.store()).baselines(run.id);
    const poolIndex = new Map(run.pool.map((d, k) => [d, k]));
    const rows: ReviewRow[] = ds.items.map((it, d) => {
      const m = merged[d];
      const k = poolIndex.get(d);
      const methods: Record<string, boolean | null> = {};
      for (const b of baselineRecords) methods[baselineNames[b.method]] = k === undefined ? null : (b.labels[k] ?? null);
      const label = m?.label ?? null;
      const disagreement = label === null ? 0 : Object.values(methods).filter((v) => v !== null && v !== label).length;
      return { index: d, id: it.id, group: it.group, text: itemPrompt(ds.kind, it), gold: it.gold ?? null, label, confidence: m?.confidence ?? null, provenance: m?.provenance ?? null, methods, disagreement };
    });
    return { rows, methods: baselineRecords.map((b) => baselineNames[b.method]) };
  }

  async function setOverride(req: Req<'setOverride'>): Promise<ReplyMap['setOverride']> {
    await (await ctx.store()).setOverride(req.datasetId, req.itemId, req.label, ctx.now());
    return { datasetId: req.datasetId, itemId: req.itemId, label: req.label };
  }

  async function exportRun(req: Req<'exportRun'>): Promise<ExportFile> {
    const run = await ctx.run(req.runId);
    const ds = await ctx.dataset(run.datasetId);
    const labels = await mergedLabels(run, ds);
    const base = `${fileSlug(run.name)}-${fileStamp(ctx.now())}`; // never one name for two runs, or two exports
    switch (req.format) {
      case 'labels-csv':
        return { filename: `${base}-labels.csv`, mime: 'text/csv', text: labelsCsv(ds, labels), notes: [] };
      case 'labels-jsonl':
        return { filename: `${base}-labels.jsonl`, mime: 'application/jsonl', text: labelsJsonl(ds, labels), notes: [] };
      case 'sft':
        return { filename: `${base}-sft.jsonl`, mime: 'application/jsonl', text: sftJsonl(ds, labels), notes: [] };
      case 'preference': {
        if (ds.kind !== 'comparison') throw new HostError('ExportError', 'Preference pairs come from comparison tasks; this dataset is not one. Export SFT or labels instead.');
        const r = preferencePairs(ds, labels);
        if (!r.ok) throw new HostError('ExportError', r.message);
        const notes = r.conflicts > 0 ? [`${r.conflicts} pairs whose two orders disagree were left out.`] : [];
        return { filename: `${base}-preference.jsonl`, mime: 'application/jsonl', text: preferenceJsonl(r.records), notes };
      }
    }
  }

  async function exportProject(): Promise<ExportFile> {
    const contents = await (await ctx.store()).exportAll();
    const text = serializeProject(buildProject(contents, ctx.now()));
    return { filename: `icm-project-${fileStamp(ctx.now())}.json`, mime: 'application/json', text, notes: [] };
  }

  async function importProject(req: Req<'importProject'>): Promise<ReplyMap['importProject']> {
    const parsed = parseProject(req.text, ctx.kinds);
    if (!parsed.ok) return parsed;
    const summary = await (await ctx.store()).importAll(parsed.project);
    for (const d of parsed.project.datasets) ctx.datasetAdded(d);
    ctx.projectImported();
    return { ok: true, ...summary };
  }

  return { ...createImport(ctx), labelRest, stopLabelRest, baselines, review, setOverride, exportRun, exportProject, importProject };
}
