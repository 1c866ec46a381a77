import { describe, expect, it } from 'vitest';
import { AppState, hashForRun, runIdFromHash, toErrorInfo, type Client } from './app.svelte';
import type { ErrorInfo, EventMessage, ReplyMap, Request, RequestKind, RunSummary, RunUpdate } from '../protocol';
import type { StepEvent } from '../icm/search';
import { defaultConfig } from '../icm/config';
import { defaultSimulatedParams } from '../model/params';

function summary(id: string, over: Partial<RunSummary> = {}, iteration = 0): RunSummary {
  return {
    id,
    name: `run ${id}`,
    datasetId: 'math',
    createdAt: 1,
    status: 'paused',
    config: defaultConfig,
    model: { kind: 'simulated', params: defaultSimulatedParams },
    figures: { iteration, pool: 16, accuracy: 0.5, constants: null, speed: null },
    stepsPerSecond: null,
    error: null,
    ...over,
  };
}

function stepEvent(iteration: number): StepEvent {
  const score = { U: 1, P: 0.1, I: 0 };
  return {
    iteration, item: 0, weight: 1, totalWeight: 16, previous: null, proposal: true, proposalLogOdds: 1, changed: true, fixes: [],
    before: score, after: score, deltaU: 0.5, T: 5, acceptProb: 1, draw: 0.3, accepted: true, tokens: 10, evaluations: 1,
  };
}

/** A stand-in worker: answers from a table, records requests, and can push events or crash.
 *  Like the worker, it pushes what a request changed before it replies. */
class FakeClient implements Client {
  sent: Request[] = [];
  restarts = 0;
  runs = new Map<string, RunSummary>([['a', summary('a')]]);
  storageFull = false;
  #events: ((e: EventMessage) => void)[] = [];
  #crashes: ((e: ErrorInfo) => void)[] = [];

  request<K extends RequestKind>(req: Extract<Request, { kind: K }>): Promise<ReplyMap[K]> {
    this.sent.push(req);
    return Promise.resolve(this.#answer(req) as ReplyMap[K]);
  }

  #answer(req: Request): ReplyMap[RequestKind] {
    const labels = { labels: [true, null], confidence: [0.9, null] };
    const init = { seeds: [0], seedLabels: [true], fixes: [], score: { U: 0, P: 0, I: 0 }, tokens: 0 };
    switch (req.kind) {
      case 'init':
        return { datasets: [], runs: [...this.runs.values()], storageFull: this.storageFull };
      case 'openRun': {
        const run = this.runs.get(req.runId);
        if (req.runId === 'broken') throw { name: 'UnknownError', message: 'The database could not be read.' };
        if (!run) throw { name: 'NotFoundError', message: 'This run no longer exists: it may have been deleted in another tab. Pick another run.' };
        this.push({ run, labels, steps: [stepEvent(1), stepEvent(2)], restart: { init } });
        return { runId: req.runId, items: [] };
      }
      case 'createRun':
        if (req.config.poolSize > 1000) return { ok: false, errors: { poolSize: 'Pool size exceeds the dataset.' } };
        this.runs.set('b', summary('b', { status: 'ready' }));
        return { ok: true, run: summary('b', { status: 'ready' }) };
      case 'play':
      case 'pause': {
        const run = { ...this.runs.get(req.runId)!, status: req.kind === 'play' ? 'running' : 'paused' } as const;
        this.push({ run, labels, steps: [] });
        return { runId: req.runId };
      }
      case 'step':
        this.push({ run: summary(req.runId, {}, 3), labels, steps: [stepEvent(3)] });
        return { runId: req.runId };
      case 'reset':
        this.push({ run: summary(req.runId, {}, 0), labels, steps: [], restart: { init: null } });
        return { runId: req.runId };
      case 'deleteRun':
        this.runs.delete(req.runId);
        return { runId: req.runId };
      case 'modelCache':
        return { cached: Object.fromEntries(req.modelIds.map((id) => [id, false])) };
      case 'deleteModel':
      case 'cancelLoad':
        return { modelId: req.modelId };
      case 'loadModel':
        return { modelId: req.modelId, contextWindow: 4096, warnings: [] };
      default:
        throw { name: 'NotImplemented', message: `The fake worker does not answer ${req.kind}.` };
    }
  }

