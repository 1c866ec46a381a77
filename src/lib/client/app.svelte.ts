// The app's state on the main thread: what the screens show, and the few actions a user can
// take. All work happens in the run worker; this class only sends requests and folds the
// replies and pushed events into state the components read. Navigation is the URL hash
// (#run=<id>), so a reload reopens the run that was open.

import type { DatasetSummary, ErrorInfo, EventMessage, ItemRow, LabelsView, ReplyMap, Request, RequestKind, RunSummary, RunUpdate, StorageUse } from '../protocol';
import type { StepEvent } from '../icm/search';
import type { ICMConfig } from '../icm/config';
import type { ModelSpec } from '../model/params';
import { toErrorInfo, type Client } from './client';
import { ModelState, type StorageLike } from './models.svelte';
import { LabelingState } from './labeling.svelte';
import { NEW_RUN_SPEED } from './learn.svelte';
import { RunLog } from './run-log.svelte';
import { Latest } from './latest';

export { toErrorInfo, type Client } from './client';

/** The run on screen: replaced wholesale on every update, so components can compare by reference. */
export interface OpenRun {
  run: RunSummary;
  items: ItemRow[];
  labels: LabelsView;
  steps: StepEvent[]; // newest first, at most RECENT_STEPS (run-log)
  log: RunLog; // the run's whole log as pushed; the same object for as long as the run is open
}

export type FieldErrors = Partial<Record<string, string>>;

/** `#run=<id>` → id; anything else → null (the set-up screen). */
export function runIdFromHash(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get('run') || null;
}

export function hashForRun(id: string | null): string {
  return id === null ? '' : `#run=${encodeURIComponent(id)}`;
}

