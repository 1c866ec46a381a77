// The one typed configuration of an ICM run (paper §2.3, Algorithm 1), every default
// annotated with the paper's value and the official code's value. The resolved config is
// saved with every run, so (dataset, config, seed) reproduces it exactly.

import type { PlanKind } from './plan';

export type PForm = 'logOdds' | 'logProb';
export type Schedule = 'accepted' | 'iterations';
export type Init = 'random' | 'zeroShot';

export interface ICMConfig {
  alpha: number; // weight of P in U = alpha*P - I. Code: 30 (tuned for pForm 'logOdds'); paper: 30–50
  pForm: PForm; // 'logOdds': code's mean signed log-odds; 'logProb': paper's sum of log P(y_i | x_i, D\i)
  K: number; // seed labels, balanced K/2 True, K/2 False. Paper and code: 8
  init: Init; // seed labels: 'random' (paper, code) or the model's zero-shot predictions (an ablation)
  consistency: boolean; // false: U = α·P alone and no ConsistencyFix (the paper's ablation without I)
  M: number; // ConsistencyFix rounds per proposal. Paper and code: 10
  T0: number; // initial temperature. Paper and code: 10
  Tmin: number; // final temperature. Paper and code: 0.01
  beta: number; // cooling rate in T = T0 / (1 + beta*ln(1+n)). Paper: 0.99; code: 2
  schedule: Schedule; // what n counts: code counts accepted moves, the paper counts iterations
  groupWeight: number; // sampling weight of an unlabeled item whose group has a label. Code: 100
  iterations: number; // search steps (Algorithm 1's loop). Code: 3000 for a batch of 256
  poolSize: number; // items the run labels (the code's batch_size: 256); whole groups are drawn
  plan: PlanKind; // how P is read: 'leaveOneOut' (paper, exact, O(N²) tokens) or 'blocks' (O(B·N))
  blocks: number; // B for plan 'blocks'
  seed: number; // seeds the run's RNG: pool, seed labels, sampling and acceptance draws
}

export const defaultConfig: ICMConfig = {
  alpha: 30,
  pForm: 'logOdds',
  K: 8,
  init: 'random',
  consistency: true,
  M: 10,
  T0: 10,
  Tmin: 0.01,
  beta: 2,
  schedule: 'accepted',
  groupWeight: 100,
  iterations: 1000,
  poolSize: 128,
  plan: 'blocks',
  blocks: 4,
  seed: 1,
};

interface NumberRule {
  min: number;
  max: number;
  integer: boolean;
  label: string;
}

/** Allowed range of every numeric setting; the UI shows the message beside the field. */
export const configRules: { [K in keyof ICMConfig as ICMConfig[K] extends number ? K : never]: NumberRule } = {
  alpha: { min: 0, max: 1000, integer: false, label: 'α' },
  K: { min: 2, max: 64, integer: true, label: 'Seed labels K' },
  M: { min: 0, max: 100, integer: true, label: 'ConsistencyFix rounds M' },
  T0: { min: 0.001, max: 1000, integer: false, label: 'T₀' },
  Tmin: { min: 0.0001, max: 100, integer: false, label: 'T_min' },
  beta: { min: 0, max: 100, integer: false, label: 'β' },
  groupWeight: { min: 1, max: 10000, integer: false, label: 'Group weight' },
  iterations: { min: 1, max: 100000, integer: true, label: 'Iterations' },
  poolSize: { min: 2, max: 5000, integer: true, label: 'Pool size' },
  blocks: { min: 1, max: 256, integer: true, label: 'Blocks B' },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true, label: 'Seed' },
};

export type ConfigErrors = Partial<Record<keyof ICMConfig, string>>;

/** Every out-of-range field with a message a person can act on; empty when the config is valid. */
export function validateConfig(config: ICMConfig): ConfigErrors {
  const errors: ConfigErrors = {};
  for (const [field, rule] of Object.entries(configRules) as [keyof typeof configRules, NumberRule][]) {
    const v = config[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) errors[field] = `${rule.label} must be a number.`;
    else if (rule.integer && !Number.isInteger(v)) errors[field] = `${rule.label} must be a whole number.`;
    else if (v < rule.min || v > rule.max) errors[field] = `${rule.label} must be between ${rule.min} and ${rule.max}.`;
  }
  if (!errors.K && config.K % 2 !== 0) errors.K = 'Seed labels K must be even (half True, half False).';
  if (!errors.Tmin && !errors.T0 && config.Tmin > config.T0) errors.Tmin = 'T_min must not exceed T₀.';
  if (!errors.K && !errors.poolSize && config.K > config.poolSize) errors.K = 'Seed labels K must not exceed the pool size.';
  if (config.pForm !== 'logOdds' && config.pForm !== 'logProb') errors.pForm = 'P must be "logOdds" or "logProb".';
  if (config.init !== 'random' && config.init !== 'zeroShot') errors.init = 'Seed labels must be "random" or "zeroShot".';
  if (typeof config.consistency !== 'boolean') errors.consistency = 'Consistency must be on or off.';
  if (config.plan !== 'leaveOneOut' && config.plan !== 'blocks') errors.plan = 'The scoring plan must be "leaveOneOut" or "blocks".';
  if (config.schedule !== 'accepted' && config.schedule !== 'iterations') errors.schedule = 'Schedule must count "accepted" moves or "iterations".';
  return errors;
}
