import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { builtinDatasets } from '../src/lib/data/builtin/index';
import { defaultConfig, type ICMConfig } from '../src/lib/icm/config';
import type { Backend } from './backends/backend';
import { simulatedBackend } from './backends/simulated/index';
import { defaultSimulatedParams, type ModelSpec } from '../src/lib/model/params';
import { packSegments, type Segment } from '../src/lib/icm/model';
import type { RunUpdate } from '../src/lib/protocol';
import { openDB } from 'idb';
import { Store } from '../src/lib/store/db';
import type { IcmSchema } from '../src/lib/store/schema';
import { STORAGE_FULL } from '../src/lib/store/errors';
import type { HostDeps } from './host';
import { hostHarness } from './test-harness';
import { qwenTokenizer } from '../src/lib/model/test-tokenizers';
import { FakeRuntime, fakeRecord } from './backends/webllm/fake';
import { parseProject } from '../src/lib/export/project';

/** The simulated backend whose model shows each sequence to `see` before reading it (`see` may throw). */
function simulatedSeeing(see: (segments: Segment[]) => void): Backend<'simulated'> {
  const simulated = simulatedBackend();
  return {
    ...simulated,
    async open(spec, ds, indices) {
      const real = await simulated.open(spec, ds, indices);
      return {
        ...real,
        readSequence: (segments) => {
          see(segments);
          return real.readSequence(segments);
        },
      };
    },
  };
}

// Generated once: the built-in tasks are deterministic.
const builtins = builtinDatasets();
const dataset = builtins[0];
const model: ModelSpec = { kind: 'simulated', params: defaultSimulatedParams };
const config: ICMConfig = { ...defaultConfig, poolSize: 24, iterations: 1000, seed: 7 };

