import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ErrorInfo, EventMessage, RequestMessage, WorkerMessage } from '../protocol';
import { DEFAULT_TIMEOUTS, STEP_IN_FLIGHT_MS, WorkerClient, type WorkerLike } from './worker-client';

/** A Worker stand-in: records what is posted, and lets the test play the worker's side. */
class FakeWorker implements WorkerLike {
  posted: RequestMessage[] = [];
  terminated = false;
  private listeners = new Map<string, ((e: Event) => void)[]>();

  postMessage(msg: RequestMessage): void {
    this.posted.push(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
  addEventListener(type: string, fn: (e: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  private emit(type: string, e: Event): void {
    for (const fn of this.listeners.get(type) ?? []) fn(e);
  }
  send(msg: WorkerMessage): void {
    this.emit('message', new MessageEvent('message', { data: msg }));
  }
  fail(message: string): void {
    const e = new Event('error');
    Object.assign(e, { message });
    this.emit('error', e);
  }
  garble(): void {
    this.emit('messageerror', new MessageEvent('messageerror'));
  }
}

/** The error a promise rejects with (settling it, so fake timers can run first). */
const rejection = (p: Promise<unknown>): Promise<Error> =>
  p.then(
    () => new Error('expected a rejection'),
    (e: Error) => e,
  );

const summary = (id: string) => ({ id }) as unknown as import('../protocol').RunSummary;

describe('WorkerClient', () => {
  let workers: FakeWorker[];
  let client: WorkerClient;
  const last = () => workers[workers.length - 1];

  beforeEach(() => {
    workers = [];
    client = new WorkerClient(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    });
  });
  afterEach(() => vi.useRealTimers());

  it('matches replies to requests by id, whatever their order', async () => {
    const a = client.request({ kind: 'pause', runId: 'a' });
    const b = client.request({ kind: 'deleteRun', runId: 'b' });
    expect(workers).toHaveLength(1);
    const [ma, mb] = last().posted;
    expect(ma).toEqual({ id: ma.id, kind: 'pause', runId: 'a' });
    expect(mb.id).not.toBe(ma.id);
    last().send({ id: mb.id, kind: 'deleteRun', ok: true, value: { runId: 'b' } });
    last().send({ id: ma.id, kind: 'pause', ok: true, value: { runId: 'a' } });
    expect(await b).toEqual({ runId: 'b' });
    expect((await a).runId).toBe('a');
  });

  it('rejects with an Error carrying the ErrorInfo name and message', async () => {
    const p = client.request({ kind: 'openRun', runId: 'x' });
    const { id } = last().posted[0];
    last().send({ id, kind: 'openRun', ok: false, error: { name: 'NotFoundError', message: 'This run no longer exists.' } });
    await expect(p).rejects.toMatchObject({ name: 'NotFoundError', message: 'This run no longer exists.' });
  });

  it('fans pushed events out to listeners until they unsubscribe', () => {
    const seen: EventMessage[] = [];
    const off = client.onEvent((e) => seen.push(e));
    void client.request({ kind: 'init' }).catch(() => {});
    const update: EventMessage = { kind: 'runUpdate', update: { run: summary('r'), labels: { labels: [], confidence: [] }, steps: [] } };
    last().send(update);
    off();
    last().send(update);
    expect(seen).toEqual([update]);
  });

  it('a worker error rejects pending requests, reports a crash once and stops the worker', async () => {
    const crashes: ErrorInfo[] = [];
    client.onCrash((e) => crashes.push(e));
    const p = client.request({ kind: 'init' });
    last().fail('boom');
    last().fail('again');
    await expect(p).rejects.toThrow(/run worker failed: boom.*Retry/);
    expect(crashes).toHaveLength(1);
    expect(crashes[0].name).toBe('WorkerError');
    expect(last().terminated).toBe(true);
    // until Retry, requests fail at once with the same reason
    await expect(client.request({ kind: 'init' })).rejects.toThrow(/boom/);
    expect(workers).toHaveLength(1);
  });

  it('an unreadable message and a fatal event are crashes too', async () => {
    const crashes: ErrorInfo[] = [];
    client.onCrash((e) => crashes.push(e));
    const p = client.request({ kind: 'init' });
    last().garble();
    await expect(p).rejects.toThrow(/could not be read/);
    client.restart();
    const q = client.request({ kind: 'init' });
    last().send({ kind: 'fatal', error: { name: 'TypeError', message: 'The run worker failed: x.' } });
    await expect(q).rejects.toThrow('The run worker failed: x.');
    expect(crashes.map((c) => c.name)).toEqual(['DataCloneError', 'TypeError']);
  });

  it('a request that is not answered in time is a crash', async () => {
    vi.useFakeTimers();
    const crashes: ErrorInfo[] = [];
    client.onCrash((e) => crashes.push(e));
    const p = client.request({ kind: 'init' });
    const caught = rejection(p);
    vi.advanceTimersByTime(14_999);
    expect(crashes).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect((await caught).message).toMatch(/did not answer "init" within 15 s/);
    expect(crashes[0].name).toBe('TimeoutError');
    expect(last().terminated).toBe(true);
  });

  it('opening a run is not declared dead while the worker finishes a slow step (it answers between two steps)', async () => {
    vi.useFakeTimers();
    const crashes: ErrorInfo[] = [];
    client.onCrash((e) => crashes.push(e));
    const p = client.request({ kind: 'openRun', runId: 'a' });
    // a step on a real model on a busy CPU: 15 minutes measured (issue 21, item 11)
    vi.advanceTimersByTime(15 * 60_000);
    expect(crashes).toEqual([]);
    expect(last().terminated).toBe(false);
    last().send({ id: last().posted[0].id, kind: 'openRun', ok: true, value: { runId: 'a', items: [] } });
    await expect(p).resolves.toEqual({ runId: 'a', items: [] });
    for (const kind of ['openRun', 'play', 'step', 'reset', 'deleteRun', 'deleteDataset'] as const) expect(DEFAULT_TIMEOUTS[kind]).toBe(STEP_IN_FLIGHT_MS);
  });

  it('timeouts can be set per request kind, and an answer clears its timer', async () => {
    vi.useFakeTimers();
    const quick = new WorkerClient(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    }, { timeouts: { pause: 50 } });
    const crashes: ErrorInfo[] = [];
    quick.onCrash((e) => crashes.push(e));
    const p = quick.request({ kind: 'pause', runId: 'a' });
    last().send({ id: last().posted[0].id, kind: 'pause', ok: true, value: { runId: 'a' } });
    await p;
    vi.advanceTimersByTime(1000);
    expect(crashes).toHaveLength(0);
    const q = rejection(quick.request({ kind: 'pause', runId: 'a' }));
    vi.advanceTimersByTime(50);
    expect((await q).message).toMatch(/did not answer "pause" within 50 ms/);
    expect(crashes).toHaveLength(1);
  });

  it('restart makes a fresh worker and ignores the old one', async () => {
    const p = client.request({ kind: 'init' });
    const old = last();
    client.restart();
    await expect(p).rejects.toThrow(/restarted/);
    expect(old.terminated).toBe(true);
    const q = client.request({ kind: 'pause', runId: 'a' });
    expect(workers).toHaveLength(2);
    const seen: EventMessage[] = [];
    client.onEvent((e) => seen.push(e));
    old.send({ kind: 'fatal', error: { name: 'Error', message: 'stale' } });
    expect(seen).toHaveLength(0);
    last().send({ id: last().posted[0].id, kind: 'pause', ok: true, value: { runId: 'a' } });
    expect((await q).runId).toBe('a');
  });

  it('ignores a reply whose kind does not match its request', async () => {
    vi.useFakeTimers();
    const p = rejection(client.request({ kind: 'pause', runId: 'a' }));
    last().send({ id: last().posted[0].id, kind: 'deleteRun', ok: true, value: { runId: 'a' } });
    vi.advanceTimersByTime(30_000);
    expect((await p).message).toMatch(/did not answer "pause"/);
  });

  it('a worker that cannot be made rejects with an actionable message', async () => {
    const broken = new WorkerClient(() => {
      throw new Error('Worker is not defined');
    });
    await expect(broken.request({ kind: 'init' })).rejects.toThrow(/could not start: Worker is not defined/);
  });

  it('terminate stops the worker and refuses further requests', async () => {
    const p = client.request({ kind: 'init' });
    client.terminate();
    await expect(p).rejects.toThrow(/stopped/);
    expect(last().terminated).toBe(true);
    await expect(client.request({ kind: 'init' })).rejects.toThrow(/stopped/);
  });
});
