// A run the host has touched: its record as last persisted (status may be ahead), its model,
// its one-at-a-time queue, and the step that advances it. Every step is persisted (with the
// state after it, in one transaction) before the next one starts, and memory takes the new state
// only once it is persisted, so a reload or crash loses nothing that was accepted.
//
// Only the worker holding the run's Web Lock writes it (player.ts, tabs.ts); the others follow it
// from storage (resync), and whatever this worker wrote, the others are told with its next push.

import type { Dataset } from '../../src/lib/data/types';
import { problemOf } from '../../src/lib/data/problem';
import { ReadCache } from '../../src/lib/icm/plan';
import { initialState, isDone, step, type InitEvent, type Problem, type StepEvent } from '../../src/lib/icm/search';
import { sameContent } from '../../src/lib/store/db';
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
  head: InitEvent | StepEvent | null; // the newest event of the log the state follows (the init event at iteration 0)
  lock: (() => void) | null; // releases the run's Web Lock: set while this worker is the run's writer
  holders: number; // this worker's operations (a loop counts as one) that need the lock
  taking: Promise<boolean> | null; // the lock being asked for
  elsewhere: boolean; // another tab's worker holds the lock: this one only follows the run
  watching: AbortController | null; // waiting for that tab to let go
  following: boolean; // a resync for another tab's writes in flight
  stale: boolean; // another tab wrote again since it began
  wrote: boolean; // written since the last push: the other tabs are told with it
  unsaved: Pick<RunRecord, 'status' | 'error'> | null; // a status storage refused (full): shown over the stored one until the run is written again
  gone: boolean; // deleted (here or in another tab): nothing more is pushed
}

