import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../icm/config';
import { initialState, step, type InitEvent, type RunState, type StepEvent } from '../icm/search';
import type { ErrorInfo, EventMessage, ItemRow, ReplyMap, Request, RequestKind, RunSummary } from '../protocol';
import { defaultSimulatedParams } from '../model/params';
import type { Client } from './client';
import { LearnState, type LearnOptions } from './learn.svelte';
import { RunLog } from './run-log.svelte';
import { toyModel, toyProblem } from '../icm/test-toy';

const N = 24;
const problem = toyProblem(N);
const model = toyModel(problem);
const config = { ...defaultConfig, K: 4, poolSize: N, iterations: 100 };
const items: ItemRow[] = problem.items.map((it, index) => ({ index, id: `i${index}`, group: it.group, key: it.key, text: `item ${index}`, gold: it.key === 'a' }));

let init: InitEvent;
let steps: StepEvent[];
let states: RunState[];

beforeEach(async () => {
  if (steps) return;
  const first = await initialState(problem, config, model);
  init = first.event;
  let state = first.state;
  states = [state];
  steps = [];
  for (let i = 0; i < 100; i++) {
    const r = await step(problem, state, config, model);
    state = r.state;
    states.push(state);
    steps.push(r.event);
  }
});

/** Answers 'stepDetail' from the steps so far; the log comes from the pushes (`feed`). */
class DetailClient implements Client {
  sent: Request[] = [];
  request<K extends RequestKind>(req: Extract<Request, { kind: K }>): Promise<ReplyMap[K]> {
    this.sent.push(req);
    const r: Request = req;
    if (r.kind !== 'stepDetail') return Promise.reject(new Error(`unexpected ${r.kind}`));
    const detail: ReplyMap['stepDetail'] = { event: steps[r.iteration - 1], before: [], read: `read ${r.iteration}` };
    return Promise.resolve(detail as ReplyMap[K]);
  }
  onEvent(_fn: (e: EventMessage) => void) {
    return () => {};
  }
  onCrash(_fn: (e: ErrorInfo) => void) {
    return () => {};
  }
  restart() {}
}

const run: RunSummary = {
  id: 'r', name: 'r', datasetId: 'd', createdAt: 0, status: 'running', config, model: { kind: 'simulated', params: defaultSimulatedParams }, error: null,
  figures: { iteration: 0, pool: N, accuracy: null, constants: null, speed: null },
  stepsPerSecond: 5,
};
const labels = { labels: [], confidence: [] };

/** The log as the worker's pushes leave it with the first `upTo` steps: new steps, or a reset's fresh start. */
function feed(log: RunLog, upTo: number): void {
  if (upTo === 0) return log.apply({ run, labels, steps: [], restart: { init: null } });
  if (log.init === null || upTo < log.last) return log.apply({ run, labels, steps: steps.slice(0, upTo), restart: { init } });
  log.apply({ run, labels, steps: steps.slice(log.last, upTo) });
}

