import { describe, expect, it } from 'vitest';
import { defaultConfig } from './config';
import type { LabelModel } from './model';
import type { Problem } from './problem';
import { applyStep, initialLabels, labelsBefore } from './replay';
import { initialState, step, type StepEvent } from './search';

const problem: Problem = {
  comparison: false,
  items: Array.from({ length: 30 }, (_, i) => ({ group: `g${Math.floor(i / 3)}`, key: i % 3 === 2 ? 'b' : 'a' })),
};
// context-dependent, so proposals and fixes vary
const model: LabelModel = {
  async readSequence(segments) {
    const trues = segments.filter((s) => s.label === true).length;
    return {
      reads: segments.filter((s) => s.read).map((s) => ({ item: s.item, logTrue: (problem.items[s.item].key === 'a' ? 1 : -1) + 0.05 * trues - 0.3, logFalse: 0 })),
      tokens: segments.length,
    };
  },
};

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
});
