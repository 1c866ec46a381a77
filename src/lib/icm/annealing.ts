// Simulated annealing (paper §2.3, Algorithm 1 lines 9–12).
//   T = max(Tmin, T0 / (1 + β·ln(1 + n)))
// The official code counts n as accepted moves with β = 2; the paper counts iterations
// with β = 0.99. config.schedule picks which.
//   accept D̂ with probability min(1, exp(ΔU / T))

import type { ICMConfig } from './config';

export interface Progress {
  iteration: number;
  accepted: number;
}

export function temperature(config: ICMConfig, progress: Progress): number {
  const n = config.schedule === 'accepted' ? progress.accepted : progress.iteration;
  return Math.max(config.Tmin, config.T0 / (1 + config.beta * Math.log(1 + n)));
}

export const acceptanceProbability = (deltaU: number, T: number): number => Math.min(1, Math.exp(deltaU / T));
