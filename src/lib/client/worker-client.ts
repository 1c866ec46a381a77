// The main thread's side of the worker protocol (src/lib/protocol.ts): requests matched to
// replies by id, pushed events fanned out to listeners, and crash detection. A worker that
// throws, sends an unreadable message, reports 'fatal' or stops answering is treated as
// crashed: it is terminated (so it cannot keep writing), every pending request is rejected,
// and onCrash listeners hear why. restart() (the UI's Retry) starts a fresh worker, which
// resumes from what the old one persisted.

import type { ErrorInfo, EventMessage, ReplyMap, ReplyMessage, Request, RequestKind, RequestMessage, WorkerMessage } from '../protocol';

/** The longest a search step may take: a request the worker answers between two steps waits for
 *  the step in flight. On a real model on a busy CPU one step took 15 min (SmolLM2 behind llama.cpp's
 *  server, load average 13); openRun's 60 s then declared the worker dead, terminating it mid-step,
 *  and a reload of a playing run never showed it (issue 21, item 11). */
export const STEP_IN_FLIGHT_MS = 30 * 60_000;

/** How long each request may take before the worker is presumed dead, ms. 'pause' answers at
 *  once; the requests answered between two steps get STEP_IN_FLIGHT_MS. */
export const DEFAULT_TIMEOUTS: Record<RequestKind, number> = {
  init: 15_000,
  createRun: 30_000,
  poolBudget: 30_000,
  openRun: STEP_IN_FLIGHT_MS, // the run's whole log goes out between two steps (a reload plays it on at once)
  openRecording: 60_000, // parses the shipped recording and stores its log
  play: STEP_IN_FLIGHT_MS, // marks the run playing in its queue, after a step in flight
  setSpeed: 30_000, // a write of one field, outside the run's queue; a run playing takes it at its next step
  pause: 30_000,
  step: STEP_IN_FLIGHT_MS, // and may wait for a model to load
  reset: STEP_IN_FLIGHT_MS,
  deleteRun: STEP_IN_FLIGHT_MS, // halts its loop: the step in flight finishes first
  deleteDataset: STEP_IN_FLIGHT_MS, // likewise, for each of its runs
  storageUse: 120_000, // reads every run's record and counts its steps
  consents: 15_000,
  setConsent: 15_000,
  modelCache: 30_000,
  deleteModel: 30_000,
  // a first download can take many minutes; the backend ends a load that stalls (no progress
  // for 90 s) with an error, so this is only the last resort against a worker that hangs
  loadModel: 30 * 60_000,
  cancelLoad: 10_000,
  addModelFile: 10 * 60_000, // checks the header, and copies the file into the browser when it is to be kept
  ggufStatus: 30_000,
  stepDetail: 30_000,
  importFile: 5 * 60_000, // parsing 50 000 rows takes seconds; a very large file longer
  previewImport: 30_000,
  saveImport: 5 * 60_000,
  labelRest: 24 * 60 * 60_000, // replies when every item is labeled or it is stopped; progress events meanwhile
  stopLabelRest: 30_000,
  baselines: 24 * 60 * 60_000, // likewise
  review: 60_000,
  setOverride: 30_000,
  exportRun: 120_000,
  exportProject: 5 * 60_000,
  importProject: 5 * 60_000,
};

export interface ClientOptions {
  timeouts?: Partial<Record<RequestKind, number>>;
}

/** The part of a Worker the client uses (a fake one in tests). */
export type WorkerLike = Pick<Worker, 'postMessage' | 'terminate' | 'addEventListener'>;