function setup(opts: LearnOptions = {}) {
  const client = new DetailClient();
  const log = new RunLog('r');
  log.apply({ run, labels, steps: [], restart: { init: null } });
  log.attach(items, config); // the openRun reply
  const learn = new LearnState(client, log, items, config, opts);
  const to = (k: number) => feed(log, k);
  return { client, log, learn, to };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('LearnState', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads every figure from the log, at the step on show, as each batch of steps arrives', async () => {
    const { log, learn, to } = setup();
    to(0);
    expect(learn.series).toBeNull(); // nothing to show before the first step
    expect(learn.figures).toMatchObject({ iteration: 0, labeled: 0, tokens: 0 });

    to(30);
    expect(learn.last).toBe(30);
    expect(learn.shown).toBe(30);
    expect(learn.event?.iteration).toBe(30);
    expect(learn.state?.U).toBeCloseTo(states[30].U, 9);
    for (const k of [35, 40, 45]) {
      to(k); // a batch: the newest step, the figures and the event move together
      expect([learn.last, learn.shown, learn.figures.iteration, learn.event?.iteration, log.last]).toEqual([k, k, k, k, k]);
    }
    expect(learn.figures.tokens).toBe(states[45].tokens);
    expect(learn.figures.acceptRate).toBe(states[45].proposals === 0 ? 0 : states[45].accepted / states[45].proposals);
    expect(learn.labelsAt(45)).toEqual(states[45].labels);
    learn.inspect(20); // a step picked: the same figures the run had then
    to(50);
    expect([learn.shown, learn.figures.iteration, learn.event?.iteration, learn.last]).toEqual([20, 20, 20, 50]);
    expect(learn.figures.labeled).toBe(states[20].labels.filter((l) => l !== null).length);
    learn.dispose();
  });

  it('keeps the series and the step picked when the whole log is pushed again (the run reopened after a crash)', async () => {
    const { log, learn, to } = setup();
    to(30);
    learn.inspect(12);
    log.apply({ run, labels, steps: steps.slice(0, 32), restart: { init } });
    expect(learn.last).toBe(32);
    expect(learn.pinned).toBe(12);
    expect(learn.series).not.toBeNull();
    learn.dispose();
  });

  it('starts afresh after a reset', async () => {
    const { learn, to } = setup();
    to(20);
    await flush();
    learn.inspect(5);
    expect(learn.last).toBe(20);
    to(0);
    expect(learn.series).toBeNull();
    expect(learn.pinned).toBeNull();
    to(3);
    await flush();
    expect(learn.last).toBe(3);
    learn.dispose();
  });

  it('moves the step on show within the log, and back to live', async () => {
    const { learn, to } = setup();
    to(50);
    await flush();
    learn.inspect(10);
    expect(learn.shown).toBe(10);
    expect(learn.following).toBe(false);
    learn.move(-20);
    expect(learn.shown).toBe(0);
    expect(learn.event).toBeNull(); // point 0: the seed labels, no step
    learn.move(500);
    expect(learn.shown).toBe(50);
    learn.live();
    expect(learn.following).toBe(true);
    learn.dispose();
  });

  it('replays the log without the worker, then follows the newest step', async () => {
    let frames: ((t: number) => void)[] = [];
    const frame = (fn: (t: number) => void) => {
      frames.push(fn);
      return () => (frames = frames.filter((f) => f !== fn));
    };
    const { client, learn, to } = setup({ frame });
    to(100);
    await flush();
    const sent = client.sent.length;
    learn.speed = 20;
    learn.replay();
    expect(learn.replaying).toBe(true);
    expect(learn.shown).toBe(0); // at the end: from the start
    const run = (t: number) => {
      const f = frames.shift();
      f?.(t);
    };
    run(0);
    run(500); // half a second at 20 steps/s
    expect(learn.shown).toBe(10);
    learn.stopReplay();
    expect(learn.shown).toBe(10);
    learn.replay(); // from where it stopped
    run(1000);
    run(11_000);
    expect(learn.replaying).toBe(false);
    expect(learn.following).toBe(true);
    expect(client.sent.length).toBe(sent); // nothing asked of the worker
    learn.dispose();
  });

  it('skips the steps that change nothing: to the next accepted move, a replay going on from there (issue 25, item 6)', async () => {
    let frames: ((t: number) => void)[] = [];
    const frame = (fn: (t: number) => void) => {
      frames.push(fn);
      return () => (frames = frames.filter((f) => f !== fn));
    };
    const { learn, to } = setup({ frame });
    to(100);
    await flush();
    const changes = steps.filter((s) => s.accepted).map((s) => s.iteration);
    expect(changes.length).toBeGreaterThan(1);
    learn.inspect(0);
    expect(learn.nextChange).toBe(changes[0]);
    learn.inspect(changes[0]);
    expect(learn.nextChange).toBe(changes[1]);
    learn.inspect(changes.at(-1)!);
    expect(learn.nextChange).toBeNull(); // nothing changes after the last accepted move

    learn.inspect(changes[0]);
    learn.speed = 1;
    learn.replay();
    learn.skipTo(learn.nextChange!);
    expect(learn.replaying).toBe(true); // the replay goes on from the change
    expect(learn.shown).toBe(changes[1]);
    frames.shift()?.(0);
    frames.shift()?.(1000); // one second at 1 step/s
    expect(learn.shown).toBe(changes[1] + 1);
    learn.dispose();
  });

  it('asks for the detail of the step it settles on, not of every step passed', async () => {
    const { client, learn, to } = setup({ detailDelayMs: 100 });
    to(40);
    await flush();
    for (const k of [3, 4, 5, 6]) {
      learn.inspect(k);
      learn.requestDetail(k, true);
      await vi.advanceTimersByTimeAsync(20);
    }
    await vi.advanceTimersByTimeAsync(200);
    await flush();
    const asked = client.sent.filter((r) => r.kind === 'stepDetail');
    expect(asked).toEqual([{ kind: 'stepDetail', runId: 'r', iteration: 6 }]);
    expect(learn.detail?.read).toBe('read 6');
    learn.requestDetail(20, false); // playing live: not asked
    await vi.advanceTimersByTimeAsync(200);
    expect(client.sent.filter((r) => r.kind === 'stepDetail')).toHaveLength(1);
    learn.dispose();
  });
});
