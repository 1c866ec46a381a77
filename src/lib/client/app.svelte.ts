// The app's state on the main thread: what the screens show, and the few actions a user can
// take. All work happens in the run worker; this class only sends requests and folds the
// replies and pushed events into state the components read. Navigation is the URL hash
// (#run=<id>), so a reload reopens the run that was open.

import type { DatasetSummary, ErrorInfo, EventMessage, ItemRow, LabelsView, ReplyMap, Request, RequestKind, RunSummary, RunUpdate } from '../protocol';
import type { StepEvent } from '../icm/search';
import type { ICMConfig } from '../icm/config';
import type { ModelSpec } from '../model/params';
import { SvelteMap } from 'svelte/reactivity';
import { toErrorInfo, type Client } from './client';
import { ModelState, type StorageLike } from './models.svelte';
import { LabelingState } from './labeling.svelte';

export { toErrorInfo, type Client } from './client';

/** The run on screen: replaced wholesale on every update, so components can compare by reference. */
export interface OpenRun {
  run: RunSummary;
  items: ItemRow[];
  labels: LabelsView;
  steps: StepEvent[]; // newest first, at most RECENT_STEPS
}

export type FieldErrors = Partial<Record<string, string>>;

export const RECENT_STEPS = 12;

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
  #openSeq = 0; // only the latest openRun reply may replace `open`
  #speeds = new SvelteMap<string, number | null>(); // the speed each run was last played at, while the worker lives

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
    this.screen = screenFromHash(hash);
    this.view = viewFromHash(hash);
    if (id === null) {
      this.#openSeq++;
      this.opening = false;
      this.open = null;
    } else if (id !== this.open?.run.id) {
      await this.openRun(id);
    }
  }

  /** Opens a run; a run saved as 'running' was cut off by a reload or crash, so it is played again. */
  async openRun(runId: string): Promise<void> {
    const seq = ++this.#openSeq;
    this.opening = true;
    const reply = await this.#call({ kind: 'openRun', runId });
    if (seq !== this.#openSeq) return;
    this.opening = false;
    if (!reply) return;
    this.open = { run: reply.run, items: reply.items, labels: reply.labels, steps: reply.recentSteps.slice(-RECENT_STEPS).reverse() };
    this.#replaceRun(reply.run);
    if (reply.run.status === 'running') await this.play();
  }

  /** Creates a run; returns the worker's per-field errors when it refuses the settings, else null. */
  async createRun(datasetId: string, config: ICMConfig, model: ModelSpec): Promise<{ run: RunSummary } | { errors: FieldErrors } | null> {
    const reply = await this.#call({ kind: 'createRun', datasetId, config, model });
    if (!reply) return null;
    if (!reply.ok) return { errors: reply.errors };
    this.runs = [reply.run, ...this.runs.filter((r) => r.id !== reply.run.id)];
    return { run: reply.run };
  }

  /** Plays the open run; `stepsPerSecond` sets the speed (null: as fast as the model allows), and
   *  sent again while playing it changes the speed. Absent: the worker keeps the speed it has. */
  async play(stepsPerSecond?: number | null): Promise<void> {
    const runId = this.open?.run.id;
    if (runId === undefined) return;
    if (stepsPerSecond !== undefined) this.#speeds.set(runId, stepsPerSecond);
    const run = await this.#control({ kind: 'play', runId, ...(stepsPerSecond === undefined ? {} : { stepsPerSecond }) });
    if (run) this.#applyRun(run);
  }

  /** Steps a second the run plays at (null: as fast as the model allows, the worker's default). */
  speedOf(runId: string): number | null {
    return this.#speeds.get(runId) ?? null;
  }

  async pause(): Promise<void> {
    const runId = this.open?.run.id;
    if (runId === undefined) return;
    const run = await this.#control({ kind: 'pause', runId });
    if (run) this.#applyRun(run);
  }

  async step(): Promise<void> {
    const runId = this.open?.run.id;
    if (runId === undefined) return;
    const update = await this.#control({ kind: 'step', runId });
    if (update) this.#applyUpdate(update);
  }

  /** Back to iteration 0 with the same settings and seed; a running run is paused first. */
  async reset(): Promise<void> {
    const runId = this.open?.run.id;
    if (runId === undefined) return;
    if (this.open?.run.status === 'running') await this.pause();
    const update = await this.#control({ kind: 'reset', runId });
    if (update && this.open?.run.id === runId) {
      this.open = { ...this.open, run: update.run, labels: update.labels, steps: [] };
      this.#replaceRun(update.run);
    }
  }

  async deleteRun(runId: string): Promise<boolean> {
    const reply = await this.#call({ kind: 'deleteRun', runId });
    if (!reply) return false;
    this.runs = this.runs.filter((r) => r.id !== runId);
    if (this.open?.run.id === runId) this.open = null;
    return true;
  }

  /** Deletes an imported dataset with every run on it and the review decisions (the screen asks first). */
  async deleteDataset(datasetId: string): Promise<boolean> {
    const reply = await this.#call({ kind: 'deleteDataset', datasetId });
    if (!reply) return false;
    this.datasets = this.datasets.filter((d) => d.id !== datasetId);
    this.runs = this.runs.filter((r) => !reply.runIds.includes(r.id));
    if (this.open && reply.runIds.includes(this.open.run.id)) this.open = null;
    return true;
  }

  /** After a crash: a fresh worker, the run reopened from its last persisted step, and played again. */
  async retry(): Promise<void> {
    const runId = this.open?.run.id;
    const wasDone = this.open?.run.status === 'done';
    this.error = null;
    this.busy = false;
    this.#client.restart();
    this.#speeds.clear();
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
    this.loaded = true;
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
    this.#speeds.clear();
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
    }
  }

  #applyUpdate(update: RunUpdate): void {
    this.#replaceRun(update.run);
    const open = this.open;
    if (open?.run.id !== update.run.id) return;
    const last = update.lastStep;
    // a step already shown (the reply to 'step' and its pushed event) is not listed twice
    const fresh = last !== null && last.iteration !== open.steps[0]?.iteration;
    const steps = fresh ? [last, ...open.steps].slice(0, RECENT_STEPS) : open.steps;
    this.open = { ...open, run: update.run, labels: update.labels, steps };
    // while playing, the worker pushes about one update per 100 ms, each with only its last
    // step; once the loop stops, the full list of recent steps is fetched again
    if (open.run.status === 'running' && update.run.status !== 'running') void this.#refreshSteps(update.run.id);
  }

  async #refreshSteps(runId: string): Promise<void> {
    const seq = this.#openSeq;
    const reply = await this.#call({ kind: 'openRun', runId });
    const open = this.open;
    if (!reply || seq !== this.#openSeq || open?.run.id !== runId) return;
    const steps = reply.recentSteps.slice(-RECENT_STEPS).reverse();
    // a step pushed after this reply was read is kept
    const newer = open.steps.filter((s) => s.iteration > (steps[0]?.iteration ?? 0));
    this.open = { ...open, steps: [...newer, ...steps].slice(0, RECENT_STEPS) };
  }

  /** A control reply may be older than step events already shown: take its status, keep newer figures. */
  #applyRun(run: RunSummary): void {
    const shown = this.runs.find((r) => r.id === run.id);
    const latest = shown && shown.figures.iteration > run.figures.iteration ? { ...shown, status: run.status, error: run.error } : run;
    this.#replaceRun(latest);
    if (this.open?.run.id === run.id) this.open = { ...this.open, run: latest };
  }

  #replaceRun(run: RunSummary): void {
    const i = this.runs.findIndex((r) => r.id === run.id);
    this.runs = i < 0 ? [run, ...this.runs] : this.runs.map((r, j) => (j === i ? run : r));
  }
}
