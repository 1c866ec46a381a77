// The run screen's teaching state: which step is on show (the newest, or one a person picked: a
// plot point, the replay bar, the arrow keys), the inspected step's detail from the worker, a
// replay that moves through a finished run from its log without the model, the chosen speed,
// and the lesson's focus that components react to.
//
// Everything it shows of the run comes from the page's run log (run-log: what the worker
// pushed, with the figures of every step), read at the step on show; it keeps no copy of it.

import type { ErrorInfo, ItemRow, RunSpeed, StepDetail } from '../protocol';
import type { ICMConfig } from '../icm/config';
import type { Labels } from '../icm/problem';
import type { StepEvent } from '../icm/search';
import { toErrorInfo, type Client } from './client';
import type { RunLog } from './run-log.svelte';
import type { StateAt, StepSeries } from './step-series';
import { Latest } from './latest';

/** What a lesson points at; components that show it highlight themselves. */
export type FocusId = 'U' | 'P' | 'I' | 'T' | 'accept' | 'labeled' | 'balance' | 'accuracy' | 'sampling' | 'proposal' | 'fix' | 'draw';

/** What the figure tiles show: the log's figures at the step on show, with the run's limit, its
 *  pool and, following the newest step, the worker's speed of the recent steps. */
export interface ShownFigures extends StateAt {
  iterations: number;
  pool: number;
  speed: RunSpeed | null;
}

/** Steps per second; null: as fast as possible. */
export type Speed = number | null;
export const NEW_RUN_SPEED: Speed = 5; // a new run plays slowly enough to watch each step; Max is a choice
export const SPEEDS: { value: Speed; text: string }[] = [
  { value: 1, text: '1 step/s' },
  { value: 5, text: '5 steps/s' },
  { value: 20, text: '20 steps/s' },
  { value: null, text: 'Max' },
];

const DETAIL_DELAY_MS = 120; // holding an arrow key asks the worker once, for the step it stops on
const REPLAY_MAX_SECONDS = 10; // 'Max' replays a whole run in about this long (at least 60 steps/s)

export interface LearnOptions {
  detailDelayMs?: number;
  /** Schedules one animation frame; returns a cancel. Defaults to requestAnimationFrame. */
  frame?: (fn: (time: number) => void) => () => void;
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
  speed = $state<Speed>(null);
  replaying = $state(false);
  focus = $state<FocusId | null>(null);
  error = $state.raw<ErrorInfo | null>(null);

  readonly runId: string;
  readonly config: ICMConfig;
  readonly items: ItemRow[];
  #client: Client;
  #log: RunLog;
  #opts: Required<LearnOptions>;
  #details = new Latest(); // dispose drops the replies to older requests
  // the step a person picked, and the detail the worker sent, each of the log as it was then:
  // once the log starts over (a reset) they are of another run and no longer shown
  #pin = $state.raw<{ k: number; restarts: number } | null>(null);
  #detail = $state.raw<{ detail: StepDetail; restarts: number } | null>(null);
  #detailTimer: ReturnType<typeof setTimeout> | null = null;
  #cancelFrame: (() => void) | null = null;

  /** The log's change counter: what redraws from the log reads it first. */
  get version(): number {
    return this.#log.version;
  }

  /** The log as series; null until the run has its first step (the log starts with it). */
  series = $derived.by((): StepSeries | null => {
    void this.#log.version;
    return this.#log.series;
  });

  /** The newest step in the log. */
  last = $derived.by(() => {
    void this.#log.version;
    return this.#log.last;
  });

  /** The step a person picked; null: follow the newest. */
  pinned = $derived.by((): number | null => {
    void this.#log.version;
    const p = this.#pin;
    return p !== null && p.restarts === this.#log.restarts ? Math.min(p.k, this.#log.last) : null;
  });

  /** The step on show: 0 is the state after the seed labels, before any step. */
  shown = $derived(this.pinned ?? this.last);
  following = $derived(this.pinned === null);

  /** The step on show, from the log. */
  event = $derived.by((): StepEvent | null => {
    void this.#log.version;
    return this.#log.series?.step(this.shown) ?? null;
  });

