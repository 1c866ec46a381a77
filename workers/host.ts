// The run host: answers the protocol's requests, runs the ICM loop, owns the model backend
// and persistence. It is driven through `handle`, so tests run it in Node without a Worker.
//
// Play/pause follows tensorflow/playground: every run has a generation counter; 'pause',
// 'step', 'reset' and 'delete' bump it, and a loop in flight stops itself when it sees the
// change. All changes to one run's state go through that run's queue (`serial`), one at a
// time, and every step is persisted (with the state after it, in one transaction) before
// the next one starts — so a reload or crash loses nothing that was accepted.

import { builtinDatasets } from '../src/lib/data/builtin/index';
import type { DataItem, Dataset } from '../src/lib/data/types';
import { validateConfig } from '../src/lib/icm/config';
import { drawPool } from '../src/lib/icm/pool';
import { leaveOneOutSequence } from '../src/lib/icm/plan';
import { labelsBefore } from '../src/lib/icm/replay';
import { sequencePrompt } from '../src/lib/data/prompt';
import { problemOf } from '../src/lib/data/problem';
import { initialState, isDone, step, type Problem, type StepEvent } from '../src/lib/icm/search';
import { validateServerSpec, validateSimulatedParams, type ModelSpec } from '../src/lib/model/params';
import type { ErrorInfo, ReplyMap, Request, RequestMessage, RunSpeed, RunStatus, RunUpdate, WorkerMessage } from '../src/lib/protocol';
import { Store } from '../src/lib/store/db';
import { StoreError } from '../src/lib/store/errors';
import { DB_NAME, type RunRecord } from '../src/lib/store/schema';
import { HostError, toErrorInfo } from './errors';
import { datasetSummary, itemRows, labelsView, runSummary } from './summaries';
import { yieldToEvents } from './yield';
import { createLabeling } from './labeling';
import { Models, timed, type Cancellable, type ModelsDeps, type TimedModel } from './models';

export interface HostDeps {
  dbName?: string; // IndexedDB database name (tests use one per test)
  builtins?: () => Dataset[]; // the built-in datasets stored on 'init'
  makeModel?: (dataset: Dataset, indices: number[], spec: ModelSpec) => Cancellable | Promise<Cancellable>; // Segment.item k is dataset item indices[k]
  models?: ModelsDeps; // web-llm's runtime and load timings (tests pass a fake)
  yieldToEvents?: () => Promise<void>;
  now?: () => number; // ms; createdAt and update throttling
  newId?: () => string;
  updateIntervalMs?: number; // at most one pushed runUpdate per interval while playing
}

export interface Host {
  handle(msg: RequestMessage): Promise<void>;
  /** Resolves once no run loop is in flight (for tests and shutdown). */
  idle(): Promise<void>;
}

export const RECENT_STEPS = 50; // steps sent with 'openRun'
const UPDATE_INTERVAL_MS = 100; // ≈10 pushed updates per second while playing
const SPEED_WINDOW = 20; // steps the speed figures average over

type Req<K extends Request['kind']> = Extract<Request, { kind: K }>;

/** A run the host has touched: its record as last persisted (status may be ahead), and its loop. */
interface Session {
  record: RunRecord;
  dataset: Dataset;
  problem: Problem; // pool items' groups and keys, pool-indexed
  model: TimedModel | null; // built on first use
  modelGeneration: number; // Models.generation it was built under
  recent: { ms: number; tokens: number; evaluations: number; modelSeconds: number }[]; // the last steps, for the speed figures
  gen: number; // bumped to stop the loop in flight
  loop: Promise<void> | null; // the newest loop; it awaits the ones before it
  loopGen: number; // the generation the newest loop runs under
  queue: Promise<void>; // tail of this run's one-at-a-time work
  lastStep: StepEvent | null;
  lastPush: number;
  stepsPerSecond: number | null; // null: as fast as the model allows
}

