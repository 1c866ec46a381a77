import { describe, expect, it } from 'vitest';
import { temperature } from '../icm/annealing';
import { defaultConfig, type ICMConfig } from '../icm/config';
import { initialState, step, type InitEvent, type RunState, type StepEvent } from '../icm/search';
import { ACCEPT_WINDOW, StepSeries } from './step-series';
import { toyModel, toyProblem } from '../icm/test-toy';

const N = 30;
const problem = toyProblem(N);
const gold = problem.items.map((it, i) => (i % 7 === 0 ? null : it.key === 'a'));
// context-dependent, so proposals, rejections and fixes all happen
const model = toyModel(problem);

async function record(config: ICMConfig, iterations: number) {
  const first = await initialState(problem, config, model);
  let state = first.state;
  const states: RunState[] = [state];
  const steps: StepEvent[] = [];
  for (let i = 0; i < iterations; i++) {
    const r = await step(problem, state, config, model);
    state = r.state;
    states.push(state);
    steps.push(r.event);
  }
  return { init: first.event as InitEvent, states, steps };
}

describe('StepSeries', () => {
  it('matches the run state after every step, fed in batches', async () => {
    const config = { ...defaultConfig, K: 4, poolSize: N, iterations: 300 };
    const { init, states, steps } = await record(config, 300);
    const log: StepEvent[] = []; // the run log's array, appended to in batches
    const series = new StepSeries(init, N, gold, config, log);
    for (let i = 0; i < steps.length; i += 37) {
      log.push(...steps.slice(i, i + 37));
      series.take();
    }
    series.take(); // nothing new: nothing taken twice
    expect(series.last).toBe(300);
    expect(series.count).toBe(301);
    expect(steps.some((s) => s.accepted) && steps.some((s) => s.changed && !s.accepted)).toBe(true);

    states.forEach((st, k) => {
      const at = series.stateAfter(k);
      expect(series.labelsAfter(k)).toEqual(st.labels);
      expect(at.U).toBeCloseTo(st.U, 9);
      expect(at.P).toBeCloseTo(st.P, 9);
      expect(at.I).toBe(st.I);
      expect(at.labeled).toBe(st.labels.filter((l) => l !== null).length);
      expect(at.trues).toBe(st.labels.filter((l) => l === true).length);
      expect(at.accepted).toBe(st.accepted);
      expect(at.proposals).toBe(st.proposals);
      expect(at.tokens).toBe(st.tokens);
      expect(at.T).toBeCloseTo(temperature(config, st), 12); // the temperature the next step uses
      const withGold = st.labels.map((l, i) => [l, gold[i]] as const).filter(([l, g]) => l !== null && g !== null);
      expect(at.accuracy).toBeCloseTo(withGold.filter(([l, g]) => l === g).length / withGold.length, 12);
    });
    // each step's T is the temperature it used, from the accepted moves before it
    steps.forEach((s) => expect(temperature(config, { iteration: s.iteration - 1, accepted: series.acceptedBefore(s.iteration) })).toBeCloseTo(s.T, 12));
    expect(series.values('T')[7]).toBe(steps[6].T);
  });

  it('rolls the accept rate over the last proposals that changed a label', async () => {
    const config = { ...defaultConfig, K: 4, poolSize: N, iterations: 200 };
    const { init, steps } = await record(config, 200);
    const series = new StepSeries(init, N, gold, config, steps);
    const rate = series.values('accept');
    expect(Number.isNaN(rate[0])).toBe(true);
    const k = 150;
    const recent = steps.slice(0, k).filter((s) => s.changed).slice(-ACCEPT_WINDOW);
    expect(rate[k]).toBeCloseTo(recent.filter((s) => s.accepted).length / recent.length, 12);
  });

  it('has no accuracy without gold', async () => {
    const config = { ...defaultConfig, K: 4, poolSize: N, iterations: 5 };
    const { init, steps } = await record(config, 5);
    const series = new StepSeries(init, N, gold.map(() => null), config, steps.slice(0, 2));
    expect(series.last).toBe(2);
    expect(series.stateAfter(2).accuracy).toBeNull();
  });
});
