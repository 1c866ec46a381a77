// The page's copy of one run's step log, fed only by the worker's pushed RunUpdates: the
// opened run's whole log first, then every new step once, in order. The figures, plots,
// inspector and recent steps all read it.

import type { InitEvent, StepEvent } from '../icm/search';
import type { LabelsView, RunSummary, RunUpdate } from '../protocol';

export const RECENT_STEPS = 12; // the recent steps list

export class RunLog {
  readonly runId: string;
  run: RunSummary | null = null; // the newest summary (status, figures); null before the first update
  labels: LabelsView = { labels: [], confidence: [] };
  init: InitEvent | null = null; // null before the run's first step
  steps: StepEvent[] = []; // steps[k - 1] is step k
  restarts = 0; // bumped whenever the log starts over (opened, reset): readers start over too
  version = $state(0); // bumped on every change

  constructor(runId: string) {
    this.runId = runId;
  }

  get last(): number {
    return this.steps.length;
  }

  apply(update: RunUpdate): void {
    this.run = update.run;
    this.labels = update.labels;
    if (update.restart && !this.#continues(update.restart.init, update.steps)) {
      this.init = update.restart.init;
      this.steps = [];
      this.restarts++;
    }
    // pushes never repeat or skip a step; the check keeps the log contiguous whatever comes
    for (const s of update.steps) if (s.iteration === this.steps.length + 1) this.steps.push(s);
    this.version++;
  }

  /** A whole log pushed again (the run reopened) that holds this one: nothing starts over. */
  #continues(init: InitEvent | null, steps: StepEvent[]): boolean {
    if (init === null || this.init === null || JSON.stringify(init) !== JSON.stringify(this.init)) return false;
    const k = this.steps.length;
    return k === 0 || (steps.length >= k && JSON.stringify(steps[k - 1]) === JSON.stringify(this.steps[k - 1]));
  }

  /** The newest steps, newest first. */
  recent(n = RECENT_STEPS): StepEvent[] {
    return this.steps.slice(-n).reverse();
  }
}
