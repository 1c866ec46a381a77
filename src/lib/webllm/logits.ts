// Reading exact label log-probabilities from web-llm's full next-token logits. A LogitProcessor
// registered with the engine before reload() sees the raw logits of the last position on the CPU
// after every forward (in 0.2.86 before logit_bias, penalties and temperature), and returns them
// unchanged, so sampling is not disturbed; this one keeps log-softmax values of a few tokens.

import type { LogitProcessor } from '@mlc-ai/web-llm';

/** log-softmax over the whole vocabulary at `ids`, in nats, computed in float64. */
export function logSoftmaxAt(logits: ArrayLike<number>, ids: number[]): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max);
  const lse = max + Math.log(sum);
  return ids.map((id) => {
    if (id < 0 || id >= logits.length) throw new Error(`Token ${id} is outside the model's vocabulary of ${logits.length}.`);
    return logits[id] - lse;
  });
}

/** What the backend reads after each forward. */
export interface LogitReadout {
  watch(ids: number[]): void;
  /** log P of the watched ids after the latest forward, or null if none ran since the last take(). */
  take(): number[] | null;
}

export class LogitCapture implements LogitProcessor, LogitReadout {
  private ids: number[] = [];
  private latest: number[] | null = null;
  forwards = 0; // forwards seen since the last reset

  watch(ids: number[]): void {
    this.ids = [...ids];
  }

  take(): number[] | null {
    const v = this.latest;
    this.latest = null;
    return v;
  }

  processLogits = (logits: Float32Array): Float32Array => {
    this.forwards++;
    if (this.ids.length > 0) this.latest = logSoftmaxAt(logits, this.ids);
    return logits;
  };

  processSampledToken = (_token: number): void => {};

  resetState = (): void => {
    this.latest = null;
    this.forwards = 0;
  };
}
