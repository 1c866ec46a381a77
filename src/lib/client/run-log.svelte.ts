// The page's copy of one run's step log, fed only by the worker's pushed RunUpdates: the
// opened run's whole log first, then every new step once, in order, in the batches the worker
// pushes. It is the run screen's one source: the figures, the plots, the inspector, the replay
// bar and the recent steps all read it, and every figure is computed once per step here
// (step-series.ts), live or at a step picked. The worker adds only what the log cannot tell
// (RunSummary: status, speed, the constant labelings' scores).

import type { LabelingFigures } from '../eval/degenerate';
import type { ICMConfig } from '../icm/config';
import type { InitEvent, StepEvent } from '../icm/search';
import type { ItemRow, LabelsView, RunSummary, RunUpdate } from '../protocol';
import { startState, StepSeries, type StateAt } from './step-series';

export const RECENT_STEPS = 12; // the recent steps list

export class RunLog {
  readonly runId: string;
  run: RunSummary | null = null; // the newest summary (status, speed); null before the first update
  labels: LabelsView = { labels: [], confidence: [] };
  init: InitEvent | null = null; // null before the run's first step
  steps: StepEvent[] = []; // steps[k - 1] is step k: the page's one copy of them
  series: StepSeries | null = null; // the figures after every step; null before the first step, or before attach()
  restarts = 0; // bumped whenever the log starts over (a reset): readers start over too
  version = $state(0); // bumped on every change: what reads the log reads this first

  #pool: { gold: (boolean | null)[]; config: ICMConfig } | null = null;

  constructor(runId: string) {
    this.runId = runId;
  }

  // the readers below read `version` first, so a reactive reader ($derived, a template) follows the log

  get last(): number {
    void this.version;
    return this.series?.last ?? 0;
  }

  apply(update: RunUpdate): void {
    this.run = update.run;
    this.labels = update.labels;
    if (update.restart && !this.#continues(update.restart.init, update.steps)) {
      this.init = update.restart.init;
      this.steps = [];
      this.series = null;
      this.restarts++;
    }
    // pushes never repeat or skip a step; the check keeps the log contiguous whatever comes
    for (const s of update.steps) if (s.iteration === this.steps.length + 1) this.steps.push(s);
    this.#grow();
    this.version++;
  }

  /** The run's pool (the openRun reply): with its gold labels the figures can be computed. */
  attach(items: ItemRow[], config: ICMConfig): void {
    this.#pool = { gold: items.map((it) => it.gold), config };
    this.series = null;
    this.#grow();
    this.version++;
  }

  /** The figures after step k (clamped to the log); before the first step, the run's start. */
  at(k: number): StateAt {
    void this.version;
    if (this.series) return this.series.stateAfter(k);
    const config = this.#pool?.config ?? this.run?.config;
    if (!config) throw new Error(`The log of run ${this.runId} was read before the worker sent it.`);
    return startState(config);
  }

  /** The labeling after step k as the check for one that says nothing reads it (src/lib/eval/degenerate). */
  labelingAt(k: number): LabelingFigures {
    const { labeled, trues, U } = this.at(k);
    return { labeled, trues, U, pool: this.run?.figures.pool ?? 0, constants: this.run?.figures.constants ?? null };
  }

  /** The newest steps, newest first. */
  recent(n = RECENT_STEPS): StepEvent[] {
    void this.version;
    return this.steps.slice(-n).reverse();
  }

  #grow(): void {
    const pool = this.#pool;
    if (pool === null || this.init === null) return;
    if (this.series === null) this.series = new StepSeries(this.init, pool.gold.length, pool.gold, pool.config, this.steps);
    else this.series.take();
  }

  /** A whole log pushed again (the run reopened) that holds this one: nothing starts over. */
  #continues(init: InitEvent | null, steps: StepEvent[]): boolean {
    if (init === null || this.init === null || JSON.stringify(init) !== JSON.stringify(this.init)) return false;
    const k = this.steps.length;
    return k === 0 || (steps.length >= k && JSON.stringify(steps[k - 1]) === JSON.stringify(this.steps[k - 1]));
  }
}