  onEvent(fn: (e: EventMessage) => void) {
    this.#events.push(fn);
    return () => {};
  }
  onCrash(fn: (e: ErrorInfo) => void) {
    this.#crashes.push(fn);
    return () => {};
  }
  restart() {
    this.restarts++;
  }
  push(update: RunUpdate) {
    if (this.runs.has(update.run.id)) this.runs.set(update.run.id, update.run);
    this.event({ kind: 'runUpdate', update });
  }
  event(e: EventMessage) {
    for (const fn of this.#events) fn(e);
  }
  crash(e: ErrorInfo) {
    for (const fn of this.#crashes) fn(e);
  }
}

describe('URL hash', () => {
  it('round-trips a run id and maps anything else to the set-up screen', () => {
    expect(runIdFromHash(hashForRun('r-1 x'))).toBe('r-1 x');
    expect(runIdFromHash('')).toBeNull();
    expect(runIdFromHash('#new')).toBeNull();
  });
});

describe('AppState', () => {
  it('opens the run in the hash; a paused run stays paused', async () => {
    const client = new FakeClient();
    const app = new AppState(client);
    await app.start('#run=a');
    expect(app.open?.run.id).toBe('a');
    expect(app.open?.steps.map((s) => s.iteration)).toEqual([2, 1]); // newest first
    expect(client.sent.map((r) => r.kind)).toEqual(['init', 'openRun']);
  });

  it('an address followed twice at once (set by a page, then its hashchange) opens the run once, open for both callers', async () => {
    const client = new FakeClient();
    const app = new AppState(client);
    await app.start('');
    const first = app.followHash('#run=a').then(() => app.open?.run.id);
    const second = app.followHash('#run=a').then(() => app.open?.run.id);
    expect(await Promise.all([first, second])).toEqual(['a', 'a']);
    expect(client.sent.filter((r) => r.kind === 'openRun')).toHaveLength(1);
  });

  it("resumes a run saved as 'running' (cut off by a reload)", async () => {
    const client = new FakeClient();
    client.runs.set('a', summary('a', { status: 'running' }));
    const app = new AppState(client);
    await app.start('#run=a');
    expect(client.sent.map((r) => r.kind)).toEqual(['init', 'openRun', 'play']);
  });

  it('folds pushed step updates into the open run and the runs list', async () => {
    const client = new FakeClient();
    const app = new AppState(client);
    await app.start('#run=a');
    client.push({ run: summary('a', { status: 'running' }, 3), labels: { labels: [false, true], confidence: [0.6, 0.7] }, steps: [stepEvent(3)] });
    expect(app.open?.run.figures.iteration).toBe(3);
    expect(app.open?.labels.labels).toEqual([false, true]);
    expect(app.open?.steps[0].iteration).toBe(3);
    expect(app.runs.find((r) => r.id === 'a')?.figures.iteration).toBe(3);
  });

  it('lists a step once, however often it is pushed', async () => {
    const client = new FakeClient();
    const app = new AppState(client);
    await app.start('#run=a');
    await app.step();
    client.push({ run: summary('a', {}, 3), labels: { labels: [], confidence: [] }, steps: [stepEvent(3)] });
    expect(app.open?.steps.map((s) => s.iteration)).toEqual([3, 2, 1]);
  });

  it('lists every step a playing run pushed, newest first, at most twelve, without asking again once it stops', async () => {
    const client = new FakeClient();
    client.runs.set('a', summary('a', { status: 'running' }));
    const app = new AppState(client);
    await app.start('#run=a');
    const steps = Array.from({ length: 13 }, (_, i) => stepEvent(i + 3));
    client.push({ run: summary('a', { status: 'running' }, 15), labels: { labels: [], confidence: [] }, steps });
    client.sent = [];
    client.push({ run: summary('a', { status: 'paused' }, 15), labels: { labels: [], confidence: [] }, steps: [] });
    await Promise.resolve();
    expect(client.sent).toEqual([]);
    expect(app.open?.steps.map((s) => s.iteration)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
  });

  it('a control shows what the worker pushed for it, with the newest figures', async () => {
    const client = new FakeClient();
    const app = new AppState(client);
    await app.start('#run=a');
    client.push({ run: summary('a', { status: 'running' }, 5), labels: { labels: [], confidence: [] }, steps: [] });
    await app.play();
    expect(app.open?.run.status).toBe('running');
    expect(app.open?.run.figures.iteration).toBe(5);
  });

  it("returns the worker's refusal per field and creates nothing", async () => {
    const client = new FakeClient();
    const app = new AppState(client);
    await app.start('');
    const result = await app.createRun('math', { ...defaultConfig, poolSize: 5000 }, { kind: 'simulated', params: defaultSimulatedParams });
    expect(result).toEqual({ errors: { poolSize: 'Pool size exceeds the dataset.' } });
    expect(app.runs.map((r) => r.id)).toEqual(['a']);
  });

  it('shows a failed request as an alert instead of throwing', async () => {
    const client = new FakeClient();
    const app = new AppState(client);
    await app.start('#run=broken');
    expect(app.open).toBeNull();
    expect(app.alert?.message).toBe('The database could not be read.');
  });

  it('on a crash shows the error; Retry restarts the worker, reopens the run and plays it', async () => {
    const client = new FakeClient();
    const app = new AppState(client);
    await app.start('#run=a');
    client.crash({ name: 'WorkerCrash', message: 'The run worker stopped.' });
    expect(app.alert?.message).toBe('The run worker stopped.');
    client.sent = [];
    await app.retry();
    expect(client.restarts).toBe(1);
    expect(app.alert).toBeNull();
    expect(client.sent.map((r) => r.kind)).toEqual(['init', 'openRun', 'play']);
    expect(app.open?.run.status).toBe('running');
  });

  it("shows a run in status 'error' in the alert region", async () => {
    const client = new FakeClient();
    client.runs.set('a', summary('a', { status: 'error', error: { name: 'ModelError', message: 'The model failed.' } }));
    const app = new AppState(client);
    await app.start('#run=a');
    expect(app.alert?.message).toBe('The model failed.');
  });

  it('a run another tab plays is opened to follow it, not played here too', async () => {
    const client = new FakeClient();
    client.runs.set('a', summary('a', { status: 'running', elsewhere: true }));
    const app = new AppState(client);
    await app.start('#run=a');
    expect(client.sent.map((r) => r.kind)).toEqual(['init', 'openRun']);
    expect(app.open?.run.elsewhere).toBe(true);
  });

  it('a run deleted in another tab leaves the list and the screen, which says why; another tab’s import asks for the lists again', async () => {
    const client = new FakeClient();
    client.runs.set('b', summary('b'));
    const app = new AppState(client);
    await app.start('#run=a');
    client.event({ kind: 'runDeleted', runId: 'b' });
    expect(app.runs.map((r) => r.id)).toEqual(['a']);
    expect(app.open?.run.id).toBe('a');
    expect(app.alert).toBeNull();
    client.event({ kind: 'runDeleted', runId: 'a' });
    expect(app.open).toBeNull();
    expect(app.runs).toEqual([]);
    expect(app.alert?.message).toBe('Run “run a” was deleted in another tab of this browser. Nothing else was changed; pick another run or start a new one.');
    client.runs.set('c', summary('c'));
    client.sent = [];
    client.event({ kind: 'storeChanged' });
    await Promise.resolve();
    expect(client.sent.map((r) => r.kind)).toEqual(['init']);
    await Promise.resolve();
    expect(app.runs.map((r) => r.id)).toContain('c');
  });

  it('an address naming a run this browser does not have says so, with nothing to retry (issue 25, item 9)', async () => {
    const client = new FakeClient();
    const app = new AppState(client);
    await app.start('#run=gone');
    expect(app.open).toBeNull();
    expect(app.alert).toBeNull(); // no "NotFoundError … Retry"
    expect(app.missing).toBe('gone');
    await app.followHash('#run=a');
    expect(app.open?.run.id).toBe('a');
    expect(app.missing).toBeNull();
  });

  it('deleting the open run closes it', async () => {
    const client = new FakeClient();
    const app = new AppState(client);
    await app.start('#run=a');
    expect(await app.deleteRun('a')).toBe(true);
    expect(app.open).toBeNull();
    expect(app.runs).toEqual([]);
  });
});

describe('AppState and the language model', () => {
  const progress = { phase: 'download', fraction: 0.5, shard: 1, shards: 2, bytesDone: 1, bytesTotal: 2, bytesPerSecond: 1, bytesReceived: 0, elapsedS: 1, text: '' } as const;

  it('routes load progress to the model state', async () => {
    const client = new FakeClient();
    const app = new AppState(client, { storage: null });
    await app.start('');
    const load = app.models.loadModel('m');
    client.event({ kind: 'loadProgress', modelId: 'm', progress });
    expect(app.models.load.status === 'loading' && app.models.load.progress?.fraction).toBe(0.5);
    await load;
    expect(app.models.loadedId).toBe('m');
  });

  it('a crash or Retry forgets the model the old worker had loaded', async () => {
    const client = new FakeClient();
    const app = new AppState(client, { storage: null });
    await app.start('#run=a');
    await app.models.loadModel('m');
    client.crash({ name: 'WorkerCrash', message: 'The run worker stopped.' });
    expect(app.models.loadedId).toBeNull();
    await app.models.loadModel('m');
    await app.retry();
    expect(app.models.loadedId).toBeNull();
  });
});

describe('toErrorInfo', () => {
  it('keeps name and message of errors and error-like objects, and stringifies the rest', () => {
    expect(toErrorInfo(new TypeError('bad'))).toEqual({ name: 'TypeError', message: 'bad' });
    expect(toErrorInfo({ name: 'X', message: 'y' })).toEqual({ name: 'X', message: 'y' });
    expect(toErrorInfo('plain')).toEqual({ name: 'Error', message: 'plain' });
  });
});
