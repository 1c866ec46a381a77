import { describe, expect, it } from 'vitest';
import { acceptanceProbability, temperature } from './annealing';
import { defaultConfig, validateConfig, type ICMConfig } from './config';
import { consistencyFix, consistentOptions, inconsistencies, type Scored } from './consistency';
import type { LabelModel, Segment } from './model';
import { leaveOneOutSequence, readLeaveOneOut } from './plan';
import { drawPool } from './pool';
import type { Labels, Problem } from './problem';
import { Rng } from './rng';
import { samplingWeights } from './sampling';
import { confidence, imbalance, logProbOfLabel, meanLogOdds, mutualPredictability, U } from './score';
import { initialState, isDone, step } from './search';
import { runSearch } from './run';

// A model whose log-odds for an item are fixed, whatever the context: enough to check
// the algorithm's arithmetic by hand. It counts one token per segment.
function fixedModel(logOdds: number[]): LabelModel & { calls: Segment[][] } {
  const calls: Segment[][] = [];
  return {
    calls,
    async readSequence(segments) {
      calls.push(segments);
      return {
        reads: segments.filter((s) => s.read).map((s) => ({ item: s.item, logTrue: logOdds[s.item] / 2, logFalse: -logOdds[s.item] / 2 })),
        tokens: segments.length,
        computed: segments.length,
      };
    },
  };
}

// Two math problems: group g1 has keys 42, 42, 41; group g2 has keys 7, 8.
const math: Problem = {
  comparison: false,
  items: [
    { group: 'g1', key: '42' },
    { group: 'g1', key: '42' },
    { group: 'g1', key: '41' },
    { group: 'g2', key: '7' },
    { group: 'g2', key: '8' },
  ],
};
const pairTask: Problem = { comparison: true, items: [{ group: 'p', key: 'a>b' }, { group: 'p', key: 'b>a' }] };

describe('inconsistencies: the three rules', () => {
  it('same key with different labels is inconsistent', () => {
    expect(inconsistencies(math, [true, false, null, null, null])).toEqual([[0, 1]]);
  });
  it('different keys both True is a contradiction', () => {
    expect(inconsistencies(math, [true, true, true, null, null])).toEqual([[0, 2], [1, 2]]);
    expect(inconsistencies(math, [null, null, null, true, true])).toEqual([[3, 4]]);
  });
  it('different keys both False is fine for claims but not for comparisons', () => {
    expect(inconsistencies(math, [null, null, null, false, false])).toEqual([]);
    expect(inconsistencies(pairTask, [false, false])).toEqual([[0, 1]]);
    expect(inconsistencies(pairTask, [true, false])).toEqual([]);
  });
  it('items in different groups never conflict, unlabeled items never count', () => {
    expect(inconsistencies(math, [true, null, null, true, null])).toEqual([]);
  });
  it('consistent options follow the rule', () => {
    expect(consistentOptions(math, 0, 1)).toEqual([[true, true], [false, false]]);
    expect(consistentOptions(math, 0, 2)).toEqual([[true, false], [false, true], [false, false]]);
    expect(consistentOptions(pairTask, 0, 1)).toEqual([[true, false], [false, true]]);
  });
});