  /** The figures after the step on show; null before the log has its first step. */
  state = $derived.by((): StateAt | null => {
    void this.#log.version;
    return this.#log.series?.stateAfter(this.shown) ?? null;
  });

  /** The figures after the step on show, and before the first step the run's start: what the figure tiles show. */
  figures = $derived.by((): StateAt => {
    void this.#log.version;
    return this.#log.at(this.shown);
  });

  /** The figures after the newest step (the run's progress, whatever step is on show). */
  newest = $derived.by((): StateAt => {
    void this.#log.version;
    return this.#log.at(this.#log.last);
  });

  /** The worker's detail of the step on show, once it came. */
  detail = $derived.by((): StepDetail | null => {
    void this.#log.version;
    const d = this.#detail;
    return d !== null && d.restarts === this.#log.restarts ? d.detail : null;
  });

  constructor(client: Client, log: RunLog, items: ItemRow[], config: ICMConfig, opts: LearnOptions = {}) {
    this.#client = client;
    this.#log = log;
    this.runId = log.runId;
    this.items = items;
    this.config = config;
    this.#opts = {
      detailDelayMs: opts.detailDelayMs ?? DETAIL_DELAY_MS,
      frame: opts.frame ?? animationFrame,
    };
  }

  /** The first step after the one on show that changed the labeling (an accepted move), or null
   *  when none does: the replay bar offers to skip the steps between, which change nothing. */
  nextChange = $derived.by((): number | null => {
    void this.#log.version;
    const series = this.#log.series;
    if (series === null) return null;
    for (let k = this.shown + 1; k <= this.last; k++) if (series.step(k)?.accepted) return k;
    return null;
  });

  /** Shows step k; a replay goes on from there. */
  skipTo(k: number): void {
    if (this.replaying) this.#pinAt(Math.max(0, Math.min(Math.round(k), this.last)));
    else this.inspect(k);
  }

  /** The labeling after step k (the items table while replaying). */
  labelsAt(k: number): Labels | null {
    void this.#log.version;
    return this.#log.series?.labelsAfter(k) ?? null;
  }

  /** Shows step k (clamped to the log) and stops following the newest step. */
  inspect(k: number): void {
    this.stopReplay();
    this.#pinAt(Math.max(0, Math.min(Math.round(k), this.last)));
  }

  /** Moves the step on show by `delta` (the arrow keys). */
  move(delta: number): void {
    this.inspect(this.shown + delta);
  }

  /** Back to following the newest step. */
  live(): void {
    this.stopReplay();
    this.#pin = null;
  }

  /** Plays the log from the step on show (from the start when at the end) at the chosen speed,
   *  without the model: only the screen moves. Reaching the end it follows the newest step again. */
  replay(): void {
    if (this.series === null || this.last === 0) return;
    this.stopReplay();
    this.#pinAt(this.shown >= this.last ? 0 : this.shown);
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
        this.#pin = null;
        return;
      }
      this.#pinAt(at);
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
    const restarts = this.#log.restarts;
    const current = this.#details.take();
    this.#detailTimer = setTimeout(() => {
      this.#detailTimer = null;
      void this.#client.request({ kind: 'stepDetail', runId: this.runId, iteration: k }).then(
        (detail) => {
          if (current() && restarts === this.#log.restarts && this.shown === k) this.#detail = { detail, restarts };
        },
        (e: unknown) => {
          if (current() && restarts === this.#log.restarts) this.error = toErrorInfo(e);
        },
      );
    }, this.#opts.detailDelayMs);
  }

  dispose(): void {
    this.#details.drop();
    this.stopReplay();
    if (this.#detailTimer !== null) clearTimeout(this.#detailTimer);
    this.#detailTimer = null;
  }

  #pinAt(k: number): void {
    this.#pin = { k, restarts: this.#log.restarts };
  }

  #replayRate(): number {
    return this.speed ?? Math.max(60, this.last / REPLAY_MAX_SECONDS);
  }
}
