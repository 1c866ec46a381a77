import { describe, expect, it } from 'vitest';
import { mathDataset } from '../data/builtin';
import type { LabelModel, Segment } from '../icm/model';
import { defaultSimulatedParams } from '../model/params';
import { createSimulatedModel } from '../../../workers/backends/simulated/model';
import { confidenceOf, labelTheRest, manyShotSequence, predictAll, type Demo, type Prediction } from './labelTheRest';

const dataset = mathDataset();
const model = createSimulatedModel(dataset.kind, dataset.items, defaultSimulatedParams);
const demos: Demo[] = dataset.items.slice(0, 32).map((it, item) => ({ item, label: it.gold as boolean }));
const targets = Array.from({ length: 90 }, (_, k) => 32 + k);

describe('label the rest', () => {
  it('reads one sequence per item: the demonstrations in order, then the target; never the target as its own demonstration', () => {
    const d: Demo[] = [
      { item: 3, label: true },
      { item: 1, label: false },
    ];
    expect(manyShotSequence(d, 7)).toEqual([
      { item: 3, read: false, label: true },
      { item: 1, read: false, label: false },
      { item: 7, read: true, label: null },
    ]);
    expect(manyShotSequence(d, 3)).toEqual([
      { item: 1, read: false, label: false },
      { item: 3, read: true, label: null },
    ]);
  });

  it('predicts every target with its confidence, in batches with a cursor', async () => {
    const batches = [];
    for await (const b of labelTheRest(model, targets, demos, { batch: 40 })) batches.push(b);
    expect(batches.map((b) => [b.predictions.length, b.cursor, b.total])).toEqual([
      [40, 40, 90],
      [40, 80, 90],
      [10, 90, 90],
    ]);
    const all = batches.flatMap((b) => b.predictions);
    expect(all.map((p) => p.item)).toEqual(targets);
    for (const p of all) {
      expect(p.label).toBe(p.logOdds > 0);
      expect(p.confidence).toBeCloseTo(confidenceOf(p.logOdds), 12);
      expect(p.confidence).toBeGreaterThanOrEqual(0.5);
    }
    // the labeled batch teaches: most of the rest is predicted right (simulated knowledge 0.85)
    const right = all.filter((p) => p.label === dataset.items[p.item].gold).length;
    expect(right / all.length).toBeGreaterThan(0.7);
  });

  it('stopped and resumed from its cursor, gives the same result as one go', async () => {
    const oneGo = await predictAll(model, targets, demos);
    expect(oneGo.stopped).toBe(false);

    // stop after 23 items (mid-batch), keep what was yielded, resume twice
    const kept: Prediction[] = [];
    let cursor = 0;
    let tokens = 0;
    const stopAt = [23, 61];
    for (const stop of stopAt) {
      const controller = new AbortController();
      for await (const b of labelTheRest(model, targets, demos, {
        cursor,
        batch: 10,
        signal: controller.signal,
        onProgress: (p) => p.done === stop && controller.abort(),
      })) {
        kept.push(...b.predictions);
        cursor = b.cursor;
        tokens += b.tokens;
      }
      expect(cursor).toBe(stop); // the partial batch was handed back before stopping
    }
    const rest = await predictAll(model, targets, demos, { cursor });
    expect(rest.stopped).toBe(false);
    expect([...kept, ...rest.predictions]).toEqual(oneGo.predictions);
    expect(tokens + rest.tokens).toBe(oneGo.tokens);
  });

  it('reports progress after every item and stops at once on an aborted signal', async () => {
    const seen: number[] = [];
    await predictAll(model, targets.slice(0, 5), demos, { onProgress: (p) => seen.push(p.done) });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    const controller = new AbortController();
    controller.abort();
    const r = await predictAll(model, targets, demos, { signal: controller.signal });
    expect(r).toEqual({ predictions: [], cursor: 0, stopped: true, tokens: 0 });
  });

  it('takes the demonstrations as given', async () => {
    const calls: Segment[][] = [];
    const spy: LabelModel = {
      readSequence: async (segments) => {
        calls.push(segments);
        return { reads: [{ item: segments[segments.length - 1].item, logTrue: -1, logFalse: -2 }], tokens: segments.length, computed: segments.length };
      },
    };
    const r = await predictAll(spy, [5, 6], demos.slice(0, 3));
    expect(calls.map((c) => c.map((s) => s.item))).toEqual([
      [0, 1, 2, 5],
      [0, 1, 2, 6],
    ]);
    expect(r.predictions[0]).toEqual({ item: 5, label: true, logOdds: 1, confidence: 1 / (1 + Math.exp(-1)) });
  });
});
