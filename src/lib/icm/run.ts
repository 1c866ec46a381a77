// Algorithm 1's outer loop: initialise, then step until the iteration budget is spent. The app's
// worker steps one at a time (it persists and shows each step); tests, the benchmark and the
// recording script run a whole search with this.

import type { ICMConfig } from './config';
import type { LabelModel } from './model';
import type { Problem } from './problem';
import { initialState, isDone, step, type InitEvent, type RunState, type StepEvent } from './search';

export interface SearchRun {
  init: InitEvent;
  state: RunState; // after the last step
  steps: StepEvent[];
}

export interface RunOptions {
  maxSteps?: number; // stop before the config's iterations (default: run them all)
  onStep?: (event: StepEvent, state: RunState) => void | Promise<void>;
}

export async function runSearch(problem: Problem, config: ICMConfig, model: LabelModel, opts: RunOptions = {}): Promise<SearchRun> {
  const first = await initialState(problem, config, model);
  let state = first.state;
  const steps: StepEvent[] = [];
  while (!isDone(state, config) && state.iteration < (opts.maxSteps ?? Infinity)) {
    const next = await step(problem, state, config, model);
    state = next.state;
    steps.push(next.event);
    await opts.onStep?.(next.event, state);
  }
  return { init: first.event, state, steps };
}
