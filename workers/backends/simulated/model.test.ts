import { describe, expect, it } from 'vitest';
import { builtinDatasets } from '../../../src/lib/data/builtin/index';
import { importTruthfulqaLayout } from '../../../src/lib/data/builtin/truthfulLayout';
import { problemOf } from '../../../src/lib/data/problem';
import { defaultConfig, planFor, type ICMConfig } from '../../../src/lib/icm/config';
import type { Segment } from '../../../src/lib/icm/model';
import { runSearch } from '../../../src/lib/icm/run';
import type { Dataset } from '../../../src/lib/data/types';
import { accuracy, manyShot, randomLabels, zeroShot } from '../../../src/lib/eval/baselines';
import { inconsistencyCount } from '../../../src/lib/icm/consistency';
import { ReadCache, readLeaveOneOut } from '../../../src/lib/icm/plan';
import { drawPool } from '../../../src/lib/icm/pool';
import type { Problem } from '../../../src/lib/icm/problem';
import { mutualPredictability } from '../../../src/lib/icm/score';
import { defaultSimulatedParams, type SimulatedParams } from '../../../src/lib/model/params';
import { createSimulatedModel, hiddenBeliefs, simulatedModelFor } from './model';

const datasets = builtinDatasets();

function setup(ds: Dataset, params: SimulatedParams = defaultSimulatedParams) {
  const pool = drawPool(ds.items, 128, 1).map((i) => ds.items[i]);
  const problem: Problem = { items: pool.map(({ group, key }) => ({ group, key })), comparison: ds.kind === 'comparison', exclusive: ds.exclusive };
  const gold = pool.map((it) => it.gold as boolean);
  const model = createSimulatedModel(ds.kind, pool, params);
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

// Issue 15: the TruthfulQA layout (many claims per question, several right) imported as-is, where
// the consistency rules never constrain a labeling (every claim its own key, no exclusion).
describe('simulated model on a TruthfulQA-layout file', () => {
  const asIs = importTruthfulqaLayout();
  const pool = drawPool(asIs.items, 128, 1);
  const run = async (ds: Dataset, config: Partial<ICMConfig> = {}) => {
    const model = simulatedModelFor(ds.kind, ds.items, pool, defaultSimulatedParams);
    const problem = problemOf(ds, pool);
    const c = { ...defaultConfig, ...config };
    const { state } = await runSearch(problem, c, model, { reads: false });
    const gold = pool.map((d) => ds.items[d].gold);
    return { state, accuracy: accuracy(state.labels, gold) as number, shareTrue: state.labels.filter((l) => l === true).length / state.labels.filter((l) => l !== null).length };
  };

  it('still gives its truthful labeling a higher U than either constant one (DESIGN §4)', async () => {
    const { model, score } = setup({ ...asIs, items: pool.map((d) => asIs.items[d]) });
    const truthful = await score(model.world.belief);
    for (const constant of [true, false]) expect(truthful.U).toBeGreaterThan((await score(model.world.belief.map(() => constant))).U);
  });

  it('yet ICM as the paper runs it labels everything True there: a constant labeling is a fixed point of its proposals', async () => {
    const { state, shareTrue } = await run(asIs);
    expect(shareTrue).toBeGreaterThan(0.95);
    // the found labeling scores below the truthful one the model holds, so the search, not U, is at fault
    expect(state.constants?.allTrue.U).toBeGreaterThanOrEqual(state.U - 1e-9);
  });

  it('with calibrated proposals (a departure), ICM escapes the constant labeling and reaches its gold-demonstration accuracy', async () => {
    const { accuracy: acc, shareTrue } = await run(asIs, { proposal: 'calibrated' });
    const model = simulatedModelFor(asIs.kind, asIs.items, pool, defaultSimulatedParams);
    const gold = pool.map((d) => asIs.items[d].gold as boolean);
    const gd = accuracy((await manyShot(model, gold)).labels, gold) as number;
    expect(shareTrue).toBeLessThan(0.6);
    expect(acc).toBeGreaterThan(gd - 0.05);
  });

  it("with the claim's answer as the key and one right answer per group, ICM uses both labels and beats zero-shot", async () => {
    const { accuracy: acc, shareTrue } = await run(importTruthfulqaLayout({ key: { kind: 'answerWords' }, exclusive: true }));
    expect(shareTrue).toBeLessThan(0.5);
    expect(acc).toBeGreaterThan(0.6);
  });
});

describe('ICM on the simulated model with the run’s reads kept (issue 26)', () => {
  // pools of 16 whose consistency rules fire: math, and the TruthfulQA layout with exclusive answers
  const tasks = [datasets.find((d) => d.id === 'builtin-math') as Dataset, importTruthfulqaLayout({ exclusive: true })];

  it('takes the same steps (labels, repairs, ΔU) as a run that reads afresh each step, for fewer reads', async () => {
    const asked = { kept: 0, fresh: 0 };
    for (const ds of tasks)
      for (const seed of [1, 2, 3]) {
        const config: ICMConfig = { ...defaultConfig, ...planFor({ prefixCache: true }), poolSize: 16, seed, iterations: 12 };
        const indices = drawPool(ds.items, config.poolSize, seed);
        const problem = problemOf(ds, indices);
        const run = async (reads: ReadCache | false) => {
          let asked = 0;
          const sim = simulatedModelFor(ds.kind, ds.items, indices, defaultSimulatedParams);
          const model = { ...sim, readSequence: (s: Segment[]) => ((asked += s.filter((x) => x.read).length), sim.readSequence(s)) };
          const r = await runSearch(problem, config, model, { reads });
          return { state: r.state, events: r.steps, asked };
        };
        const kept = await run(new ReadCache());
        const fresh = await run(false);
        const decisions = (r: typeof kept) => r.events.map((e) => [e.item, e.proposal, e.fixes, e.after, e.deltaU, e.accepted, e.evaluations]);
        expect(decisions(kept)).toEqual(decisions(fresh));
        expect(kept.state.labels).toEqual(fresh.state.labels);
        expect(kept.asked).toBeLessThanOrEqual(fresh.asked);
        expect(kept.events.some((e) => (e.repair?.evaluations ?? 0) > 2)).toBe(true); // repairs were scored
        asked.kept += kept.asked;
        asked.fresh += fresh.asked;
      }
    expect(asked.kept).toBeLessThan(0.9 * asked.fresh);
  }, 60_000);
});
