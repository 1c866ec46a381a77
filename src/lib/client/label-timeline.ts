// The labeling D at every step of a run, rebuilt from its log without the model (replay.ts's
// rules). Steps are fed in order as the log grows; the labeling after any step is found from
// the nearest checkpoint, so moving through a long run never replays it from the start.
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
  #steps: StepEvent[] = [];
  labeled = 0; // after the newest step
  trues = 0; // of those, labeled True
  withGold = 0; // labeled items that have a gold label
  correct = 0; // of those, labeled as gold says

  constructor(poolSize: number, init: InitEvent, gold: (boolean | null)[]) {
    this.gold = gold;
    this.#current = initialLabels(poolSize, init);
    this.#checkpoints.push(this.#current);
    this.#current.forEach((_, i) => this.#count(i, 1));
  }

  get iteration(): number {
    return this.#steps.length;
  }

  /** Feeds the next step of the log (iteration = this.iteration + 1). */
  push(step: StepEvent): void {
    if (step.accepted) {
      // applyStep returns a fresh array, so earlier checkpoints stay as they were
      const touched = [step.item, ...step.fixes.flatMap((f) => f.items)];
      for (const i of new Set(touched)) this.#count(i, -1);
      this.#current = applyStep(this.#current, step);
      for (const i of new Set(touched)) this.#count(i, 1);
    }
    this.#steps.push(step);
    if (this.#steps.length % CHECKPOINT_EVERY === 0) this.#checkpoints.push(this.#current);
  }

  /** The labeling after step `k` (0: after the seed labels and their ConsistencyFix). */
  after(k: number): Labels {
    const n = Math.max(0, Math.min(k, this.#steps.length));
    if (n === this.#steps.length) return this.#current;
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