export function createSessions(ctx: HostContext) {
  const sessions = new Map<string, Promise<Session>>();

  async function load(runId: string): Promise<Session> {
    const db = await ctx.store();
    const record = await db.getRun(runId);
    if (!record) throw new HostError('NotFoundError', 'This run no longer exists: it may have been deleted in another tab. Pick another run.');
    const ds = await ctx.dataset(record.datasetId);
    const iteration = record.state?.iteration ?? null;
    const init = iteration !== null ? await db.getInit(runId) : undefined;
    const head = iteration === null ? null : iteration === 0 ? (init ?? null) : ((await db.stepsAfter(runId, iteration - 1, iteration))[0] ?? null);
    const problem = { ...problemOf(ds, record.pool), fixed: init?.fixed }; // as the run began
    return {
      record, dataset: ds, problem, model: null, reads: new ReadCache(), speed: new SpeedMeter(), gen: 0, loop: null, loopGen: -1, queue: Promise.resolve(), unsent: [], restart: undefined, lastPush: 0,
      head, lock: null, holders: 0, taking: null, elsewhere: false, watching: null, following: false, stale: false, wrote: false, unsaved: null, gone: false,
    };
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

  /** The run's model, opened on first use (a download or a load can take minutes: open it outside the run's queue). */
  const opening = new WeakMap<Session, Promise<Timed<RunModel>>>(); // one open per session, however many ask at once
  function model(s: Session): Promise<Timed<RunModel>> {
    if (s.model) return Promise.resolve(s.model);
    let p = opening.get(s);
    if (!p) {
      p = ctx.open(s.record.model, s.dataset, s.record.pool).then((m) => (s.model = timed(m)));
      opening.set(s, p);
      p.catch(() => opening.delete(s)); // a failed open is tried again by the next step
    }
    return p;
  }

  const summary = (s: Session): RunSummary => ({ ...runSummary(s.record, s.dataset, s.speed.figures(s.model?.warnings() ?? [])), ...(s.elsewhere ? { elsewhere: true } : {}) });
  /** Sends the run's summary, labels and every step since the last push; tells the other tabs when this worker wrote. */
  function push(s: Session): void {
    if (s.gone) return;
    if (s.wrote) ctx.tabs.post({ kind: 'changed', runId: s.record.id });
    s.wrote = false;
    s.lastPush = ctx.now();
    const update: RunUpdate = { run: summary(s), labels: labelsView(s.record), steps: s.unsent, ...(s.restart ? { restart: s.restart } : {}) };
    s.unsent = [];
    s.restart = undefined;
    ctx.post({ kind: 'runUpdate', update });
  }

  /**
   * The session brought up to date with the run as stored, which another tab may have written:
   * the steps it added go to the page with the next push; anything else (a reset, a log that no
   * longer holds this session's newest step) starts the page's log over, as `whole` always does.
   * `record: false` keeps this worker's own record (its writer's status may be ahead of storage).
   * Call it in the run's queue. A run that is gone is a NotFoundError.
   */
  async function resync(s: Session, opts: { whole?: boolean; record?: boolean } = {}): Promise<void> {
    const db = await ctx.store();
    const read = async (after: number) => {
      const log = await db.runLog(s.record.id, after);
      if (!log) throw new HostError('NotFoundError', 'This run no longer exists: it was deleted, here or in another tab. Pick another run.');
      return log;
    };
    const mine = s.record.state?.iteration ?? null;
    const from = opts.whole || mine === null ? 0 : Math.max(mine - 1, 0); // the step at `mine` too, to check the log still holds it
    let log = await read(from);
    const theirs = log.run.state?.iteration ?? null;
    const continues = !opts.whole && mine !== null && theirs !== null && theirs >= mine && sameContent(mine === 0 ? log.init : log.steps[0], s.head);
    if (!continues && from > 0) log = await read(0); // the record and the whole log, read together
    if (opts.record !== false) s.record = { ...log.run, ...s.unsaved };
    s.problem = { ...s.problem, fixed: log.init?.fixed };
    if (continues) {
      const added = mine === 0 ? log.steps : log.steps.slice(1);
      s.unsent.push(...added);
      s.head = added.at(-1) ?? s.head;
    } else {
      if (!opts.whole) s.reads = new ReadCache(); // a log this session did not follow (reset in another tab): a new run, as a reset here makes it
      s.restart = { init: log.init };
      s.unsent = log.init ? log.steps : [];
      s.head = s.unsent.at(-1) ?? log.init;
    }
  }

  /** Persists a status, then shows it; a refused write leaves the status as it was. */
  async function setStatus(s: Session, status: RunStatus, error: ErrorInfo | null = null): Promise<void> {
    await (await ctx.store()).patchRun(s.record.id, { status, error });
    s.record = { ...s.record, status, error };
    s.wrote = true;
    s.unsaved = null;
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
      s.head = init.event;
      s.wrote = true;
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
    s.head = next.event;
    s.wrote = true;
    return next.event;
  }

  const finished = (s: Session) => s.record.state !== null && isDone(s.record.state, s.record.config);

  /** A failure during a loop: the run keeps its last persisted state and shows the error. */
  async function fail(s: Session, e: unknown): Promise<void> {
    if (s.gone) return;
    const info = toErrorInfo(e);
    if (e instanceof StoreError && e.name === 'ConflictError') {
      // another writer got in (a browser without Web Locks): show the run as stored, and the refusal here only
      await serial(s, () => resync(s)).catch(() => undefined);
      s.record = { ...s.record, status: 'error', error: info };
      return push(s);
    }
    const next = (s.record.state?.iteration ?? 0) + 1;
    const error: ErrorInfo =
      e instanceof StoreError ? info : { name: info.name, message: `The run stopped at step ${next}: ${info.message.replace(/\.\s*$/, '')}. Retry resumes it from its last saved step.` };
    s.record = { ...s.record, status: 'error', error };
    try {
      await (await ctx.store()).patchRun(s.record.id, { status: 'error', error });
      s.wrote = true;
      s.unsaved = null;
    } catch {
      // storage refused even this: the error is still shown (over the stored 'running' too), and the saved status is fixed by the next play
      s.unsaved = { status: 'error', error };
    }
    push(s);
  }

  async function idle(): Promise<void> {
    for (const p of [...sessions.values()]) {
      const s = await p.catch(() => null);
      if (s) await s.loop;
    }
  }

  /** The run was deleted (here or in another tab): its loop stops, nothing more is pushed, and the session is dropped. */
  function drop(runId: string): Promise<Session | null> {
    const p = live(runId);
    sessions.delete(runId);
    return p.then((s) => {
      if (!s) return null;
      s.gone = true;
      s.gen++;
      s.model?.cancel();
      s.watching?.abort();
      s.watching = null;
      return s;
    });
  }

  return { session, live, drop, serial, model, summary, push, resync, setStatus, advance, finished, fail, idle };
}

export type Sessions = ReturnType<typeof createSessions>;