/** Which screen the hash names when no run is open: '#import' is the import and backup page. */
export type Screen = 'setup' | 'import';
export const screenFromHash = (hash: string): Screen => (/^#?import\b/.test(hash) ? 'import' : 'setup');

/** What an open run shows: the search ('#run=<id>'), or its review ('#run=<id>&view=review'). */
export type RunView = 'search' | 'review';
export const viewFromHash = (hash: string): RunView => (new URLSearchParams(hash.replace(/^#/, '')).get('view') === 'review' ? 'review' : 'search');
export const hashForReview = (id: string): string => `${hashForRun(id)}&view=review`;

export interface AppOptions {
  storage?: StorageLike | null; // navigator.storage where the browser has it
  cancelGraceMs?: number; // see ModelState
}

export class AppState {
  datasets = $state.raw<DatasetSummary[]>([]);
  runs = $state.raw<RunSummary[]>([]);
  open = $state.raw<OpenRun | null>(null);
  loaded = $state(false); // the worker answered 'init'
  opening = $state(false); // an openRun request is in flight
  busy = $state(false); // a control request is in flight
  error = $state.raw<ErrorInfo | null>(null); // worker crash or a failed request
  screen = $state<Screen>('setup'); // shown when no run is open
  view = $state<RunView>('search'); // what the open run shows
  missing = $state<string | null>(null); // the run the address names, which this browser does not have (deleted, or made in another browser)
  replayOnOpen = $state<string | null>(null); // a recorded run whose screen starts replaying it when it opens
  storageFull = $state(false); // writes fail for want of space: everything is listed, to back up or delete, until one succeeds
  storageUse = $state.raw<StorageUse | null>(null); // what each run and dataset takes, once asked (refreshStorageUse)

  /** What the alert region shows: a crash or failed request, else a run that stopped with an error. */
  alert = $derived.by((): ErrorInfo | null => {
    if (this.error) return this.error;
    const run = this.open?.run;
    if (run?.status !== 'error') return null;
    return run.error ?? { name: 'RunError', message: 'The run stopped with an error. Retry resumes it from its last saved step.' };
  });

  /** Language models: GPU capability, cache, storage and the model loaded in the worker. */
  readonly models: ModelState;

  /** Import, review, label the rest, baselines, export and project backup. */
  readonly labeling: LabelingState;

  #client: Client;
  #opening = new Latest(); // only the latest openRun reply may replace `open`
  #following: { runId: string; done: Promise<void> } | null = null; // the run an address is opening
  #log: RunLog | null = null; // the log of the run open or being opened: pushes for it arrive before the reply

  /** The worker client, for screens that keep their own state (the run screen's plots and inspector). */
  get client(): Client {
    return this.#client;
  }

  constructor(client: Client, opts: AppOptions = {}) {
    this.#client = client;
    const storage = opts.storage !== undefined ? opts.storage : (globalThis.navigator?.storage ?? null);
    this.models = new ModelState(client, { restartWorker: () => this.#restartWorker(), storage, cancelGraceMs: opts.cancelGraceMs });
    this.labeling = new LabelingState(client, {
      // a new dataset goes first, so the set-up screen opened next preselects it
      datasetSaved: (ds) => (this.datasets = [ds, ...this.datasets.filter((d) => d.id !== ds.id)]),
      projectImported: async () => void (await this.#load()),
    });
    client.onEvent((e) => this.#onEvent(e));
    client.onCrash((e) => {
      this.error = e;
      this.busy = false;
      this.models.onWorkerLost(e);
      this.labeling.onWorkerLost();
    });
  }

  /** Loads datasets and runs, then opens the run named in the hash (resuming it if it was running). */
  async start(hash: string): Promise<void> {
    if (!(await this.#load())) return;
    await this.followHash(hash);
  }

  /** The hash is the source of truth for which run is open. */
  async followHash(hash: string): Promise<void> {
    const id = runIdFromHash(hash);
    if (id !== this.missing) this.missing = null;
    this.screen = screenFromHash(hash);
    this.view = viewFromHash(hash);
    if (id === null) {
      this.#opening.drop();
      this.opening = false;
      this.open = null;
      this.#log = null;
    } else if (id !== this.open?.run.id) {
      // the same address followed twice (a page sets the hash, then hashchange): one open, awaited by both,
      // else the second open would discard the first one's reply and its caller would find no run open
      if (this.#following?.runId !== id) {
        const following = { runId: id, done: this.openRun(id).finally(() => this.#following === following && (this.#following = null)) };
        this.#following = following;
      }
      await this.#following?.done;
    }
  }

  /** Opens a run; a run saved as 'running' was cut off by a reload or crash, so it is played again. */
  async openRun(runId: string): Promise<void> {
    const current = this.#opening.take();
    this.opening = true;
    // reopened (Retry after a crash): the same log, which the worker's push brings up to date
    const log = this.#log?.runId === runId ? this.#log : new RunLog(runId);
    this.#log = log;
    let reply: ReplyMap['openRun'];
    try {
      reply = await this.#client.request({ kind: 'openRun', runId });
    } catch (e) {
      if (!current()) return;
      this.opening = false;
      const error = toErrorInfo(e);
      // no run at this address: nothing to retry, so a notice rather than the alert with Retry
      if (error.name === 'NotFoundError') this.missing = runId;
      else this.error = error;
      return;
    }
    if (!current()) return;
    this.opening = false;
    if (log.run === null) return;
    log.attach(reply.items, log.run.config);
    this.open = { run: log.run, items: reply.items, labels: log.labels, steps: log.recent(), log };
    if (log.run.status === 'running' && !log.run.elsewhere) await this.play(); // another tab plays it: followed, not played here too
  }

  /** Creates a run, to play at `stepsPerSecond` (a speed a person can follow unless told);
   *  returns the worker's per-field errors when it refuses the settings, else null. */
  async createRun(
    datasetId: string,
    config: ICMConfig,
    model: ModelSpec,
    stepsPerSecond: number | null = NEW_RUN_SPEED,
  ): Promise<{ run: RunSummary } | { errors: FieldErrors } | null> {
    const reply = await this.#call({ kind: 'createRun', datasetId, config, model, stepsPerSecond });
    if (!reply) return null;
    if (!reply.ok) return { errors: reply.errors };
    this.runs = [reply.run, ...this.runs.filter((r) => r.id !== reply.run.id)];
    return { run: reply.run };
  }

  /** Stores a run recorded on a real model that the app ships (once: a second call finds it) and
   *  returns its id for the caller to open (`#run=<id>`); null when it failed (the alert says why). */
  async openRecording(recordingId: string): Promise<string | null> {
    const reply = await this.#call({ kind: 'openRecording', recordingId });
    if (!reply) return null;
    this.#replaceRun(reply.run);
    this.replayOnOpen = reply.run.id;
    return reply.run.id;
  }

  /** Plays the open run, at its speed. */
  async play(): Promise<void> {
    const runId = this.open?.run.id;
    if (runId === undefined) return;
    await this.#control({ kind: 'play', runId });
  }

  /** The open run's speed, kept with it (null: as fast as the model allows); a run playing takes it at once. */
  async setSpeed(stepsPerSecond: number | null): Promise<void> {
    const runId = this.open?.run.id;
    if (runId === undefined) return;
    await this.#call({ kind: 'setSpeed', runId, stepsPerSecond });
  }

  async pause(): Promise<void> {
    const runId = this.open?.run.id;
    if (runId === undefined) return;
    await this.#control({ kind: 'pause', runId });
  }

  async step(): Promise<void> {
    const runId = this.open?.run.id;
    if (runId === undefined) return;
    await this.#control({ kind: 'step', runId });
  }

  /** Back to iteration 0 with the same settings and seed; a running run is paused first. */
  async reset(): Promise<void> {
    const runId = this.open?.run.id;
    if (runId === undefined) return;
    if (this.open?.run.status === 'running') await this.pause();
    await this.#control({ kind: 'reset', runId });
  }

  async deleteRun(runId: string): Promise<boolean> {
    const reply = await this.#call({ kind: 'deleteRun', runId });
    if (!reply) return false;
    this.runs = this.runs.filter((r) => r.id !== runId);
    if (this.open?.run.id === runId) {
      this.open = null;
      this.#log = null;
    }
    if (this.storageUse) void this.refreshStorageUse();
    return true;
  }

  /** Asks the worker how much space each run and dataset takes, and the browser's total. */
  async refreshStorageUse(): Promise<void> {
    const reply = await this.#call({ kind: 'storageUse' });
    if (reply) this.storageUse = reply;
  }

  /** Deletes an imported dataset with every run on it and the review decisions (the screen asks first). */
  async deleteDataset(datasetId: string): Promise<boolean> {
    const reply = await this.#call({ kind: 'deleteDataset', datasetId });
    if (!reply) return false;
    this.datasets = this.datasets.filter((d) => d.id !== datasetId);
    this.runs = this.runs.filter((r) => !reply.runIds.includes(r.id));
    if (this.open && reply.runIds.includes(this.open.run.id)) this.open = null;
    if (this.storageUse) void this.refreshStorageUse();
    return true;
  }

  /** After a crash: a fresh worker, the run reopened from its last persisted step, and played again. */
  async retry(): Promise<void> {
    const runId = this.open?.run.id;
    const wasDone = this.open?.run.status === 'done';
    this.error = null;
    this.busy = false;
    this.#client.restart();
    this.models.onWorkerLost(null);
    if (!(await this.#load())) return;
    if (runId === undefined) return;
    await this.openRun(runId);
    // openRun already resumes a run saved as 'running'
    const status = this.open?.run.status;
    if (!wasDone && this.open?.run.id === runId && status !== 'running' && status !== 'done') await this.play();
  }

  dismissError(): void {
    this.error = null;
  }

  async #load(): Promise<boolean> {
    const reply = await this.#call({ kind: 'init' });
    if (!reply) return false;
    this.datasets = reply.datasets;
    this.runs = reply.runs;
    this.storageFull = reply.storageFull;
    this.loaded = true;
    if (reply.storageFull) void this.refreshStorageUse();
    return true;
  }

  async #call<K extends RequestKind>(req: Extract<Request, { kind: K }>): Promise<ReplyMap[K] | null> {
    try {
      return await this.#client.request<K>(req);
    } catch (e) {
      this.error = toErrorInfo(e);
      return null;
    }
  }

  async #control<K extends RequestKind>(req: Extract<Request, { kind: K }>): Promise<ReplyMap[K] | null> {
    this.busy = true;
    try {
      return await this.#call<K>(req);
    } finally {
      this.busy = false;
    }
  }

  /** A fresh worker after a cancelled load that did not wind down; the datasets are asked again. */
  #restartWorker(): void {
    this.#client.restart();
    this.models.onWorkerLost(null);
    void this.#load();
  }

  #onEvent(e: EventMessage): void {
    switch (e.kind) {
      case 'fatal':
        this.error = e.error;
        return;
      case 'loadProgress':
        this.models.onProgress(e.modelId, e.progress);
        return;
      case 'labelingProgress':
        this.labeling.onEvent(e);
        return;
      case 'runUpdate':
        this.#applyUpdate(e.update);
        return;
      case 'runDeleted':
        this.#runDeleted(e.runId);
        return;
      case 'storeChanged':
        void this.#load();
        return;
      case 'storage':
        this.storageFull = e.full;
        if (e.full) void this.refreshStorageUse();
    }
  }

  /** Deleted in another tab: gone from the list, and from the screen with a word why. */
  #runDeleted(runId: string): void {
    const run = this.runs.find((r) => r.id === runId);
    this.runs = this.runs.filter((r) => r.id !== runId);
    if (this.open?.run.id !== runId) return;
    this.open = null;
    this.#log = null;
    this.error = { name: 'Deleted', message: `Run “${run?.name ?? runId}” was deleted in another tab of this browser. Nothing else was changed; pick another run or start a new one.` };
  }

  #applyUpdate(update: RunUpdate): void {
    this.#replaceRun(update.run);
    const log = this.#log;
    if (log?.runId !== update.run.id) return;
    log.apply(update);
    const open = this.open;
    if (open?.log === log) this.open = { ...open, run: update.run, labels: update.labels, steps: log.recent() };
  }

  #replaceRun(run: RunSummary): void {
    const i = this.runs.findIndex((r) => r.id === run.id);
    this.runs = i < 0 ? [run, ...this.runs] : this.runs.map((r, j) => (j === i ? run : r));
  }
}
