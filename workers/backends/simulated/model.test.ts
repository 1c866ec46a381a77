import { describe, expect, it } from 'vitest';
import { builtinDatasets } from '../../../src/lib/data/builtin/index';
import type { Dataset } from '../../../src/lib/data/types';
import { accuracy, manyShot, randomLabels, zeroShot } from '../../../src/lib/eval/baselines';
import { inconsistencyCount } from '../../../src/lib/icm/consistency';
import { readLeaveOneOut } from '../../../src/lib/icm/plan';
import { drawPool } from '../../../src/lib/icm/pool';
import type { Problem } from '../../../src/lib/icm/problem';
import { mutualPredictability } from '../../../src/lib/icm/score';
import { defaultSimulatedParams, type SimulatedParams } from '../../../src/lib/model/params';
import { createSimulatedModel, hiddenBeliefs } from './model';

const datasets = builtinDatasets();

function setup(ds: Dataset, params: SimulatedParams = defaultSimulatedParams) {
  const pool = drawPool(ds.items, 128, 1).map((i) => ds.items[i]);
  const gold = pool.map((it) => it.gold as boolean);
  const model = createSimulatedModel(ds.kind, pool, params);
  const problem: Problem = { items: pool.map(({ group, key }) => ({ group, key })), comparison: ds.kind === 'comparison' };
  const score = async (labels: boolean[]) => {
    const reads = await readLeaveOneOut(labels, model);
    const P = mutualPredictability(labels, reads.logOdds, 'logOdds');
    return { P, U: 30 * P - inconsistencyCount(problem, labels) };
  };
  return { pool, gold, model, score };
}

describe.each(datasets.map((ds) => [ds.id, ds] as const))('simulated model on %s', (_, ds) => {
  const knowledge = defaultSimulatedParams.knowledge;

  it('holds beliefs that agree with gold on about `knowledge` of the items', () => {
    for (const k of [0.7, 0.85, 1]) {
      const belief = hiddenBeliefs(ds.kind, ds.items, k);
      expect(accuracy(belief, ds.items.map((it) => it.gold))).toBeCloseTo(k, 1);
    }
  });

  it('zero-shot is clearly below its knowledge; gold demonstrations reach it; random ones fall well short', async () => {
    const { pool, gold, model } = setup(ds);
    const zs = accuracy((await zeroShot(model, pool.length)).labels, gold) as number;
    const gd = accuracy((await manyShot(model, gold)).labels, gold) as number;
    const rd = accuracy((await manyShot(model, randomLabels(pool.length, 7))).labels, gold) as number;
    expect(zs).toBeLessThan(knowledge - 0.15);
    expect(Math.abs(gd - knowledge)).toBeLessThan(0.06);
    expect(rd).toBeLessThan(gd - 0.05);
  });

  it('gives the truthful labeling the highest U of every labeling it can explain', async () => {
    const { gold, model, score } = setup(ds);
    const truthful = await score(model.world.belief);
    for (const other of [model.world.belief.map((b) => !b), model.world.spurious, gold.map(() => true), gold.map(() => false), randomLabels(gold.length, 3)])
      expect(truthful.U).toBeGreaterThan((await score(other)).U);
    expect((await score(gold)).U).toBeGreaterThan((await score(gold.map((g) => !g))).U);
  });

  it('with the spurious preset, finds the spurious concept more predictable than the truth', async () => {
    const { model, score } = setup(ds, { ...defaultSimulatedParams, salience: 'spurious' });
    expect((await score(model.world.spurious)).P).toBeGreaterThan((await score(model.world.belief)).P);
  });
});

describe('in-context inference', () => {
  const ds = datasets[0];
  const { pool, model } = setup(ds);
  const belief = model.world.belief;
  const target = pool.length - 1;
  // P(model's belief) for the target after 60 demonstrations, a share `share` of them labeled with the belief, the rest inverted
  const pBelief = async (share: number) => {
    const segments = Array.from({ length: 60 }, (_, j) => ({ item: j, read: false, label: j < share * 60 ? belief[j] : !belief[j] }));
    const r = await model.readSequence([...segments, { item: target, read: true, label: null }]);
    const p = Math.exp(r.reads[0].logTrue);
    return belief[target] ? p : 1 - p;
  };
  it('is soft: predictions move gradually with the share of demonstrations that fit a concept', async () => {
    const ps = [];
    for (const share of [0, 0.25, 0.5, 0.75, 1]) ps.push(await pBelief(share));
    for (let k = 1; k < ps.length; k++) {
      expect(ps[k]).toBeGreaterThan(ps[k - 1]);
      expect(ps[k] - ps[k - 1]).toBeLessThan(0.6); // no snapping to one concept
    }
  });
  it('is deterministic and counts the tokens it reads', async () => {
    const seq = [{ item: 0, read: false, label: true }, { item: 1, read: true, label: null }];
    const a = await model.readSequence(seq);
    expect(await model.readSequence(seq)).toEqual(a);
    const longer = await model.readSequence([{ item: 2, read: false, label: false }, ...seq]);
    expect(longer.tokens).toBeGreaterThan(a.tokens);
    expect(a.tokens).toBeGreaterThan(10);
  });
});