function defaultId(): string {
  // randomUUID needs a secure context; ids only need to be unique, not unpredictable
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function createHost(post: (m: WorkerMessage) => void, deps: HostDeps = {}): Host {
  const builtins = deps.builtins ?? builtinDatasets;
  const models = new Models((modelId, progress) => post({ kind: 'loadProgress', modelId, progress }), deps.models);
  const makeModel = deps.makeModel ?? ((ds: Dataset, indices: number[], spec: ModelSpec) => models.labelModel(ds, indices, spec));
  const yieldNow = deps.yieldToEvents ?? yieldToEvents;
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? defaultId;
  const interval = deps.updateIntervalMs ?? UPDATE_INTERVAL_MS;

  let storeP: Promise<Store> | null = null;
  const datasets = new Map<string, Dataset>();
  let builtinIds: string[] = [];
  const sessions = new Map<string, Promise<Session>>();

  function store(): Promise<Store> {
    storeP ??= Store.open(deps.dbName ?? DB_NAME);
    storeP.catch(() => (storeP = null)); // a failed open is retried by the next request
    return storeP;
  }

  async function dataset(id: string): Promise<Dataset> {
    let ds = datasets.get(id);
    if (!ds) {
      ds = await (await store()).getDataset(id);
      if (!ds) throw new HostError('NotFoundError', `Dataset "${id}" is not stored in this browser. Reload the page to refresh the list.`);
      datasets.set(id, ds);
    }
    return ds;
  }

  function session(runId: string): Promise<Session> {
    let p = sessions.get(runId);
    if (!p) {
      p = loadSession(runId);
      sessions.set(runId, p);
      p.catch(() => sessions.delete(runId));
    }
    return p;
  }

  async function loadSession(runId: string): Promise<Session> {
    const record = await (await store()).getRun(runId);
    if (!record) throw new HostError('NotFoundError', 'This run no longer exists: it may have been deleted in another tab. Pick another run.');
    const ds = await dataset(record.datasetId);
    const init = record.state ? await (await store()).getInit(runId) : undefined;
    const problem = { ...problemOf(ds, record.pool), fixed: init?.fixed }; // as the run began
    return { record, dataset: ds, problem, model: null, modelGeneration: -1, recent: [], stepsPerSecond: null, gen: 0, loop: null, loopGen: -1, queue: Promise.resolve(), lastStep: null, lastPush: 0 };
  }

  /** Runs `fn` after every earlier change to this run has finished. */
  function serial<T>(s: Session, fn: () => Promise<T>): Promise<T> {
    const result = s.queue.then(fn);
    s.queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** The run's model, rebuilt when the engine it read from was replaced by another load. */
  async function model(s: Session): Promise<TimedModel> {
    if (s.model === null || s.modelGeneration !== models.generation) {
      s.model = timed(await makeModel(s.dataset, s.record.pool, s.record.model));
      s.modelGeneration = models.generation;
    }
    return s.model;
  }

  function speed(s: Session): RunSpeed | null {
    if (s.recent.length === 0) return null;
    const sum = (f: (r: Session['recent'][number]) => number) => s.recent.reduce((a, r) => a + f(r), 0);
    const seconds = sum((r) => r.modelSeconds);
    const evaluations = sum((r) => r.evaluations);
    return {
      msPerStep: sum((r) => r.ms) / s.recent.length,
      tokensPerStep: sum((r) => r.tokens) / s.recent.length,
      tokensPerEvaluation: evaluations > 0 ? sum((r) => r.tokens) / evaluations : null,
      prefillTokensPerSecond: seconds > 0 ? sum((r) => r.tokens) / seconds : null,
      warnings: s.model?.warnings() ?? [],
    };
  }

  const summary = (s: Session) => runSummary(s.record, s.dataset, speed(s));
  const update = (s: Session): RunUpdate => ({ run: summary(s), labels: labelsView(s.record), lastStep: s.lastStep });

  function push(s: Session): void {
    s.lastPush = now();
    post({ kind: 'runUpdate', update: update(s) });
  }

  /** Persists a status, then shows it; a refused write leaves the status as it was. */
  async function setStatus(s: Session, status: RunStatus, error: ErrorInfo | null = null): Promise<void> {
    await (await store()).patchRun(s.record.id, { status, error });
    s.record = { ...s.record, status, error };
  }

  /** One search step, initialising the run first if needed; null when the run is already done.
   *  Memory takes the new state only once it is persisted. */
  async function advance(s: Session): Promise<StepEvent | null> {
    const db = await store();
    const { config } = s.record;
    let state = s.record.state;
    const m = await model(s);
    if (state === null) {
      // a person's review decisions on this dataset so far are kept by the whole run
      const human = new Map((await db.overrides(s.dataset.id)).map((o) => [o.itemId, o.label]));
      s.problem = { ...s.problem, fixed: s.record.pool.map((d) => human.get(s.dataset.items[d].id) ?? null) };
      const init = await initialState(s.problem, config, m);
      await db.saveInit(s.record.id, init.event, init.state);
      s.record = { ...s.record, state: init.state };
      state = init.state;
    }
    if (isDone(state, config)) return null;
    const t0 = now();
    const modelSeconds = m.seconds();
    const next = await step(s.problem, state, config, m);
    s.recent = [...s.recent.slice(1 - SPEED_WINDOW), { ms: now() - t0, tokens: next.event.tokens, evaluations: next.event.evaluations, modelSeconds: m.seconds() - modelSeconds }];
    await db.saveStep(s.record.id, next.event, next.state);
    s.record = { ...s.record, state: next.state };
    s.lastStep = next.event;
    return next.event;
  }

  const finished = (s: Session) => s.record.state !== null && isDone(s.record.state, s.record.config);

  /** A failure during a loop: the run keeps its last persisted state and shows the error. */
  async function fail(s: Session, e: unknown): Promise<void> {
    const info = toErrorInfo(e);
    const next = (s.record.state?.iteration ?? 0) + 1;
    const error: ErrorInfo =
      e instanceof StoreError ? info : { name: info.name, message: `The run stopped at step ${next}: ${info.message.replace(/\.\s*$/, '')}. Retry resumes it from its last saved step.` };
    s.record = { ...s.record, status: 'error', error };
    try {
      await (await store()).patchRun(s.record.id, { status: 'error', error });
    } catch {
      // storage refused even this: the error is still shown, and the saved status is fixed by the next play
    }
    push(s);
  }

  function startLoop(s: Session, gen: number): void {
    const previous = s.loop;
    const loop = (async () => {
      await previous; // never rejects: loops catch their own failures
      let unpushed = false;
      try {
        while (s.gen === gen) {
          const stepStarted = now();
          const outcome = await serial(s, async () => {
            if (s.gen !== gen) return 'stopped';
            await advance(s);
            if (!finished(s)) return 'stepped';
            await setStatus(s, 'done');
            return 'done';
          });
          if (outcome === 'stopped') break;
          if (outcome === 'done') {
            push(s);
            return;
          }
          unpushed = true;
          if (now() - s.lastPush >= interval) {
            push(s);
            unpushed = false;
          }
          await yieldNow(); // lets a 'pause' in the queue be read
          const wait = s.stepsPerSecond ? 1000 / s.stepsPerSecond - (now() - stepStarted) : 0;
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait)); // the chosen speed, for watching
        }
        if (unpushed) push(s); // the step that was in flight when the loop was stopped
      } catch (e) {
        // a pause that cancelled a server's requests: the step was not saved, nothing is lost
        if (s.gen !== gen && e instanceof Error && e.name === 'AbortError') push(s);
        else await fail(s, e);
      }
    })();
    s.loop = loop;
    s.loopGen = gen;
    void loop.finally(() => {
      if (s.loop === loop) s.loop = null;
    });
  }

  const playing = (s: Session) => s.loop !== null && s.loopGen === s.gen;

  /** Stops the loop (its step in flight still completes and is saved) and marks the run paused. */
  async function stop(s: Session): Promise<void> {
    s.gen++;
    s.model?.cancel(); // a server's requests in flight; the step they belong to is not saved
    if (s.record.status === 'running') await setStatus(s, 'paused');
  }

  // ---- requests

  async function init(): Promise<ReplyMap['init']> {
    const db = await store();
    const builtin = builtins();
    builtinIds = builtin.map((d) => d.id);
    // stored once and kept: existing runs' pools index the stored items
    await db.addMissingDatasets(builtin);
    for (const ds of await db.listDatasets()) datasets.set(ds.id, ds);
    const order = (id: string) => {
      const i = builtinIds.indexOf(id);
      return i < 0 ? builtinIds.length : i;
    };
    const list = [...datasets.values()].sort((a, b) => order(a.id) - order(b.id) || a.name.localeCompare(b.name));
    const runs = [];
    for (const record of await db.listRuns()) {
      const live = sessions.has(record.id) ? await session(record.id).catch(() => null) : null;
      const ds = datasets.get(record.datasetId);
      if (live) runs.push(summary(live));
      else if (ds) runs.push(runSummary(record, ds));
      else {
        // its dataset is gone: still listed, so it can be deleted
        const error = { name: 'NotFoundError', message: 'The dataset of this run is no longer stored. Delete the run.' };
        runs.push(runSummary({ ...record, state: null, status: 'error', error }, { id: record.datasetId, name: '', kind: 'factual', description: '', items: [] }));
      }
    }
    return { datasets: list.map((d) => datasetSummary(d, builtinIds.includes(d.id))), runs };
  }

  async function createRun(req: Req<'createRun'>): Promise<ReplyMap['createRun']> {
    const errors = {
      ...validateConfig(req.config),
      ...(req.model.kind === 'simulated' ? validateSimulatedParams(req.model.params) : {}),
      ...(req.model.kind === 'server' ? validateServerSpec(req.model) : {}),
    };
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    const ds = await dataset(req.datasetId);
    const tooLong = await models.contextRefusal(ds, req.model, req.config.poolSize);
    if (tooLong) return { ok: false, errors: { poolSize: tooLong } };
    const config = { ...req.config };
    const record: RunRecord = {
      id: newId(),
      name: `${ds.name} · seed ${config.seed}`,
      datasetId: ds.id,
      createdAt: now(),
      status: 'ready',
      config,
      model: req.model,
      pool: drawPool(
        ds.items.map(({ group, key }) => ({ group, key })),
        config.poolSize,
        config.seed,
      ),
      state: null, // initialised on the first play/step
      error: null,
    };
    await (await store()).createRun(record);
    return { ok: true, run: runSummary(record, ds) };
  }

  async function openRun(req: Req<'openRun'>): Promise<ReplyMap['openRun']> {
    const s = await session(req.runId);
    const recentSteps = await (await store()).recentSteps(req.runId, RECENT_STEPS);
    const newest = recentSteps.at(-1) ?? null;
    if (newest && (s.lastStep === null || newest.iteration > s.lastStep.iteration)) s.lastStep = newest;
    return { run: summary(s), items: itemRows(s.record, s.dataset), labels: labelsView(s.record), recentSteps };
  }

  async function play(req: Req<'play'>): Promise<ReplyMap['play']> {
    const s = await session(req.runId);
    if (req.stepsPerSecond !== undefined) s.stepsPerSecond = req.stepsPerSecond;
    if (playing(s)) return summary(s);
    if (s.record.status === 'done' && finished(s)) return summary(s);
    const gen = ++s.gen;
    // resumes from the persisted state: after a reload, a crash (Retry) or a pause
    await serial(s, () => setStatus(s, 'running'));
    if (s.gen === gen) startLoop(s, gen);
    return summary(s);
  }

  async function pauseRun(req: Req<'pause'>): Promise<ReplyMap['pause']> {
    const s = await session(req.runId);
    await stop(s);
    push(s);
    return summary(s);
  }

  async function stepRun(req: Req<'step'>): Promise<ReplyMap['step']> {
    const s = await session(req.runId);
    await stop(s);
    await serial(s, async () => {
      await advance(s);
      const status = finished(s) ? 'done' : 'paused';
      if (s.record.status !== status || s.record.error !== null) await setStatus(s, status);
    });
    push(s);
    return update(s);
  }

  async function reset(req: Req<'reset'>): Promise<ReplyMap['reset']> {
    const s = await session(req.runId);
    s.gen++;
    await s.loop; // its last update goes out before the reset's
    await serial(s, async () => {
      await (await store()).resetRun(s.record.id);
      s.record = { ...s.record, state: null, status: 'ready', error: null };
      s.lastStep = null;
    });
    push(s);
    return update(s);
  }

  async function deleteRun(req: Req<'deleteRun'>): Promise<ReplyMap['deleteRun']> {
    const live = sessions.has(req.runId) ? await session(req.runId).catch(() => null) : null;
    if (live) {
      live.gen++;
      await live.loop;
      await serial(live, async () => (await store()).deleteRun(req.runId));
    } else {
      await (await store()).deleteRun(req.runId);
    }
    sessions.delete(req.runId);
    return { runId: req.runId };
  }

  async function log(req: Req<'log'>): Promise<ReplyMap['log']> {
    const db = await store();
    return { init: (await db.getInit(req.runId)) ?? null, steps: await db.stepsAfter(req.runId, req.after) };
  }

  async function stepDetail(req: Req<'stepDetail'>): Promise<ReplyMap['stepDetail']> {
    const s = await session(req.runId);
    // the steps up to this one are all it takes to rebuild D before it
    const db = await store();
    const init = await db.getInit(req.runId);
    const steps = await db.stepsAfter(req.runId, 0, req.iteration);
    const event = steps.at(-1);
    if (!init || event?.iteration !== req.iteration)
      throw new HostError('NotFoundError', `Step ${req.iteration} is not in this run's log. Pick a step between 1 and ${s.record.state?.iteration ?? 0}.`);
    const before = labelsBefore(s.record.pool.length, init, steps, req.iteration);
    const pool = s.record.pool.map((d) => s.dataset.items[d]);
    const description = s.record.model.kind === 'simulated' ? undefined : s.dataset.description; // only language models are shown it
    const read = sequencePrompt(s.dataset.kind, pool, leaveOneOutSequence(before, event.item), description);
    return { event, before, read };
  }

  const labeling = createLabeling({
    store,
    dataset,
    run: async (id) => (await session(id)).record,
    model: (run, ds, indices) => models.labelModel(ds, indices, run.model),
    datasetAdded: (ds) => {
      datasets.set(ds.id, ds);
      return datasetSummary(ds, false);
    },
    post,
    now,
    newId,
  });

  async function handle(msg: RequestMessage): Promise<void> {
    const { id } = msg;
    try {
      switch (msg.kind) {
        case 'init':
          return post({ id, kind: 'init', ok: true, value: await init() });
        case 'createRun':
          return post({ id, kind: 'createRun', ok: true, value: await createRun(msg) });
        case 'openRun':
          return post({ id, kind: 'openRun', ok: true, value: await openRun(msg) });
        case 'play':
          return post({ id, kind: 'play', ok: true, value: await play(msg) });
        case 'pause':
          return post({ id, kind: 'pause', ok: true, value: await pauseRun(msg) });
        case 'step':
          return post({ id, kind: 'step', ok: true, value: await stepRun(msg) });
        case 'reset':
          return post({ id, kind: 'reset', ok: true, value: await reset(msg) });
        case 'deleteRun':
          return post({ id, kind: 'deleteRun', ok: true, value: await deleteRun(msg) });
        case 'modelCache':
          return post({ id, kind: 'modelCache', ok: true, value: { cached: await models.cached(msg.modelIds) } });
        case 'deleteModel':
          await models.remove(msg.modelId);
          return post({ id, kind: 'deleteModel', ok: true, value: { modelId: msg.modelId } });
        case 'loadModel':
          return post({ id, kind: 'loadModel', ok: true, value: await models.info(msg.modelId) });
        case 'cancelLoad':
          models.cancel(msg.modelId);
          return post({ id, kind: 'cancelLoad', ok: true, value: { modelId: msg.modelId } });
        case 'log':
          return post({ id, kind: 'log', ok: true, value: await log(msg) });
        case 'stepDetail':
          return post({ id, kind: 'stepDetail', ok: true, value: await stepDetail(msg) });
        case 'importFile':
          return post({ id, kind: 'importFile', ok: true, value: await labeling.importFile(msg) });
        case 'previewImport':
          return post({ id, kind: 'previewImport', ok: true, value: labeling.preview(msg) });
        case 'saveImport':
          return post({ id, kind: 'saveImport', ok: true, value: await labeling.saveImport(msg) });
        case 'labelRest':
          return post({ id, kind: 'labelRest', ok: true, value: await labeling.labelRest(msg) });
        case 'stopLabelRest':
          return post({ id, kind: 'stopLabelRest', ok: true, value: labeling.stopLabelRest(msg) });
        case 'baselines':
          return post({ id, kind: 'baselines', ok: true, value: await labeling.baselines(msg) });
        case 'review':
          return post({ id, kind: 'review', ok: true, value: await labeling.review(msg) });
        case 'setOverride':
          return post({ id, kind: 'setOverride', ok: true, value: await labeling.setOverride(msg) });
        case 'exportRun':
          return post({ id, kind: 'exportRun', ok: true, value: await labeling.exportRun(msg) });
        case 'exportProject':
          return post({ id, kind: 'exportProject', ok: true, value: await labeling.exportProject() });
        case 'importProject':
          return post({ id, kind: 'importProject', ok: true, value: await labeling.importProject(msg) });
        default:
          msg satisfies never;
          throw new HostError('ProtocolError', 'Unknown request: the page and the worker are out of date with each other. Reload the page.');
      }
    } catch (e) {
      post({ id, kind: msg.kind, ok: false, error: toErrorInfo(e) });
    }
  }

  async function idle(): Promise<void> {
    for (const p of [...sessions.values()]) {
      const s = await p.catch(() => null);
      if (s) await s.loop;
    }
  }

  return { handle, idle };
}
