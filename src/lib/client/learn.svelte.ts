// The run screen's teaching state: the run's step log as plot series, which step is on show
// (the newest, or one a person picked: a plot point, the replay bar, the arrow keys), the
// inspected step's detail from the worker, a replay that moves through a finished run from its
// log without the model, the chosen speed, and the lesson's focus that components react to.
//
// The steps come from the page's run log (run-log: what the worker pushed); the series takes
// its new steps at most every THROTTLE_MS however often the worker pushes.

import type { ErrorInfo, ItemRow, StepDetail } from '../protocol';
import type { ICMConfig } from '../icm/config';
import type { Labels } from '../icm/problem';
import type { StepEvent } from '../icm/search';
import { toErrorInfo, type Client } from './client';
import type { RunLog } from './run-log.svelte';
import { StepSeries, type StateAt } from './step-series';
import { Latest } from './latest';

/** What a lesson points at; components that show it highlight themselves. */
export type FocusId = 'U' | 'P' | 'I' | 'T' | 'accept' | 'labeled' | 'balance' | 'accuracy' | 'sampling' | 'proposal' | 'fix' | 'draw';

/** Steps per second; null: as fast as possible. */
export type Speed = number | null;
export const SPEEDS: { value: Speed; text: string }[] = [
  { value: 1, text: '1 step/s' },
  { value: 5, text: '5 steps/s' },
  { value: 20, text: '20 steps/s' },
  { value: null, text: 'Max' },
];

const THROTTLE_MS = 250; // the plots take new steps at most four times a second while a run plays
const DETAIL_DELAY_MS = 120; // holding an arrow key asks the worker once, for the step it stops on
const REPLAY_MAX_SECONDS = 10; // 'Max' replays a whole run in about this long (at least 60 steps/s)

export interface LearnOptions {
  throttleMs?: number;
  detailDelayMs?: number;
  /** Schedules one animation frame; returns a cancel. Defaults to requestAnimationFrame. */
  frame?: (fn: (time: number) => void) => () => void;
  now?: () => number;
}

function animationFrame(fn: (time: number) => void): () => void {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(fn);
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(() => fn(Date.now()), 16);
  return () => clearTimeout(id);
}

export class LearnState {
  /** The log as series; null until the run has its first step (the log starts with it). */
  series = $state.raw<StepSeries | null>(null);
  version = $state(0); // bumped whenever the series grows or is replaced: plots redraw
  last = $state(0); // the newest step in the log read so far
  pinned = $state<number | null>(null); // the step a person picked; null: follow the newest
  speed = $state<Speed>(null);
  replaying = $state(false);
  focus = $state<FocusId | null>(null);
  detail = $state.raw<StepDetail | null>(null); // the worker's detail of the step on show, once it came
  error = $state.raw<ErrorInfo | null>(null);

  /** The step on show: 0 is the state after the seed labels, before any step. */
  shown = $derived(this.pinned ?? this.last);
  following = $derived(this.pinned === null);

  /** The step on show, from the log read so far. */
  event = $derived.by((): StepEvent | null => {
    void this.version;
    return this.series?.step(this.shown) ?? null;
  });

  /** The figures after the step on show; null before the log has its first step. */
  state = $derived.by((): StateAt | null => {
    void this.version;
    return this.series?.stateAfter(this.shown) ?? null;
  });

  readonly runId: string;
  readonly config: ICMConfig;
  readonly items: ItemRow[];
  #client: Client;
  #log: RunLog;
  #opts: Required<LearnOptions>;
  #details = new Latest(); // a reset and dispose drop the replies to older requests
  #restarts: number; // the log's restarts the series has seen
  #lastFetch = -Infinity;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #detailTimer: ReturnType<typeof setTimeout> | null = null;
  #cancelFrame: (() => void) | null = null;
  #disposed = false;

