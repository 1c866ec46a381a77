// "Label the rest" (the paper's many-shot protocol, §3): ICM labels a batch that fits the
// model's context; every other item is then predicted with that labeled batch as
// demonstrations, one sequence per item: the demonstrations in the order given, then the
// target. The demonstrations are taken as given: the caller picks a set that fits the
// context (the ICM pool does, by construction).
//
// Resumable: items are predicted in `targets` order and handed back in batches with the
// cursor after them. The caller persists each batch and its cursor; a later call with that
// cursor carries on exactly where it stopped, and the results equal one uninterrupted pass
// (each item's sequence depends only on the demonstrations and the item).

import type { LabelModel, Segment } from '../icm/model';
import { logOdds as readLogOdds } from '../icm/model';
import { sigmoid } from './figures';

/** A labeled item shown as a demonstration; `item` indexes the model's items. */
export interface Demo {
  item: number;
  label: boolean;
}

export interface Prediction {
  item: number; // the model's item index
  label: boolean; // argmax of the two labels
  logOdds: number; // log P(True) − log P(False), nats
  confidence: number; // P(label) over the two labels, 0.5–1
}

export interface LabelTheRestBatch {
  predictions: Prediction[]; // this batch, in targets order
  cursor: number; // position in targets of the next item to predict; targets.length when done
  total: number; // targets.length
  tokens: number; // tokens read for this batch
}

export interface LabelTheRestProgress {
  done: number; // items predicted, counting those before the starting cursor
  total: number;
  tokens: number; // tokens read in this call
}

/** What the worker keeps for one run's label-the-rest job: enough to resume it and to show and export its labels. */
export interface LabelTheRestRecord {
  runId: string;
  targets: number[]; // dataset indices, in prediction order (the items outside the run's pool)
  cursor: number; // targets[0…cursor) are predicted
  predictions: Prediction[]; // one per predicted target, item = its dataset index
  tokens: number; // tokens read so far
}

export interface LabelTheRestOptions {
  cursor?: number; // resume from here (default 0)
  batch?: number; // items per yielded batch (default 16): how much a stop can lose before it is saved
  signal?: AbortSignal; // stop: the current item finishes, the partial batch is yielded, then it returns
  onProgress?: (p: LabelTheRestProgress) => void; // after every item
}

/** P(label) for the argmax label: σ(|log-odds|). */
export const confidenceOf = (logOdds: number): number => sigmoid(Math.abs(logOdds));

/** One item's sequence: every demonstration but the item itself, then the item as the target. */
export function manyShotSequence(demos: Demo[], target: number): Segment[] {
  const segments: Segment[] = [];
  for (const d of demos) if (d.item !== target) segments.push({ item: d.item, read: false, label: d.label });
  segments.push({ item: target, read: true, label: null });
  return segments;
}

export async function predictOne(model: LabelModel, demos: Demo[], target: number): Promise<{ prediction: Prediction; tokens: number }> {
  const r = await model.readSequence(manyShotSequence(demos, target));
  const lo = readLogOdds(r.reads[0]);
  return { prediction: { item: target, label: lo > 0, logOdds: lo, confidence: confidenceOf(lo) }, tokens: r.tokens };
}

/** Predicts targets[cursor…] in batches; stops early (after yielding what it has) when the signal aborts. */
export async function* labelTheRest(model: LabelModel, targets: number[], demos: Demo[], opts: LabelTheRestOptions = {}): AsyncGenerator<LabelTheRestBatch, void, void> {
  const size = Math.max(1, Math.floor(opts.batch ?? 16));
  let cursor = Math.min(Math.max(0, Math.floor(opts.cursor ?? 0)), targets.length);
  let tokensSoFar = 0;
  while (cursor < targets.length && !opts.signal?.aborted) {
    const predictions: Prediction[] = [];
    let tokens = 0;
    const end = Math.min(cursor + size, targets.length);
    while (cursor < end && !opts.signal?.aborted) {
      const r = await predictOne(model, demos, targets[cursor]);
      predictions.push(r.prediction);
      tokens += r.tokens;
      tokensSoFar += r.tokens;
      cursor++;
      opts.onProgress?.({ done: cursor, total: targets.length, tokens: tokensSoFar });
    }
    if (predictions.length > 0) yield { predictions, cursor, total: targets.length, tokens };
  }
}

export interface PredictAllResult {
  predictions: Prediction[]; // targets[from…cursor), in order
  cursor: number;
  stopped: boolean; // the signal aborted before every target was predicted
  tokens: number;
}

/** labelTheRest collected into one result (for baselines and tests). */
export async function predictAll(model: LabelModel, targets: number[], demos: Demo[], opts: LabelTheRestOptions = {}): Promise<PredictAllResult> {
  const predictions: Prediction[] = [];
  let tokens = 0;
  let cursor = Math.min(opts.cursor ?? 0, targets.length);
  for await (const b of labelTheRest(model, targets, demos, opts)) {
    predictions.push(...b.predictions);
    tokens += b.tokens;
    cursor = b.cursor;
  }
  return { predictions, cursor, stopped: cursor < targets.length, tokens };
}
