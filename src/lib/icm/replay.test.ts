import { describe, expect, it } from 'vitest';
import { defaultConfig } from './config';
import { applyStep, initialLabels, labelsBefore, stateBefore } from './replay';
import { initialState, step, type StepEvent } from './search';
import { toyModel, toyProblem } from './test-toy';

const problem = toyProblem(30);
// context-dependent, so proposals and fixes vary
const model = toyModel(problem);

describe('replay from the log', () => {
  it('rebuilds the labeling at every step without the model', async () => {
    const config = { ...defaultConfig, K: 4, iterations: 60, poolSize: 30 };
    const init = await initialState(problem, config, model);
    let state = init.state;
    const steps: StepEvent[] = [];
    const history = [state.labels];
    for (let i = 0; i < 60; i++) {
      const r = await step(problem, state, config, model);
      state = r.state;
      steps.push(r.event);
      history.push(state.labels);
    }
    expect(initialLabels(30, init.event)).toEqual(init.state.labels);
    let labels = initialLabels(30, init.event);
    steps.forEach((s, k) => {
      labels = applyStep(labels, s);
      expect(labels).toEqual(history[k + 1]);
    });
    expect(labelsBefore(30, init.event, steps, 31)).toEqual(history[30]);
    expect(steps.some((s) => s.accepted)).toBe(true);
  });

  it('rebuilds the reading order the tree plans read in, so the inspector shows the text read', async () => {
    const config = { ...defaultConfig, K: 4, iterations: 60, poolSize: 30, plan: 'treeBlocks' as const, blocks: 2 };
    const init = await initialState(problem, config, model);
    let state = init.state;
    const steps: StepEvent[] = [];
    const orders = [state.order];
    for (let i = 0; i < 60; i++) {
      const r = await step(problem, state, config, model);
      state = r.state;
      steps.push(r.event);
      orders.push(state.order);
    }
    for (const k of [1, 10, 31, 61]) expect(stateBefore(30, init.event, steps, k)).toEqual({ labels: labelsBefore(30, init.event, steps, k), order: orders[k - 1] });
    expect(new Set(orders.map((o) => o?.join())).size).toBeGreaterThan(2); // the order did change along the run
  });
});
