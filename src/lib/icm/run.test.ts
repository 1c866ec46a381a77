import { describe, expect, it } from 'vitest';
import { defaultConfig } from './config';
import { runSearch } from './run';
import { initialState, step } from './search';
import { toyModel, toyProblem } from './test-toy';

describe('runSearch', () => {
  const problem = toyProblem(12);
  const config = { ...defaultConfig, poolSize: 12, iterations: 15, K: 4, seed: 3 };

  it('takes the same steps as stepping by hand, up to the iteration budget', async () => {
    const run = await runSearch(problem, config, toyModel(problem));
    let { state } = await initialState(problem, config, toyModel(problem));
    const byHand = [];
    for (let k = 0; k < config.iterations; k++) {
      const next = await step(problem, state, config, toyModel(problem));
      byHand.push(next.event);
      state = next.state;
    }
    expect(run.steps).toEqual(byHand);
    expect(run.state).toEqual(state);
    expect(run.state.iteration).toBe(15);
  });

  it('stops at maxSteps and reports the seed labels before the first step', async () => {
    const seen: string[] = [];
    const run = await runSearch(problem, config, toyModel(problem), {
      maxSteps: 4,
      onInit: (init) => void seen.push(`init ${init.seeds.length}`),
      onStep: (event) => void seen.push(`step ${event.iteration}`),
    });
    expect(run.steps).toHaveLength(4);
    expect(seen).toEqual(['init 4', 'step 1', 'step 2', 'step 3', 'step 4']);
  });
});