describe('U = α·P − I, by hand', () => {
  const logOdds = [2, 1, -1, 0.5, -3];
  const labels: Labels = [true, true, true, false, null];
  it('P as mean signed log-odds (official code)', () => {
    // signed: +2, +1, −1, −0.5 → mean 0.375
    expect(mutualPredictability(labels, logOdds, 'logOdds')).toBeCloseTo(0.375, 12);
  });
  it('P as the paper’s sum of log-probabilities', () => {
    const expected = Math.log(1 / (1 + Math.exp(-2))) + Math.log(1 / (1 + Math.exp(-1))) + Math.log(1 / (1 + Math.exp(1))) + Math.log(1 / (1 + Math.exp(0.5)));
    expect(mutualPredictability(labels, logOdds, 'logProb')).toBeCloseTo(expected, 12);
    expect(logProbOfLabel(true, 800)).toBeCloseTo(0, 12); // stable at large log-odds
    expect(logProbOfLabel(false, 800)).toBeCloseTo(-800, 9);
  });
  it('U with α = 30 and the two contradictions of group g1', () => {
    const I = inconsistencies(math, labels).length;
    expect(I).toBe(2);
    expect(U(30, 0.375, I)).toBeCloseTo(30 * 0.375 - 2, 12);
  });
  it('the label-balance prior (a departure, off at 0) subtracts λ·(share True − share False)²', () => {
    // labels: 3 True, 1 False → (0.75 − 0.25)² = 0.25
    expect(imbalance(labels)).toBeCloseTo(0.25, 12);
    expect(U(30, 0.375, 2, 20, labels)).toBeCloseTo(30 * 0.375 - 2 - 20 * 0.25, 12);
    expect(U(30, 0.375, 2, 0, labels)).toBe(U(30, 0.375, 2));
    expect(imbalance([true, true, null])).toBe(1);
    expect(imbalance([null])).toBe(0);
  });
  it('calibrated proposals (a departure) compare log-odds with the labeled items’ mean', () => {
    expect(meanLogOdds(labels, logOdds)).toBeCloseTo((2 + 1 - 1 + 0.5) / 4, 12); // item 4 is unlabeled
    expect(meanLogOdds([null], [1])).toBe(0);
  });
  it('every run measures U of all-True and all-False on the whole pool, with the same scoring', async () => {
    const lo = [2, 1, -1, 0.5, -3];
    const config = { ...defaultConfig, K: 2, plan: 'leaveOneOut' as const, consistency: true };
    const { state } = await initialState(math, config, fixedModel(lo));
    const mean = (sign: number) => lo.reduce((a, b) => a + sign * b, 0) / lo.length;
    // all True: contradictions 42/41 twice in g1, 7/8 once in g2; all False: none
    expect(state.constants?.allTrue.U).toBeCloseTo(30 * mean(1) - 3, 12);
    expect(state.constants?.allFalse.U).toBeCloseTo(30 * mean(-1), 12);
  });
  it('confidence is the probability of the current label', () => {
    expect(confidence(true, 0)).toBe(0.5);
    expect(confidence(false, Math.log(3))).toBeCloseTo(0.25, 12);
  });
});

describe('leave-one-out scoring plan', () => {
  it('reads each labeled item once with every other labeled item in context', async () => {
    const model = fixedModel([2, 1, -1, 0.5, -3]);
    const labels: Labels = [true, null, false, true, null];
    expect(leaveOneOutSequence(labels, 2)).toEqual([
      { item: 0, read: false, label: true },
      { item: 3, read: false, label: true },
      { item: 2, read: true, label: null },
    ]);
    const reads = await readLeaveOneOut(labels, model);
    expect(model.calls).toHaveLength(3);
    expect(reads.logOdds).toEqual([2, null, -1, 0.5, null]);
    expect(reads.tokens).toBe(9); // N sequences of N segments: O(N²)
  });
});

describe('ConsistencyFix', () => {
  const config: ICMConfig = { ...defaultConfig, alpha: 1 };
  const evaluator = (model: LabelModel, problem: Problem) => async (labels: Labels): Promise<Scored<null>> => {
    const reads = await readLeaveOneOut(labels, model);
    const P = mutualPredictability(labels, reads.logOdds, config.pForm);
    const I = inconsistencies(problem, labels).length;
    return { score: { U: U(config.alpha, P, I), P, I }, extra: null };
  };
  it('reaches I = 0 where that is possible, raising U on the way', async () => {
    const model = fixedModel([2, 2, -2, -1, 1]);
    const evaluate = evaluator(model, math);
    const labels: Labels = [true, false, true, true, true]; // I = 3
    const start = await evaluate(labels);
    expect(start.score.I).toBe(3);
    const fixed = await consistencyFix(math, labels, start, 10, evaluate, Rng.fromSeed(1));
    expect(fixed.scored.score.I).toBe(0);
    expect(inconsistencies(math, fixed.labels)).toEqual([]);
    for (const move of fixed.moves) expect(consistentOptions(math, ...move.items)).toContainEqual(move.to);
    expect(fixed.moves.length).toBeGreaterThan(0);
    expect(fixed.scored.score.U).toBeGreaterThan(start.score.U);
  });
  it('does nothing with M = 0 or when already consistent', async () => {
    const model = fixedModel([2, 2, -2, -1, 1]);
    const evaluate = evaluator(model, math);
    const labels: Labels = [true, false, true, true, true];
    const start = await evaluate(labels);
    expect((await consistencyFix(math, labels, start, 0, evaluate, Rng.fromSeed(1))).labels).toEqual(labels);
    const ok: Labels = [true, true, false, null, null];
    const fixed = await consistencyFix(math, ok, await evaluate(ok), 10, evaluate, Rng.fromSeed(1));
    expect(fixed.moves).toEqual([]);
  });
});

