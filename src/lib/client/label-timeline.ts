// The labeling D at every step of a run, rebuilt from its log without the model (replay.ts's
// rules). It reads the run log's own array of steps (it keeps no copy) and is told of each new
// one in order; the labeling after any step is found from the nearest checkpoint, so moving
// through a long run never replays it from the start.
// Also counts what the plots need after each step: labeled items and, where the items have
// gold, how many of them are right (evaluation only: the search never reads gold).

import { applyStep, initialLabels } from '../icm/replay';
import type { Labels } from '../icm/problem';
import type { InitEvent, StepEvent } from '../icm/search';

const CHECKPOINT_EVERY = 128; // steps between kept labelings: at most that many applied per look-up

export class LabelTimeline {
  readonly gold: (boolean | null)[];
  #current: Labels;
  #checkpoints: Labels[] = []; // #checkpoints[c] = labels after step c·CHECKPOINT_EVERY
  readonly #steps: readonly StepEvent[]; // the log's steps; those after `iteration` are not taken yet
  #taken = 0;
  labeled = 0; // after the newest step
  trues = 0; // of those, labeled True
  withGold = 0; // labeled items that have a gold label
  correct = 0; // of those, labeled as gold says

  constructor(poolSize: number, init: InitEvent, gold: (boolean | null)[], steps: readonly StepEvent[]) {
    this.gold = gold;
    this.#steps = steps;
    this.#current = initialLabels(poolSize, init);
    this.#checkpoints.push(this.#current);
    this.#current.forEach((_, i) => this.#count(i, 1));
  }

  get iteration(): number {
    return this.#taken;
  }

  /** Takes the log's next step (steps[iteration]) and returns it; undefined when there is none. */
  next(): StepEvent | undefined {
    const step = this.#steps[this.#taken];
    if (step === undefined) return undefined;
    if (step.accepted) {
      // applyStep returns a fresh array, so earlier checkpoints stay as they were
      const touched = [step.item, ...step.fixes.flatMap((f) => f.items)];
      for (const i of new Set(touched)) this.#count(i, -1);
      this.#current = applyStep(this.#current, step);
      for (const i of new Set(touched)) this.#count(i, 1);
    }
    this.#taken++;
    if (this.#taken % CHECKPOINT_EVERY === 0) this.#checkpoints.push(this.#current);
    return step;
  }

  /** The labeling after step `k` (0: after the seed labels and their ConsistencyFix). */
  after(k: number): Labels {
    const n = Math.max(0, Math.min(k, this.#taken));
    if (n === this.#taken) return this.#current;
    const c = Math.floor(n / CHECKPOINT_EVERY);
    let labels = this.#checkpoints[c];
    for (let s = c * CHECKPOINT_EVERY; s < n; s++) labels = applyStep(labels, this.#steps[s]);
    return labels;
  }

  #count(i: number, sign: 1 | -1): void {
    const label = this.#current[i];
    if (label === null) return;
    this.labeled += sign;
    if (label) this.trues += sign;
    const gold = this.gold[i] ?? null;
    if (gold === null) return;
    this.withGold += sign;
    if (gold === label) this.correct += sign;
  }
}
