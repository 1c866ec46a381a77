// What the plots draw: one value per step for U, P, I, T, the accept rate, the labeled count,
// the label balance (share True) and accuracy against gold, computed once per step from the
// run's log (run-log.svelte.ts, whose one array of steps it reads). Point 0 is the state after
// the seed labels; point k the state after step k. Every figure the run screen shows, live or at
// a step picked, is read from here. Values live in growing typed arrays, so thousands of steps
// cost a few hundred kilobytes and a redraw reads them without allocating.

import { temperature } from '../icm/annealing';
import type { ICMConfig } from '../icm/config';
import type { Labels } from '../icm/problem';
import type { InitEvent, Score, StepEvent } from '../icm/search';
import { LabelTimeline } from './label-timeline';

export const SERIES = ['U', 'P', 'I', 'T', 'accept', 'labeled', 'balance', 'accuracy'] as const;
export type SeriesKey = (typeof SERIES)[number];

export const ACCEPT_WINDOW = 50; // proposals that changed a label, for the rolling accept rate

/** The run as it stood after one step: what the figures show when replaying. */
export interface StateAt extends Score {
  iteration: number;
  labeled: number;
  trues: number; // labeled True
  accuracy: number | null; // evaluation only; null without gold
  T: number; // the temperature the next step uses
  n: number; // what the schedule counts for that temperature (accepted moves or iterations)
  accepted: number; // accepted moves so far
  proposals: number; // proposals that changed a label so far
  acceptRate: number; // accepted / proposals (0 before any)
  tokens: number; // tokens read so far, seed labels included
}

/** The figures of a run before its first step. */
export const startState = (config: ICMConfig): StateAt => ({
  iteration: 0, U: 0, P: 0, I: 0, labeled: 0, trues: 0, accuracy: null, T: temperature(config, { iteration: 0, accepted: 0 }),
  n: 0, accepted: 0, proposals: 0, acceptRate: 0, tokens: 0,
});

export class StepSeries {
  readonly init: InitEvent;
  readonly poolSize: number;
  readonly hasGold: boolean;
  readonly #config: ICMConfig; // for the temperature schedule
  readonly #timeline: LabelTimeline;
  readonly #steps: readonly StepEvent[]; // the log's
  #values: Record<SeriesKey, Float64Array>;
  #trues = new Uint32Array(0);
  #accepted = new Uint32Array(0); // cumulative, per point
  #proposals = new Uint32Array(0);
  #tokens = new Float64Array(0);
  #window: boolean[] = []; // the last ACCEPT_WINDOW proposals' outcomes
  #count = 0;

  /** `steps` is the log's own array: the series takes what is appended to it with take(). */
  constructor(init: InitEvent, poolSize: number, gold: (boolean | null)[], config: ICMConfig, steps: readonly StepEvent[]) {
    this.init = init;
    this.poolSize = poolSize;
    this.hasGold = gold.some((g) => g !== null);
    this.#config = config;
    this.#steps = steps;
    this.#timeline = new LabelTimeline(poolSize, init, gold, steps);
    this.#values = Object.fromEntries(SERIES.map((k) => [k, new Float64Array(0)])) as Record<SeriesKey, Float64Array>;
    this.#grow(256);
    this.#record(init.score, temperature(config, { iteration: 0, accepted: 0 }), NaN, 0, 0, init.tokens);
    this.take();
  }

  /** Points: steps + 1. */
  get count(): number {
    return this.#count;
  }

  /** The newest step in the series (0 before any). */
  get last(): number {
    return this.#count - 1;
  }

  /** A series' values, point k at index k (NaN where it has none: accuracy without gold, accept before any proposal). */
  values(key: SeriesKey): Float64Array {
    return this.#values[key].subarray(0, this.#count);
  }

  /** Step k of the log (1-based), or undefined. */
  step(k: number): StepEvent | undefined {
    return k >= 1 && k <= this.last ? this.#steps[k - 1] : undefined;
  }

  /** Computes the points of the steps appended to the log since the last call. */
  take(): void {
    for (let s = this.#timeline.next(); s !== undefined; s = this.#timeline.next()) this.#append(s);
  }

  labelsAfter(k: number): Labels {
    return this.#timeline.after(k);
  }

  /** Accepted moves before step k (what the 'accepted' schedule counts for step k's T). */
  acceptedBefore(k: number): number {
    return k <= 1 ? 0 : this.#accepted[Math.min(k - 1, this.last)];
  }

  stateAfter(k: number): StateAt {
    const i = Math.max(0, Math.min(k, this.last));
    const v = (key: SeriesKey) => this.#values[key][i];
    const accepted = this.#accepted[i];
    const proposals = this.#proposals[i];
    const progress = { iteration: i, accepted };
    const accuracy = v('accuracy');
    return {
      iteration: i,
      U: v('U'),
      P: v('P'),
      I: v('I'),
      labeled: v('labeled'),
      trues: this.#trues[i],
      accuracy: Number.isNaN(accuracy) ? null : accuracy,
      T: temperature(this.#config, progress),
      n: this.#config.schedule === 'accepted' ? accepted : i,
      accepted,
      proposals,
      acceptRate: proposals === 0 ? 0 : accepted / proposals,
      tokens: this.#tokens[i],
    };
  }

  #append(s: StepEvent): void {
    const prev = this.#count - 1;
    const accepted = this.#accepted[prev] + (s.accepted ? 1 : 0);
    const proposals = this.#proposals[prev] + (s.changed ? 1 : 0);
    if (s.changed) {
      this.#window.push(s.accepted);
      if (this.#window.length > ACCEPT_WINDOW) this.#window.shift();
    }
    const rate = this.#window.length === 0 ? NaN : this.#window.filter(Boolean).length / this.#window.length;
    this.#record(s.accepted ? s.after : s.before, s.T, rate, accepted, proposals, this.#tokens[prev] + s.tokens);
  }

  #record(score: Score, T: number, rate: number, accepted: number, proposals: number, tokens: number): void {
    if (this.#count === this.#accepted.length) this.#grow(this.#count * 2);
    const i = this.#count++;
    const t = this.#timeline;
    const row: Record<SeriesKey, number> = {
      U: score.U,
      P: score.P,
      I: score.I,
      T,
      accept: rate,
      labeled: t.labeled,
      balance: t.labeled === 0 ? NaN : t.trues / t.labeled,
      accuracy: this.hasGold && t.withGold > 0 ? t.correct / t.withGold : NaN,
    };
    for (const key of SERIES) this.#values[key][i] = row[key];
    this.#trues[i] = t.trues;
    this.#accepted[i] = accepted;
    this.#proposals[i] = proposals;
    this.#tokens[i] = tokens;
  }

  #grow(size: number): void {
    const grown = <A extends Float64Array | Uint32Array>(a: A, make: (n: number) => A): A => {
      const b = make(size);
      b.set(a);
      return b;
    };
    for (const key of SERIES) this.#values[key] = grown(this.#values[key], (n) => new Float64Array(n));
    this.#trues = grown(this.#trues, (n) => new Uint32Array(n));
    this.#accepted = grown(this.#accepted, (n) => new Uint32Array(n));
    this.#proposals = grown(this.#proposals, (n) => new Uint32Array(n));
    this.#tokens = grown(this.#tokens, (n) => new Float64Array(n));
  }
}