describe('annealing', () => {
  it('log schedule over accepted moves (code) or iterations (paper), floored at Tmin', () => {
    const code = { ...defaultConfig, schedule: 'accepted' as const, beta: 2 };
    expect(temperature(code, { iteration: 50, accepted: 0 })).toBe(10);
    expect(temperature(code, { iteration: 0, accepted: 10 })).toBeCloseTo(10 / (1 + 2 * Math.log(11)), 12);
    const paper = { ...defaultConfig, schedule: 'iterations' as const, beta: 0.99 };
    expect(temperature(paper, { iteration: 10, accepted: 0 })).toBeCloseTo(10 / (1 + 0.99 * Math.log(11)), 12);
    expect(temperature({ ...code, T0: 0.02, Tmin: 0.01 }, { iteration: 0, accepted: 1e9 })).toBe(0.01);
  });
  it('Metropolis: always accept improvements, exp(ΔU/T) otherwise', () => {
    expect(acceptanceProbability(3, 1)).toBe(1);
    expect(acceptanceProbability(-1, 2)).toBeCloseTo(Math.exp(-0.5), 12);
  });
});

describe('weighted sampling', () => {
  it('weights ×100 unlabeled members of groups that already have a label', () => {
    expect(samplingWeights(math, [true, null, null, null, null], 100)).toEqual([1, 100, 100, 1, 1]);
  });
  it('draws in proportion to the weights', () => {
    const rng = Rng.fromSeed(3);
    const counts = [0, 0];
    for (let i = 0; i < 20000; i++) counts[rng.weighted([1, 3])]++;
    expect(counts[1] / 20000).toBeGreaterThan(0.72);
    expect(counts[1] / 20000).toBeLessThan(0.78);
  });
});

describe('pool', () => {
  it('draws whole groups up to the pool size, reproducibly', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ group: `g${Math.floor(i / 4)}`, key: `${i % 2}` }));
    const pool = drawPool(items, 10, 5);
    expect(pool).toHaveLength(8);
    expect(drawPool(items, 10, 5)).toEqual(pool);
    expect(drawPool(items, 10, 6)).not.toEqual(pool);
    const groups = new Set(pool.map((i) => items[i].group));
    for (const g of groups) expect(pool.filter((i) => items[i].group === g)).toHaveLength(4);
  });
});

describe('config', () => {
  it('accepts the defaults and names each field out of range', () => {
    expect(validateConfig(defaultConfig)).toEqual({});
    const errors = validateConfig({ ...defaultConfig, alpha: -1, K: 3, T0: Number.NaN, iterations: 1.5 });
    expect(Object.keys(errors).sort()).toEqual(['K', 'T0', 'alpha', 'iterations']);
    expect(errors.K).toMatch(/even/);
  });
});