  constructor(client: Client, log: RunLog, items: ItemRow[], config: ICMConfig, opts: LearnOptions = {}) {
    this.#client = client;
    this.#log = log;
    this.#restarts = log.restarts;
    this.runId = log.runId;
    this.items = items;
    this.config = config;
    this.#opts = {
      throttleMs: opts.throttleMs ?? THROTTLE_MS,
      detailDelayMs: opts.detailDelayMs ?? DETAIL_DELAY_MS,
      frame: opts.frame ?? animationFrame,
      now: opts.now ?? (() => performance.now()),
    };
  }

  /** The run log changed: take its new steps (throttled); when it started over (a reset), start over. */
  sync(): void {
    if (this.#log.restarts !== this.#restarts) {
      this.#restarts = this.#log.restarts;
      this.#details.drop();
      this.stopReplay();
      this.series = null;
      this.last = 0;
      this.pinned = null;
      this.detail = null;
      this.version++;
    }
    this.#pump();
  }

  /** The labeling after step k (the items table while replaying). */
  labelsAt(k: number): Labels | null {
    void this.version;
    return this.series?.labelsAfter(k) ?? null;
  }

  /** Shows step k (clamped to the log) and stops following the newest step. */
  inspect(k: number): void {
    this.stopReplay();
    this.pinned = Math.max(0, Math.min(Math.round(k), this.last));
  }

  /** Moves the step on show by `delta` (the arrow keys). */
  move(delta: number): void {
    this.inspect(this.shown + delta);
  }

  /** Back to following the newest step. */
  live(): void {
    this.stopReplay();
    this.pinned = null;
  }

  /** Plays the log from the step on show (from the start when at the end) at the chosen speed,
   *  without the model: only the screen moves. Reaching the end it follows the newest step again. */
  replay(): void {
    if (this.series === null || this.last === 0) return;
    this.stopReplay();
    this.pinned = this.shown >= this.last ? 0 : this.shown;
    this.replaying = true;
    let carry = 0;
    let previous: number | null = null;
    const tick = (time: number) => {
      if (!this.replaying) return;
      if (previous !== null) carry += ((time - previous) / 1000) * this.#replayRate();
      previous = time;
      const steps = Math.floor(carry);
      carry -= steps;
      const at = Math.min(this.last, (this.pinned ?? this.last) + steps);
      if (at >= this.last) {
        this.replaying = false;
        this.#cancelFrame = null;
        this.pinned = null;
        return;
      }
      this.pinned = at;
      this.#cancelFrame = this.#opts.frame(tick);
    };
    this.#cancelFrame = this.#opts.frame(tick);
  }

  stopReplay(): void {
    this.replaying = false;
    this.#cancelFrame?.();
    this.#cancelFrame = null;
  }

  /** Asks the worker for step k's detail (the text the model read) once the step on show has
   *  settled. `wanted` false (a run playing, shown live) skips it: the step would be stale
   *  before the reply came, and each read costs the worker a pass over the log. */
  requestDetail(k: number, wanted: boolean): void {
    if (this.#detailTimer !== null) clearTimeout(this.#detailTimer);
    this.#detailTimer = null;
    if (!wanted || k < 1 || k > this.last || this.detail?.event.iteration === k) return;
    const current = this.#details.take();
    this.#detailTimer = setTimeout(() => {
      this.#detailTimer = null;
      void this.#client.request({ kind: 'stepDetail', runId: this.runId, iteration: k }).then(
        (detail) => {
          if (current() && this.shown === k) this.detail = detail;
        },
        (e: unknown) => {
          if (current()) this.error = toErrorInfo(e);
        },
      );
    }, this.#opts.detailDelayMs);
  }

  dispose(): void {
    this.#disposed = true;
    this.#details.drop();
    this.stopReplay();
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#detailTimer !== null) clearTimeout(this.#detailTimer);
    this.#timer = this.#detailTimer = null;
  }

  #replayRate(): number {
    return this.speed ?? Math.max(60, this.last / REPLAY_MAX_SECONDS);
  }

  #pump(): void {
    if (this.#disposed || this.#timer !== null) return;
    if (this.#log.restarts !== this.#restarts) return this.sync();
    const log = this.#log;
    if (log.init === null || (this.series !== null && log.last <= this.last)) return;
    const wait = this.#opts.throttleMs - (this.#opts.now() - this.#lastFetch);
    if (wait > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#pump();
      }, wait);
      return;
    }
    this.#lastFetch = this.#opts.now();
    this.series ??= new StepSeries(log.init, this.items.length, this.items.map((it) => it.gold), this.config);
    this.series.push(log.steps.slice(this.series.last));
    this.last = this.series.last;
    this.version++;
  }
}
