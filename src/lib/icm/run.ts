// Algorithm 1's outer loop: initialise, then step until the iteration budget is spent. The app's
// worker steps one at a time (it persists and shows each step); tests, the benchmark and the
// recording script run a whole search with this. Like the worker, it keeps the search's reads, so
// no read is made twice (search.ts step); what it decides does not depend on that.

import type { ICMConfig } from './config';
import type { LabelModel } from './model';
import { ReadCache } from './plan';
import type { Problem } from './problem';
import { initialState, isDone, step, type InitEvent, type RunState, type StepEvent } from './search';

export interface SearchRun {
  init: InitEvent;
  state: RunState; // after the last step
  steps: StepEvent[];
}

export interface RunOptions {
  maxSteps?: number; // stop before the config's iterations (default: run them all)
  onInit?: (event: InitEvent, state: RunState) => void | Promise<void>; // the seed labels are in
  onStep?: (event: StepEvent, state: RunState) => void | Promise<void>;
  reads?: ReadCache | false; // where the search keeps its reads (default: a new cache); false: each step reads afresh, as after a reload
}

export async function runSearch(problem: Problem, config: ICMConfig, model: LabelModel, opts: RunOptions = {}): Promise<SearchRun> {
  const reads = opts.reads === false ? undefined : (opts.reads ?? new ReadCache());
  const first = await initialState(problem, config, model, reads);
  let state = first.state;
  await opts.onInit?.(first.event, state);
  const steps: StepEvent[] = [];
  while (!isDone(state, config) && state.iteration < (opts.maxSteps ?? Infinity)) {
    const next = await step(problem, state, config, model, reads);
    state = next.state;
    steps.push(next.event);
    await opts.onStep?.(next.event, state);
  }
  return { init: first.event, state, steps };
}
