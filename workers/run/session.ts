// A run the host has touched: its record as last persisted (status may be ahead), its model,
// its one-at-a-time queue, and the step that advances it. Every step is persisted (with the
// state after it, in one transaction) before the next one starts, and memory takes the new state
// only once it is persisted, so a reload or crash loses nothing that was accepted.

import type { Dataset } from '../../src/lib/data/types';
import { problemOf } from '../../src/lib/data/problem';
import { ReadCache } from '../../src/lib/icm/plan';
import { initialState, isDone, step, type Problem, type StepEvent } from '../../src/lib/icm/search';
import type { ErrorInfo, RunStatus, RunSummary, RunUpdate } from '../../src/lib/protocol';
import { StoreError } from '../../src/lib/store/errors';
import type { RunRecord } from '../../src/lib/store/schema';
import type { RunModel } from '../backends/backend';
import type { HostContext } from '../context';
import { HostError, toErrorInfo } from '../errors';
import { labelsView, runSummary } from '../summaries';
import { SpeedMeter, timed, type Timed } from './speed';

export interface Session {
  record: RunRecord;
  dataset: Dataset;
  problem: Problem; // pool items' groups and keys, pool-indexed
  model: Timed<RunModel> | null; // built on first use
  reads: ReadCache; // every read this session made, so no step makes one twice (search.ts step)
  speed: SpeedMeter;
  gen: number; // bumped to stop the loop in flight (the player's)
  loop: Promise<void> | null; // the newest loop; it awaits the ones before it
  loopGen: number; // the generation the newest loop runs under
  queue: Promise<void>; // tail of this run's one-at-a-time work
  unsent: StepEvent[]; // steps not yet pushed to the page
  restart: RunUpdate['restart']; // set when the page's log must start over with the next push
  lastPush: number;
  stepsPerSecond: number | null; // null: as fast as the model allows
}

export function createSessions(ctx: HostContext) {
  const sessions = new Map<string, Promise<Session>>();

  async function load(runId: string): Promise<Session> {
    const db = await ctx.store();
    const record = await db.getRun(runId);
    if (!record) throw new HostError('NotFoundError', 'This run no longer exists: it may have been deleted in another tab. Pick another run.');
    const ds = await ctx.dataset(record.datasetId);
    const init = record.state ? await db.getInit(runId) : undefined;
    const problem = { ...problemOf(ds, record.pool), fixed: init?.fixed }; // as the run began
    return { record, dataset: ds, problem, model: null, reads: new ReadCache(), speed: new SpeedMeter(), stepsPerSecond: null, gen: 0, loop: null, loopGen: -1, queue: Promise.resolve(), unsent: [], restart: undefined, lastPush: 0 };
  }

  function session(runId: string): Promise<Session> {
    let p = sessions.get(runId);
    if (!p) {
      p = load(runId);
      sessions.set(runId, p);
      p.catch(() => sessions.delete(runId));
    }
    return p;
  }

  /** The session of a run already touched; null for any other. */
  const live = (runId: string): Promise<Session | null> => (sessions.has(runId) ? session(runId).catch(() => null) : Promise.resolve(null));

  /** Runs `fn` after every earlier change to this run has finished. */
  function serial<T>(s: Session, fn: () => Promise<T>): Promise<T> {
    const result = s.queue.then(fn);
    s.queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  async function model(s: Session): Promise<Timed<RunModel>> {
    s.model ??= timed(await ctx.open(s.record.model, s.dataset, s.record.pool));
    return s.model;
  }

  const summary = (s: Session): RunSummary => runSummary(s.record, s.dataset, s.speed.figures(s.model?.warnings() ?? []));
  /** Sends the run's summary, labels and every step since the last push. */
  function push(s: Session): void {
    s.lastPush = ctx.now();
    const update: RunUpdate = { run: summary(s), labels: labelsView(s.record), steps: s.unsent, ...(s.restart ? { restart: s.restart } : {}) };
    s.unsent = [];
    s.restart = undefined;
    ctx.post({ kind: 'runUpdate', update });
  }

  /** The page's log starts over with the next push: the run's whole log as stored. Call it in the run's queue. */
  async function restartLog(s: Session): Promise<void> {
    const db = await ctx.store();
    s.restart = { init: (await db.getInit(s.record.id)) ?? null };
    s.unsent = s.restart.init ? await db.stepsAfter(s.record.id) : [];
  }

  /** Persists a status, then shows it; a refused write leaves the status as it was. */
  async function setStatus(s: Session, status: RunStatus, error: ErrorInfo | null = null): Promise<void> {
    await (await ctx.store()).patchRun(s.record.id, { status, error });
    s.record = { ...s.record, status, error };
  }

  /** One search step, initialising the run first if needed; null when the run is already done. */
  async function advance(s: Session): Promise<StepEvent | null> {
    const db = await ctx.store();
    const { config } = s.record;
    let state = s.record.state;
    const m = await model(s);
    if (state === null) {
      // a person's review decisions on this dataset so far are kept by the whole run
      const human = await db.humanLabels(s.dataset.id);
      s.problem = { ...s.problem, fixed: s.record.pool.map((d) => human.get(s.dataset.items[d].id) ?? null) };
      const init = await initialState(s.problem, config, m, s.reads);
      await db.saveInit(s.record.id, init.event, init.state);
      s.record = { ...s.record, state: init.state };
      s.restart = { init: init.event };
      s.unsent = [];
      state = init.state;
    }
    if (isDone(state, config)) return null;
    const t0 = ctx.now();
    const modelSeconds = m.seconds();
    const computed = m.computed();
    const unknown = m.computedUnknown();
    const next = await step(s.problem, state, config, m, s.reads);
    const known = m.computedUnknown() === unknown;
    s.speed.add({ ms: ctx.now() - t0, tokens: next.event.tokens, computed: known ? m.computed() - computed : null, evaluations: next.event.evaluations, modelSeconds: m.seconds() - modelSeconds });
    await db.saveStep(s.record.id, next.event, next.state);
    s.record = { ...s.record, state: next.state };
    s.unsent.push(next.event);
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
      await (await ctx.store()).patchRun(s.record.id, { status: 'error', error });
    } catch {
      // storage refused even this: the error is still shown, and the saved status is fixed by the next play
    }
    push(s);
  }

  async function idle(): Promise<void> {
    for (const p of [...sessions.values()]) {
      const s = await p.catch(() => null);
      if (s) await s.loop;
    }
  }

  return { session, live, forget: (runId: string) => sessions.delete(runId), serial, summary, push, restartLog, setStatus, advance, finished, fail, idle };
}

export type Sessions = ReturnType<typeof createSessions>;
