// The run's speed figures: time inside the model, and the means over the last steps.

import type { LabelModel, Segment, SequenceReads } from '../../src/lib/icm/model';
import type { RunSpeed } from '../../src/lib/protocol';

/** A model that also measures the time spent reading (total seconds inside readSequence) and the
 *  tokens it computed (SequenceReads.computed summed: fewer than read where a prefix cache reuses them),
 *  and counts the sequences whose computed tokens it could not tell (SequenceReads.computedUnknown). */
export type Timed<M extends LabelModel> = M & { seconds(): number; computed(): number; computedUnknown(): number };

export function timed<M extends LabelModel>(model: M, now: () => number = () => performance.now()): Timed<M> {
  let seconds = 0;
  let computed = 0;
  let unknown = 0;
  return {
    ...model,
    async readSequence(segments: Segment[]): Promise<SequenceReads> {
      const t0 = now();
      try {
        const out = await model.readSequence(segments);
        computed += out.computed;
        if (out.computedUnknown) unknown++;
        return out;
      } finally {
        seconds += (now() - t0) / 1000;
      }
    },
    seconds: () => seconds,
    computed: () => computed,
    computedUnknown: () => unknown,
  };
}

const SPEED_WINDOW = 20; // steps the speed figures average over

interface StepTiming {
  ms: number;
  tokens: number;
  computed: number | null; // of tokens, those the model computed; null when it could not tell
  evaluations: number;
  modelSeconds: number;
}

/** The last steps' timings, and the figures the run screen shows from them. */
export class SpeedMeter {
  private recent: StepTiming[] = [];

  add(t: StepTiming): void {
    this.recent = [...this.recent.slice(1 - SPEED_WINDOW), t];
  }

  figures(warnings: string[]): RunSpeed | null {
    const recent = this.recent;
    if (recent.length === 0) return null;
    const sum = (f: (r: StepTiming) => number) => recent.reduce((a, r) => a + f(r), 0);
    const seconds = sum((r) => r.modelSeconds);
    const evaluations = sum((r) => r.evaluations);
    const tokens = sum((r) => r.tokens);
    // one step whose computed tokens are unknown makes the window's unknown: a mean of the others would mislead
    const computed = recent.some((r) => r.computed === null) ? null : sum((r) => r.computed ?? 0);
    return {
      msPerStep: sum((r) => r.ms) / recent.length,
      tokensPerStep: tokens / recent.length,
      tokensPerEvaluation: evaluations > 0 ? tokens / evaluations : null,
      // the model's work is the tokens it computed (all it read, without a prefix cache)
      prefillTokensPerSecond: seconds > 0 && computed !== null ? computed / seconds : null,
      computedPerStep: computed === null ? null : computed / recent.length,
      warnings,
    };
  }
}