describe('search', () => {
  const problem: Problem = {
    comparison: false,
    items: Array.from({ length: 24 }, (_, i) => ({ group: `g${Math.floor(i / 3)}`, key: `${i % 3 === 2 ? 'b' : 'a'}` })),
  };
  // keys 'a' are right, 'b' wrong; the fixed model leans the right way on every item
  const model = fixedModel(problem.items.map((it) => (it.key === 'a' ? 1.5 : -1.5)));
  const config: ICMConfig = { ...defaultConfig, K: 4, iterations: 200, poolSize: 24 };

  it('seeds K balanced labels', async () => {
    const { state, event } = await initialState(problem, { ...config, M: 0 }, model);
    expect(event.seedLabels.filter(Boolean)).toHaveLength(2);
    expect(state.labels.filter((l) => l !== null)).toHaveLength(4);
  });
  it('labels everything correctly with a model that knows, and reproduces from its seed', async () => {
    const run = async () => {
      const { state, steps } = await runSearch(problem, config, model, { reads: false });
      return { state, events: steps };
    };
    const a = await run();
    expect(a.state.labels).toEqual(problem.items.map((it) => it.key === 'a'));
    expect(a.state.I).toBe(0);
    const b = await run();
    expect(b.events).toEqual(a.events);
    // a step resumed from persisted (JSON) state is the same step
    const mid = await initialState(problem, config, model);
    const s1 = await step(problem, mid.state, config, model);
    const resumed = await step(problem, JSON.parse(JSON.stringify(s1.state)), config, model);
    const direct = await step(problem, s1.state, config, model);
    expect(resumed).toEqual(direct);
  });
  it('reuses the last read when it re-samples a labeled item', async () => {
    const labels: Labels = problem.items.map((it) => it.key === 'a');
    const reads = await readLeaveOneOut(labels, model);
    const state = { labels, logOdds: reads.logOdds, U: 0, P: 0, I: 0, iteration: 0, proposals: 0, accepted: 0, tokens: 0, rng: Rng.fromSeed(9).state };
    model.calls.length = 0;
    const r = await step(problem, state, config, model);
    expect(r.event.changed).toBe(false);
    expect(r.event.tokens).toBe(0);
    expect(model.calls).toHaveLength(0);
  });
});

describe('ablations', () => {
  const problem: Problem = {
    comparison: false,
    items: Array.from({ length: 24 }, (_, i) => ({ group: `g${Math.floor(i / 3)}`, key: `${i % 3 === 2 ? 'b' : 'a'}` })),
  };
  const model = fixedModel(problem.items.map((it) => (it.key === 'a' ? 1.5 : -1.5)));
  it('without consistency rules, U is α·P alone and nothing is fixed', async () => {
    const config: ICMConfig = { ...defaultConfig, K: 8, consistency: false, poolSize: 24 };
    const { state, event } = await initialState(problem, config, model);
    expect(event.fixes).toEqual([]);
    expect(state.U).toBeCloseTo(config.alpha * state.P, 12);
  });
  it('zero-shot initialisation seeds with the model’s own labels', async () => {
    const { event } = await initialState(problem, { ...defaultConfig, K: 8, init: 'zeroShot', M: 0, poolSize: 24 }, model);
    expect(event.seedLabels).toEqual(event.seeds.map((i) => problem.items[i].key === 'a'));
  });
});

describe('answers that do not exclude each other', () => {
  it('only the same-key rule applies when a group may have several right answers', () => {
    const open: Problem = { ...math, exclusive: false };
    expect(inconsistencies(open, [true, true, true, true, true])).toEqual([]);
    expect(inconsistencies(open, [true, false, true, null, null])).toEqual([[0, 1]]);
    expect(consistentOptions(open, 0, 2)).toHaveLength(4);
  });
});

describe('labels a person fixed in review', () => {
  it('are given from the start, never sampled, and never changed by ConsistencyFix', async () => {
    const items = Array.from({ length: 24 }, (_, i) => ({ group: `g${Math.floor(i / 3)}`, key: `${i % 3 === 2 ? 'b' : 'a'}` }));
    const fixed = items.map((_, i) => (i === 0 ? false : i === 2 ? true : null)); // against what the model believes
    const problem: Problem = { comparison: false, items, fixed };
    const model = fixedModel(items.map((it) => (it.key === 'a' ? 1.5 : -1.5)));
    const config: ICMConfig = { ...defaultConfig, K: 4, iterations: 150, poolSize: 24 };
    let { state } = await initialState(problem, config, model);
    expect(state.labels[0]).toBe(false);
    expect(state.labels[2]).toBe(true);
    while (!isDone(state, config)) {
      const r = await step(problem, state, config, model);
      expect(r.event.item === 0 || r.event.item === 2).toBe(false);
      state = r.state;
      expect([state.labels[0], state.labels[2]]).toEqual([false, true]);
    }
    expect(samplingWeights(problem, state.labels, 100)[0]).toBe(0);
  });
});