let dbCount = 0;
const freshDb = () => `host-test-${++dbCount}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every put and add (or only those into one object store) fails as a full disk does. */
function fullDisk(only?: string) {
  for (const method of ['put', 'add'] as const) {
    const original = IDBObjectStore.prototype[method];
    vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (only !== undefined && this.name !== only) return original.apply(this, args);
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
  }
}

function harness(dbName: string, deps: HostDeps = {}) {
  return hostHarness({ dbName, builtins: () => builtins, ...deps });
}

type Harness = ReturnType<typeof harness>;

async function newRun(h: Harness, cfg: ICMConfig = config): Promise<string> {
  await h.send({ kind: 'init' });
  const reply = await h.send({ kind: 'createRun', datasetId: dataset.id, config: cfg, model });
  if (!reply.ok) throw new Error(JSON.stringify(reply.errors));
  return reply.run.id;
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(2);
  }
}

async function storedRun(dbName: string, id: string) {
  const store = await Store.open(dbName);
  try {
    return { run: await store.getRun(id), steps: await store.stepCount(id) };
  } finally {
    store.close();
  }
}

const hosts: Harness[] = [];
function track(h: Harness): Harness {
  hosts.push(h);
  return h;
}
afterEach(async () => {
  vi.restoreAllMocks();
  // stop any loop a failed test left running
  for (const h of hosts.splice(0)) await h.host.idle();
});

describe('run host', () => {
  it('stores the built-in datasets once and lists them with their runs', async () => {
    const db = freshDb();
    const h = track(harness(db));
    const first = await h.send({ kind: 'init' });
    expect(first.datasets.map((d) => d.id)).toEqual(builtins.map((d) => d.id));
    expect(first.datasets[0]).toMatchObject({ builtin: true, items: dataset.items.length, hasGold: true });
    expect(first.runs).toEqual([]);
    const created = await h.send({ kind: 'createRun', datasetId: dataset.id, config, model });
    expect(created.ok && created.run).toMatchObject({ status: 'ready', datasetId: dataset.id, config, figures: { iteration: 0, accuracy: null } });
    const again = await track(harness(db)).send({ kind: 'init' });
    expect(again.datasets).toHaveLength(builtins.length);
    expect(again.runs.map((r) => r.status)).toEqual(['ready']);
  });

  it('refuses out-of-range settings with a message per field', async () => {
    const h = track(harness(freshDb()));
    await h.send({ kind: 'init' });
    const reply = await h.send({
      kind: 'createRun',
      datasetId: dataset.id,
      config: { ...config, alpha: -1, K: 3, iterations: 1.5 },
      model: { kind: 'simulated', params: { ...defaultSimulatedParams, knowledge: 2 } },
    });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(Object.keys(reply.errors).sort()).toEqual(['K', 'alpha', 'iterations', 'knowledge']);
    expect(reply.errors.K).toMatch(/even/);
    expect(reply.errors.knowledge).toMatch(/between 0.5 and 1/);
    await expect(h.send({ kind: 'createRun', datasetId: 'nope', config, model })).rejects.toThrow(/not stored in this browser/);
  });

  it('names two runs of one set-up apart, by model and a short id, and so their exports (issue 25, item 8)', async () => {
    // ids that share their first characters: the short id grows until the names differ
    let n = 0;
    const h = track(harness(freshDb(), { newId: () => `abcd${++n}-0000` }));
    const a = await newRun(h);
    const b = await newRun(h);
    const names = (await h.send({ kind: 'init' })).runs.map((r) => r.name);
    expect(new Set(names).size).toBe(2);
    for (const name of names) expect(name).toMatch(new RegExp(`^${dataset.name.replace(/[()]/g, '\\$&')} · simulated model · seed 7 · abcd\\d*$`));
    const files = await Promise.all([a, b].map((runId) => h.send({ kind: 'exportRun', runId, format: 'labels-csv' })));
    expect(files[0].filename).not.toBe(files[1].filename);
    expect(files[0].filename).toMatch(/-simulated-model-seed-7-abcd\d*-\d{4}-\d\d-\d\d-\d{6}-labels\.csv$/);
  });

  it('resumes after a reload with the same state and continues exactly as an uninterrupted run', async () => {
    const db = freshDb();
    const a = track(harness(db));
    const id = await newRun(a);
    for (let i = 0; i < 5; i++) await a.send({ kind: 'step', runId: id });
    const before = { ...(await a.send({ kind: 'openRun', runId: id })), ...a.view(id) };

    const b = track(harness(db)); // a reload: a new worker, the same database
    const listed = await b.send({ kind: 'init' });
    expect(listed.runs.find((r) => r.id === id)?.figures.iteration).toBe(5);
    const reopened = { ...(await b.send({ kind: 'openRun', runId: id })), ...b.view(id) };
    expect(reopened.labels).toEqual(before.labels);
    expect({ ...reopened.run.figures, speed: null }).toEqual({ ...before.run.figures, speed: null }); // speed is measured per session
    expect(reopened.steps.map((s) => s.iteration)).toEqual([1, 2, 3, 4, 5]);
    expect(reopened.items).toEqual(before.items);
    expect(reopened.items[0].text.length).toBeGreaterThan(0);
    await b.send({ kind: 'step', runId: id });
    const sixth = b.view(id);

    const straight = await newRun(a); // same dataset, settings and seed
    for (let i = 0; i < 6; i++) await a.send({ kind: 'step', runId: straight });
    const last = a.view(straight);
    expect(sixth.lastStep).toEqual(last?.lastStep);
    expect(sixth.labels).toEqual(last?.labels);
    expect({ ...sixth.run.figures, speed: null }).toEqual({ ...last?.run.figures, speed: null });
    const [x, y] = [await storedRun(db, id), await storedRun(db, straight)];
    expect(x.run?.state).toEqual(y.run?.state); // rng included
    expect(x.steps).toBe(6);
  });

  it('shows labels with confidences and live figures', async () => {
    const h = track(harness(freshDb()));
    const id = await newRun(h);
    await h.send({ kind: 'step', runId: id });
    const u = h.view(id);
    const { run } = await storedRun(`host-test-${dbCount}`, id);
    const state = run?.state;
    if (!state) throw new Error('no state');
    const f = u.run.figures;
    // the summary says what the page cannot compute from the log; the log adds up to the stored state
    expect(Object.keys(f).sort()).toEqual(['accuracy', 'constants', 'iteration', 'pool', 'speed']);
    expect(f).toMatchObject({ iteration: 1, pool: run.pool.length, constants: state.constants });
    expect(f.accuracy).toBeGreaterThanOrEqual(0);
    expect(u.tokens).toBe(state.tokens);
    expect(u.labels.labels).toEqual(state.labels);
    state.labels.forEach((label, i) => {
      const lo = state.logOdds[i];
      if (label === null || lo === null) return expect(u.labels.confidence[i]).toBeNull();
      expect(u.labels.confidence[i]).toBeCloseTo(1 / (1 + Math.exp(label ? -lo : lo)), 12);
      expect(u.labels.confidence[i]).toBeGreaterThan(0);
    });
    expect(u.lastStep?.iteration).toBe(1);
    expect(u.run.status).toBe('paused');
  });

  it('steps sent together run one after the other', async () => {
    const h = track(harness(freshDb()));
    const id = await newRun(h);
    await Promise.all([1, 2, 3].map(() => h.send({ kind: 'step', runId: id })));
    expect(h.updates().map((u) => u.steps.map((s) => s.iteration))).toEqual([[1], [2], [3]]);
    expect((await storedRun(`host-test-${dbCount}`, id)).steps).toBe(3);
  });

  it('pause stops a playing loop after its step in flight is saved; play goes on', async () => {
    const db = freshDb();
    const h = track(harness(db));
    const id = await newRun(h);
    await h.send({ kind: 'play', runId: id });
    expect(h.view(id).run.status).toBe('running');
    await h.send({ kind: 'play', runId: id });
    expect(h.view(id).run.status).toBe('running'); // a second play starts no second loop
    await until(() => h.updates().some((u) => u.run.figures.iteration >= 3));
    await h.send({ kind: 'pause', runId: id });
    expect(h.view(id).run.status).toBe('paused');
    await h.host.idle();
    const paused = await storedRun(db, id);
    const n = paused.run?.state?.iteration ?? 0;
    expect(paused.run?.status).toBe('paused');
    expect(paused.steps).toBe(n);
    expect(h.updates().at(-1)?.run.figures.iteration).toBe(n); // the last update shows the last step
    await sleep(30);
    expect((await storedRun(db, id)).steps).toBe(n);

    await h.send({ kind: 'play', runId: id });
    await until(() => h.updates().some((u) => u.run.figures.iteration >= n + 2));
    await h.send({ kind: 'pause', runId: id });
    await h.host.idle();
    const resumed = await storedRun(db, id);
    expect(resumed.steps).toBe(resumed.run?.state?.iteration);
    expect(resumed.steps).toBeGreaterThan(n);
  });

  it('plays a run to the end, throttling updates, and keeps it viewable', async () => {
    const db = freshDb();
    const h = track(harness(db, { now: () => 1000 })); // the clock never moves: only the first and final updates
    const id = await newRun(h, { ...config, iterations: 25 });
    await h.send({ kind: 'play', runId: id });
    await h.host.idle();
    const ups = h.updates();
    expect(ups).toHaveLength(2);
    const done = ups[1];
    expect(done.run.status).toBe('done');
    expect(done.run.figures.iteration).toBe(25);
    expect(done.run.figures.accuracy).toEqual(expect.any(Number));
    await h.send({ kind: 'play', runId: id });
    expect(h.view(id).run.status).toBe('done');
    await h.send({ kind: 'step', runId: id });
    expect(h.view(id).run.figures.iteration).toBe(25);
    expect(h.view(id).steps).toHaveLength(25); // every step pushed once
    const other = track(harness(db));
    await other.send({ kind: 'openRun', runId: id });
    expect(other.view(id).run.status).toBe('done');
    expect(other.view(id).steps).toHaveLength(25);
  });

  it('a run saved as running (reload mid-play) is listed as running and plays on from its saved state', async () => {
    const db = freshDb();
    const a = track(harness(db));
    const id = await newRun(a, { ...config, iterations: 8 });
    for (let i = 0; i < 3; i++) await a.send({ kind: 'step', runId: id });
    const store = await Store.open(db);
    await store.patchRun(id, { status: 'running' }); // as a page closed mid-play leaves it
    store.close();

    const b = track(harness(db));
    expect((await b.send({ kind: 'init' })).runs[0].status).toBe('running');
    await b.send({ kind: 'openRun', runId: id });
    expect(b.view(id).run.status).toBe('running');
    await b.send({ kind: 'play', runId: id });
    await b.host.idle();
    const straight = await newRun(a, { ...config, iterations: 8 });
    await a.send({ kind: 'play', runId: straight });
    await a.host.idle();
    const [x, y] = [await storedRun(db, id), await storedRun(db, straight)];
    expect(x.run?.status).toBe('done');
    expect(x.run?.state).toEqual(y.run?.state);
    expect(x.steps).toBe(8);
  });

  it('a run cut off mid-play advances after a restart without being opened (the list is true)', async () => {
    const db = freshDb();
    const a = track(harness(db));
    const id = await newRun(a, { ...config, iterations: 8 });
    for (let i = 0; i < 3; i++) await a.send({ kind: 'step', runId: id });
    const store = await Store.open(db);
    await store.patchRun(id, { status: 'running' }); // as a browser crash mid-play leaves it
    store.close();

    const b = track(harness(db));
    expect((await b.send({ kind: 'init' })).runs[0].status).toBe('running');
    await b.host.idle(); // no openRun, no play
    const x = await storedRun(db, id);
    expect(x.run?.status).toBe('done');
    expect(x.steps).toBe(8);
  });

  it('reset goes back to iteration 0 and replays the same steps', async () => {
    const db = freshDb();
    const h = track(harness(db));
    const id = await newRun(h);
    await h.send({ kind: 'step', runId: id });
    const first = h.view(id);
    await h.send({ kind: 'step', runId: id });
    await h.send({ kind: 'play', runId: id });
    await h.send({ kind: 'reset', runId: id });
    const reset = h.view(id);
    expect(reset.run.status).toBe('ready');
    expect(reset.run.figures).toMatchObject({ iteration: 0, accuracy: null, constants: null });
    expect(reset.labels.labels.every((l) => l === null)).toBe(true);
    expect(reset.lastStep).toBeNull();
    expect((await storedRun(db, id)).steps).toBe(0);
    await h.send({ kind: 'openRun', runId: id });
    expect(h.view(id).steps).toEqual([]);
    expect(h.updates().at(-1)?.run.status).toBe('ready'); // nothing from the stopped loop after it
    await h.send({ kind: 'step', runId: id });
    expect(h.view(id).lastStep).toEqual(first.lastStep);
  });

  it('deletes a run with its steps, even while it plays', async () => {
    const db = freshDb();
    const h = track(harness(db));
    const id = await newRun(h);
    const keep = await newRun(h);
    await h.send({ kind: 'step', runId: keep });
    await h.send({ kind: 'play', runId: id });
    await until(() => h.updates().some((u) => u.run.id === id && u.run.figures.iteration >= 1));
    expect(await h.send({ kind: 'deleteRun', runId: id })).toEqual({ runId: id });
    await h.host.idle();
    expect(await storedRun(db, id)).toEqual({ run: undefined, steps: 0 });
    expect((await h.send({ kind: 'init' })).runs.map((r) => r.id)).toEqual([keep]);
    await expect(h.send({ kind: 'openRun', runId: id })).rejects.toThrow(/no longer exists/);
    expect((await storedRun(db, keep)).steps).toBe(1);
  });

  it('a full disk gives the clear message; nothing saved is lost and the run continues after', async () => {
    const db = freshDb();
    const h = track(harness(db));
    const id = await newRun(h);
    await h.send({ kind: 'step', runId: id });

    fullDisk();
    await expect(h.send({ kind: 'step', runId: id })).rejects.toMatchObject({ name: 'QuotaExceededError', message: STORAGE_FULL });
    await expect(h.send({ kind: 'play', runId: id })).rejects.toThrow(STORAGE_FULL);
    vi.restoreAllMocks();
    await h.send({ kind: 'openRun', runId: id });
    expect(h.view(id).run).toMatchObject({ status: 'paused', figures: { iteration: 1 } });

    fullDisk('steps'); // the run's status can still be written, its next step cannot
    await h.send({ kind: 'play', runId: id });
    expect(h.view(id).run.status).toBe('running');
    await h.host.idle();
    vi.restoreAllMocks();
    const failed = h.updates().at(-1);
    expect(failed?.run).toMatchObject({ status: 'error', error: { name: 'QuotaExceededError', message: STORAGE_FULL }, figures: { iteration: 1 } });
    const saved = await storedRun(db, id);
    expect(saved.run).toMatchObject({ status: 'error', state: { iteration: 1 } });
    expect(saved.steps).toBe(1);

    await h.send({ kind: 'step', runId: id });
    const retried = h.view(id);
    expect(retried.run).toMatchObject({ status: 'paused', error: null });
    expect(retried.lastStep?.iteration).toBe(2);
  });

  it('opens with storage full: every run and dataset listed with the space it takes, a run cut off mid-play says why, and deleting works', async () => {
    const db = freshDb();
    const a = track(harness(db));
    const big = await newRun(a);
    for (let i = 0; i < 20; i++) await a.send({ kind: 'step', runId: big });
    const small = await newRun(a, { ...config, seed: 8 });
    const store = await Store.open(db);
    await store.patchRun(big, { status: 'running' }); // the disk filled mid-play: its last status stayed
    store.close();

    fullDisk();
    const b = track(harness(db));
    const opened = await b.send({ kind: 'init' });
    await b.host.idle();
    expect(opened.runs.map((r) => r.id).sort()).toEqual([big, small].sort());
    expect(opened.datasets.map((d) => d.id)).toEqual(builtins.map((d) => d.id));
    expect(opened.storageFull).toBe(true);
    expect(b.view(big).run).toMatchObject({ status: 'error', error: { name: 'QuotaExceededError', message: STORAGE_FULL }, figures: { iteration: 20 } });
    expect(b.messages).toContainEqual({ kind: 'storage', full: true });

    const use = await b.send({ kind: 'storageUse' });
    expect(use.runs[big]).toBeGreaterThan(use.runs[small]);
    expect(use.runs[small]).toBeGreaterThan(0);
    expect(use.datasets[dataset.id]).toBeGreaterThan(1000);
    const exported = await b.send({ kind: 'exportProject' }); // a backup still works
    expect(exported.text).toContain(big);
    await b.send({ kind: 'deleteRun', runId: big }); // and so does deleting
    expect((await b.send({ kind: 'storageUse' })).runs[big]).toBeUndefined();
    expect(await storedRun(db, big)).toEqual({ run: undefined, steps: 0 });

    vi.restoreAllMocks(); // space freed: the next write works and says so
    await b.send({ kind: 'step', runId: small });
    expect(b.messages.filter((m) => m.kind === 'storage').at(-1)).toEqual({ kind: 'storage', full: false });
  });

  it('a first visit with storage full still lists the built-in tasks; a run on one stores it once space is free', async () => {
    const db = freshDb();
    fullDisk();
    const h = track(harness(db));
    const opened = await h.send({ kind: 'init' });
    expect(opened.datasets.map((d) => d.id)).toEqual(builtins.map((d) => d.id));
    expect(opened.storageFull).toBe(true);
    await expect(h.send({ kind: 'createRun', datasetId: dataset.id, config, model })).rejects.toThrow(STORAGE_FULL);
    vi.restoreAllMocks();
    const created = await h.send({ kind: 'createRun', datasetId: dataset.id, config, model });
    expect(created.ok).toBe(true);
    const store = await Store.open(db);
    expect((await store.getDataset(dataset.id))?.items.length).toBe(dataset.items.length);
    store.close();
  });

  it('a model failure mid-run stops it with the error and keeps the last saved state', async () => {
    const db = freshDb();
    let broken = false;
    // the simulated backend, with a model that breaks on demand
    const breakable = simulatedSeeing(() => {
      if (broken) throw new Error('GPU device lost');
    });
    const h = track(harness(db, { extraBackends: [breakable] }));
    const id = await newRun(h);
    for (let i = 0; i < 3; i++) await h.send({ kind: 'step', runId: id });
    broken = true;
    await h.send({ kind: 'play', runId: id });
    await h.host.idle();
    const last = h.updates().at(-1);
    expect(last?.run.status).toBe('error');
    expect(last?.run.error?.message).toMatch(/^The run stopped at step \d+: GPU device lost\. Retry resumes/);
    const saved = await storedRun(db, id);
    expect(saved.run?.status).toBe('error');
    expect(saved.run?.state?.iteration).toBe(saved.steps);
    expect(saved.steps).toBeGreaterThanOrEqual(3);
    expect(last?.run.figures.iteration).toBe(saved.steps);
  });

  it('an open run asks its model for no read twice (issue 26), and a reset starts over', async () => {
    const asked: string[] = [];
    const counting = simulatedSeeing((segments) =>
      segments.forEach((seg, k) => seg.read && asked.push(packSegments(segments.slice(0, k).map((x) => ({ ...x, read: false }))) + seg.item)),
    );
    const h = track(harness(freshDb(), { extraBackends: [counting] }));
    const id = await newRun(h);
    for (let i = 0; i < 30; i++) await h.send({ kind: 'step', runId: id });
    expect(h.view(id).run.figures.iteration).toBe(30);
    expect(asked.length).toBeGreaterThan(30);
    expect(new Set(asked).size).toBe(asked.length);
    const before = asked.length;
    await h.send({ kind: 'reset', runId: id });
    await h.send({ kind: 'step', runId: id });
    expect(asked.length).toBeGreaterThan(before); // read again, as a new run reads
  });

  it('errors on unknown runs are replies, not crashes', async () => {
    const h = track(harness(freshDb()));
    await h.send({ kind: 'init' });
    for (const kind of ['openRun', 'play', 'pause', 'step', 'reset'] as const) {
      await expect(h.send({ kind, runId: 'missing' })).rejects.toMatchObject({ name: 'NotFoundError' });
    }
    expect(await h.send({ kind: 'deleteRun', runId: 'missing' })).toEqual({ runId: 'missing' });
  });
});

describe('host with a web-llm model (fake runtime written to web-llm’s types)', () => {
  const tok = qwenTokenizer();
  const reports = [
    { progress: 0.5, timeElapsed: 1, text: 'Fetching param cache[1/2]: 32MB fetched. 50% completed, 1 secs elapsed.' },
    { progress: 1, timeElapsed: 2, text: 'Fetching param cache[2/2]: 64MB fetched. 100% completed, 2 secs elapsed.' },
    { progress: 1, timeElapsed: 3, text: 'Finish loading on WebGPU - fake' },
  ];
  const spec: ModelSpec = { kind: 'webllm', modelId: fakeRecord.model_id, mode: 'logits' };
  const webllmHarness = (rt: FakeRuntime) => track(harness(freshDb(), { backends: { webllm: { runtime: async () => rt, load: { cancelGraceMs: 10 } } } }));

  it('loads with progress, refuses a pool that does not fit the context, runs ICM on the model', async () => {
    const rt = new FakeRuntime({ reports, chatConfig: { context_window_size: 1500 } }, tok, 160_000);
    const h = webllmHarness(rt);
    await h.send({ kind: 'init' });
    const info = await h.send({ kind: 'loadModel', modelId: spec.modelId, backend: 'webllm' });
    expect(info).toMatchObject({ modelId: spec.modelId, contextWindow: 1500, warnings: [] });
    const progress = h.messages.flatMap((m) => (m.kind === 'loadProgress' ? [m.progress] : []));
    expect(progress.map((p) => p.phase)).toContain('download');

    const tooBig = await h.send({ kind: 'createRun', datasetId: dataset.id, config: { ...config, poolSize: 200 }, model: spec });
    expect(tooBig.ok).toBe(false);
    if (!tooBig.ok) expect(tooBig.errors.poolSize).toMatch(/does not fit this model's context window of 1500 tokens/);

    const created = await h.send({ kind: 'createRun', datasetId: dataset.id, config: { ...config, poolSize: 8, K: 2, M: 1 }, model: spec });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    await h.send({ kind: 'step', runId: created.run.id });
    const after = h.view(created.run.id);
    expect(after.run.figures.iteration).toBe(1);
    expect(after.tokens).toBeGreaterThan(0);
    expect(after.run.figures.speed?.tokensPerStep).toBe(after.lastStep?.tokens);
    expect(after.run.figures.speed?.warnings).toEqual([]); // " True" and " False" are single Qwen tokens
    if (after.lastStep?.evaluations) expect(after.run.figures.speed?.tokensPerEvaluation).toBeGreaterThan(0);
    expect(rt.engines).toHaveLength(1); // loaded once, reused by the run
  });

  it('a load that fails ends in a clear error and the app can still run the simulated model', async () => {
    const rt = new FakeRuntime({ reports: reports.slice(0, 1), fail: 'TypeError: Failed to fetch' }, tok, 160_000);
    const h = webllmHarness(rt);
    await h.send({ kind: 'init' });
    await expect(h.send({ kind: 'loadModel', modelId: spec.modelId, backend: 'webllm' })).rejects.toThrow(/Failed to fetch|connection|network/i);
    expect(rt.deleted).toEqual([]); // the files that finished stay, so Retry resumes
    const id = await newRun(h);
    await h.send({ kind: 'step', runId: id });
    expect(h.view(id).run.figures.iteration).toBe(1);
  });

  it('cancel ends a load; the cache can be listed and a model deleted', async () => {
    const rt = new FakeRuntime({ reports, tickMs: 30 }, tok, 160_000);
    const h = webllmHarness(rt);
    const load = h.send({ kind: 'loadModel', modelId: spec.modelId, backend: 'webllm' });
    await until(() => h.messages.some((m) => m.kind === 'loadProgress'));
    await h.send({ kind: 'cancelLoad', modelId: spec.modelId, backend: 'webllm' });
    await expect(load).rejects.toMatchObject({ name: 'AbortError' });
    rt.cached = true;
    expect(await h.send({ kind: 'modelCache', modelIds: [spec.modelId], backend: 'webllm' })).toEqual({ cached: { [spec.modelId]: true } });
    await h.send({ kind: 'deleteModel', modelId: spec.modelId, backend: 'webllm' });
    expect(rt.deleted).toContain(`model:${spec.modelId}`);
  });
});

describe('host: the step log for plots, the inspector and replay', () => {
  it('returns the whole log and rebuilds any step with the text the model read', async () => {
    const h = track(harness(freshDb()));
    const id = await newRun(h);
    const updates: RunUpdate[] = [];
    for (let i = 0; i < 12; i++) {
      await h.send({ kind: 'step', runId: id });
      updates.push(h.view(id));
    }
    const { init, steps } = h.view(id);
    expect(init?.seeds).toHaveLength(config.K);
    expect(steps.map((s) => s.iteration)).toEqual([...Array(12).keys()].map((i) => i + 1));
    const detail = await h.send({ kind: 'stepDetail', runId: id, iteration: 8 });
    expect(detail.event).toEqual(steps[7]);
    expect(detail.before).toEqual(updates[6].labels.labels); // D after step 7
    expect(detail.read.endsWith('I think this claim is')).toBe(true);
    expect(detail.read.split('\n\n')).toHaveLength(detail.before.filter((l, i) => l !== null && i !== detail.event.item).length + 1);
    await expect(h.send({ kind: 'stepDetail', runId: id, iteration: 99 })).rejects.toThrow(/between 1 and 12/);
  });
});

describe('host: the inspector shows the sequence a step recorded', () => {
  it('renders the recorded segments, and rebuilds them by the plan for a step stored without them', async () => {
    const db = freshDb();
    const h = track(harness(db));
    const id = await newRun(h);
    for (let i = 0; i < 4; i++) await h.send({ kind: 'step', runId: id });
    const { steps } = h.view(id);
    const recomputed = (await h.send({ kind: 'stepDetail', runId: id, iteration: 3 })).read;
    expect(steps[2].read).toBeDefined();
    // steps as other versions of the app logged them, written over the log (the store itself refuses to)
    const raw = await openDB<IcmSchema>(db);
    try {
      // a step that read its item alone (as a plan whose order depends on run state might), and one from an old log
      await raw.put('steps', { ...steps[2], read: packSegments([{ item: steps[2].item, read: true, label: null }]), runId: id });
      const { read: _, ...old } = steps[1];
      await raw.put('steps', { ...old, runId: id });
    } finally {
      raw.close();
    }
    const alone = await h.send({ kind: 'stepDetail', runId: id, iteration: 3 });
    expect(alone.read.split('\n\n')).toHaveLength(1);
    expect(alone.read.endsWith('I think this claim is')).toBe(true);
    expect(recomputed.split('\n\n').length).toBeGreaterThan(1);
    const rebuilt = await h.send({ kind: 'stepDetail', runId: id, iteration: 2 });
    expect(rebuilt.read.split('\n\n')).toHaveLength(rebuilt.before.filter((l, i) => l !== null && i !== rebuilt.event.item).length + 1);
  });
});

describe('host: speed and incremental log', () => {
  it('keeps a run\'s speed with it: as created, as changed, after a reload and in a backup', async () => {
    const db = freshDb();
    const h = track(harness(db));
    await h.send({ kind: 'init' });
    const created = await h.send({ kind: 'createRun', datasetId: dataset.id, config, model, stepsPerSecond: 5 });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const id = created.run.id;
    expect(created.run.stepsPerSecond).toBe(5);
    await h.send({ kind: 'setSpeed', runId: id, stepsPerSecond: 1 });
    expect(h.view(id).run.stepsPerSecond).toBe(1);
    await h.send({ kind: 'setSpeed', runId: id, stepsPerSecond: null }); // Max
    expect(h.view(id).run.stepsPerSecond).toBeNull();
    await h.send({ kind: 'setSpeed', runId: id, stepsPerSecond: 20 });
    const old = await h.send({ kind: 'createRun', datasetId: dataset.id, config, model }); // as scripts make them: as fast as the model allows
    expect(old.ok && old.run.stepsPerSecond).toBeNull();

    const reloaded = track(harness(db)); // a reload: a new worker on the same storage
    const { runs } = await reloaded.send({ kind: 'init' });
    expect(runs.find((r) => r.id === id)?.stepsPerSecond).toBe(20);
    await reloaded.send({ kind: 'openRun', runId: id });
    expect(reloaded.view(id).run.stepsPerSecond).toBe(20);
    const backup = parseProject((await reloaded.send({ kind: 'exportProject' })).text);
    expect(backup.ok && backup.project.runs.find((r) => r.id === id)?.stepsPerSecond).toBe(20);
  });

  it('plays at the chosen speed and pushes each step once, in order', async () => {
    const h = track(harness(freshDb()));
    const id = await newRun(h);
    await h.send({ kind: 'setSpeed', runId: id, stepsPerSecond: 20 });
    await h.send({ kind: 'play', runId: id });
    await sleep(400);
    await h.send({ kind: 'pause', runId: id });
    await h.host.idle();
    const { steps } = h.view(id);
    expect(steps.length).toBeGreaterThan(2);
    expect(steps.length).toBeLessThan(15); // ~8 at 20 steps/s; unthrottled it makes hundreds
    expect(h.updates().flatMap((u) => u.steps.map((s) => s.iteration))).toEqual(steps.map((_, i) => i + 1));
    expect(steps.length).toBe((await storedRun(`host-test-${dbCount}`, id)).steps);
  });
});
