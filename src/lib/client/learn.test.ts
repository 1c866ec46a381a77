import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../icm/config';
import { initialState, step, type InitEvent, type RunState, type StepEvent } from '../icm/search';
import type { ErrorInfo, EventMessage, ItemRow, ReplyMap, Request, RequestKind } from '../protocol';
import type { Client } from './client';
import { LearnState } from './learn.svelte';
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

/** Answers 'log' and 'stepDetail' from a log that has `upTo` steps so far. */
class LogClient implements Client {
  upTo = 0;
  sent: Request[] = [];
  request<K extends RequestKind>(req: Extract<Request, { kind: K }>): Promise<ReplyMap[K]> {
    this.sent.push(req);
    try {
      return Promise.resolve(this.#answer(req) as ReplyMap[K]);
    } catch (e) {
      return Promise.reject(e);
    }
  }
  #answer(req: Request): ReplyMap[RequestKind] {
    const have = steps.slice(0, this.upTo);
    if (req.kind === 'log') {
      const after = req.after ?? 0;
      return { init: this.upTo === 0 ? null : init, steps: have.filter((s) => s.iteration > after) };
    }
    if (req.kind === 'stepDetail') return { event: have[req.iteration - 1], before: [], read: `read ${req.iteration}` };
    throw new Error(`unexpected ${req.kind}`);
  }
  onEvent(_fn: (e: EventMessage) => void) {
    return () => {};
  }
  onCrash(_fn: (e: ErrorInfo) => void) {
    return () => {};
  }
  restart() {}
  logs = () => this.sent.filter((r): r is Extract<Request, { kind: 'log' }> => r.kind === 'log');
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('LearnState', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads the whole log once, then only new steps, throttled', async () => {
    const client = new LogClient();
    let now = 0;
    const learn = new LearnState(client, 'r', items, config, { throttleMs: 250, now: () => now });
    learn.sync(0);
    await flush();
    expect(client.logs()).toHaveLength(0); // nothing to read before the first step

    client.upTo = 30;
    learn.sync(30);
    await flush();
    expect(client.logs()).toEqual([{ kind: 'log', runId: 'r' }]);
    expect(learn.last).toBe(30);
    expect(learn.shown).toBe(30);
    expect(learn.event?.iteration).toBe(30);
    expect(learn.state?.U).toBeCloseTo(states[30].U, 9);

    // many reports in quick succession: one more read, after the throttle
    for (const k of [35, 40, 45]) {
      client.upTo = k;
      learn.sync(k);
    }
    await flush();
    expect(client.logs()).toHaveLength(1);
    now = 300;
    await vi.advanceTimersByTimeAsync(300);
    await flush();
    expect(client.logs()).toHaveLength(2);
    expect(client.logs()[1]).toEqual({ kind: 'log', runId: 'r', after: 30 });
    expect(learn.last).toBe(45);
    expect(learn.labelsAt(45)).toEqual(states[45].labels);
    learn.dispose();
  });

  it('keeps the log when the reports lag behind it (the worker reports every 100 ms, saves every step)', async () => {
    const client = new LogClient();
    const learn = new LearnState(client, 'r', items, config, { throttleMs: 0 });
    client.upTo = 30;
    learn.sync(20); // the log already has 30 steps
    await flush();
    expect(learn.last).toBe(30);
    learn.sync(25);
    learn.sync(28);
    await flush();
    expect(learn.last).toBe(30);
    expect(learn.series).not.toBeNull();
    learn.dispose();
  });

  it('starts afresh after a reset', async () => {
    const client = new LogClient();
    const learn = new LearnState(client, 'r', items, config, { throttleMs: 0 });
    client.upTo = 20;
    learn.sync(20);
    await flush();
    learn.inspect(5);
    expect(learn.last).toBe(20);
    client.upTo = 0;
    learn.sync(0);
    expect(learn.series).toBeNull();
    expect(learn.pinned).toBeNull();
    client.upTo = 3;
    learn.sync(3);
    await flush();
    expect(learn.last).toBe(3);
    expect(client.logs().at(-1)).toEqual({ kind: 'log', runId: 'r' });
    learn.dispose();
  });

  it('moves the step on show within the log, and back to live', async () => {
    const client = new LogClient();
    const learn = new LearnState(client, 'r', items, config, { throttleMs: 0 });
    client.upTo = 50;
    learn.sync(50);
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
    const client = new LogClient();
    let frames: ((t: number) => void)[] = [];
    const frame = (fn: (t: number) => void) => {
      frames.push(fn);
      return () => (frames = frames.filter((f) => f !== fn));
    };
    const learn = new LearnState(client, 'r', items, config, { throttleMs: 0, frame });
    client.upTo = 100;
    learn.sync(100);
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

  it('asks for the detail of the step it settles on, not of every step passed', async () => {
    const client = new LogClient();
    const learn = new LearnState(client, 'r', items, config, { throttleMs: 0, detailDelayMs: 100 });
    client.upTo = 40;
    learn.sync(40);
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