interface Pending {
  kind: RequestKind;
  settle(reply: ReplyMessage): void;
  fail(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

const RETRY = 'Press Retry to restart it; every saved step is kept.';

function toError(info: ErrorInfo): Error {
  const error = new Error(info.message);
  error.name = info.name;
  return error;
}

export class WorkerClient {
  private worker: WorkerLike | null = null;
  private crashed: ErrorInfo | null = null; // set until restart()
  private closed = false;
  private nextId = 0;
  private pending = new Map<number, Pending>();
  private eventListeners = new Set<(e: EventMessage) => void>();
  private crashListeners = new Set<(e: ErrorInfo) => void>();
  private timeouts: Record<RequestKind, number>;

  constructor(
    private makeWorker: () => WorkerLike = () => new Worker(new URL('../../../workers/run.worker.ts', import.meta.url), { type: 'module' }),
    options: ClientOptions = {},
  ) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  }

  request<K extends RequestKind>(req: Extract<Request, { kind: K }>): Promise<ReplyMap[K]> {
    return new Promise<ReplyMap[K]>((resolve, reject) => {
      const { worker, error } = this.ready();
      if (!worker) return reject(toError(error));
      const id = ++this.nextId;
      const ms = this.timeouts[req.kind];
      const timer = setTimeout(
        () => this.crash({ name: 'TimeoutError', message: `The run worker did not answer "${req.kind}" within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}. ${RETRY}` }),
        ms,
      );
      this.pending.set(id, {
        kind: req.kind,
        settle: (reply) => {
          // The reply carries this request's id and kind (checked in receive), so its value is ReplyMap[K].
          if (reply.ok) resolve(reply.value as ReplyMap[K]);
          else reject(toError(reply.error));
        },
        fail: reject,
        timer,
      });
      const msg: RequestMessage = { ...req, id };
      try {
        worker.postMessage(msg);
      } catch (e) {
        this.drop(id);
        reject(toError({ name: 'DataCloneError', message: `The request "${req.kind}" could not be sent to the run worker: ${e instanceof Error ? e.message : String(e)}` }));
      }
    });
  }

  onEvent(fn: (e: EventMessage) => void): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  onCrash(fn: (e: ErrorInfo) => void): () => void {
    this.crashListeners.add(fn);
    return () => this.crashListeners.delete(fn);
  }

  /** A fresh worker for the next request (the UI's Retry); requests still pending are rejected. */
  restart(): void {
    this.stop({ name: 'AbortError', message: 'The run worker was restarted before it answered.' });
    this.crashed = null;
    this.closed = false;
  }

  terminate(): void {
    this.stop({ name: 'AbortError', message: 'The run worker was stopped before it answered.' });
    this.closed = true;
  }

  /** The live worker, started on first use; or why there is none. */
  private ready(): { worker: WorkerLike; error?: undefined } | { worker?: undefined; error: ErrorInfo } {
    if (this.closed) return { error: { name: 'InvalidStateError', message: 'The run worker was stopped. Reload the page to start it again.' } };
    if (this.crashed) return { error: this.crashed };
    if (this.worker) return { worker: this.worker };
    let worker: WorkerLike;
    try {
      worker = this.makeWorker();
    } catch (e) {
      const info = { name: 'WorkerError', message: `The run worker could not start: ${e instanceof Error ? e.message : String(e)}. This browser may not support module workers; try a current Chrome, Edge or Firefox.` };
      this.crashed = info;
      return { error: info };
    }
    // events from a worker that has since been replaced are ignored
    worker.addEventListener('message', (e: MessageEvent<WorkerMessage>) => {
      if (this.worker === worker) this.receive(e.data);
    });
    worker.addEventListener('error', (e: ErrorEvent) => {
      if (this.worker !== worker) return;
      e.preventDefault?.();
      this.crash({ name: 'WorkerError', message: `The run worker ${e.message ? `failed: ${e.message}` : 'failed to start or stopped'}. ${RETRY}` });
    });
    worker.addEventListener('messageerror', () => {
      if (this.worker === worker) this.crash({ name: 'DataCloneError', message: `A message from the run worker could not be read. ${RETRY}` });
    });
    this.worker = worker;
    return { worker };
  }

  private receive(msg: WorkerMessage): void {
    if ('id' in msg) {
      const pending = this.pending.get(msg.id);
      if (!pending || pending.kind !== msg.kind) return; // a late reply to a request already given up
      this.drop(msg.id);
      pending.settle(msg);
      return;
    }
    for (const fn of [...this.eventListeners]) fn(msg);
    if (msg.kind === 'fatal') this.crash(msg.error);
  }

  private drop(id: number): void {
    const pending = this.pending.get(id);
    if (pending) clearTimeout(pending.timer);
    this.pending.delete(id);
  }

  private stop(reason: ErrorInfo): void {
    this.worker?.terminate();
    this.worker = null;
    const pending = [...this.pending.values()];
    for (const p of pending) clearTimeout(p.timer);
    this.pending.clear();
    for (const p of pending) p.fail(toError(reason));
  }

  /** The worker is presumed dead: stop it (so it cannot write behind a new one) and say why. */
  private crash(info: ErrorInfo): void {
    if (this.crashed || !this.worker) return; // one report per worker
    this.stop(info);
    this.crashed = info;
    for (const fn of [...this.crashListeners]) fn(info);
  }
}
