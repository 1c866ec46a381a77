// The one typed configuration of an ICM run (paper §2.3, Algorithm 1). Every setting is one row
// of `settings`: its default, its rule or options, its label, and the paper's and the official
// code's values; the defaults, the validation, the URL codec (src/lib/url/settings.ts) and the
// settings form (src/ui/setup/SearchSettings.svelte) all derive from it. The resolved config is
// saved with every run, so (dataset, config, seed) reproduces it exactly.

import type { PlanKind } from './plan';

export type PForm = 'logOdds' | 'logProb';
export type Schedule = 'accepted' | 'iterations';
export type Init = 'random' | 'zeroShot';
export type Proposal = 'argmax' | 'calibrated';

/** What each setting means is in its row of `settings` below. */
export interface ICMConfig {
  alpha: number; // U = alpha*P - I
  pForm: PForm;
  K: number; // seed labels, balanced K/2 True, K/2 False
  init: Init;
  consistency: boolean; // false: U = α·P alone and no ConsistencyFix
  proposal: Proposal; // how a read becomes a proposed label
  balancePrior: number; // λ of the label-balance prior: U = α·P − I − λ·(share True − share False)² (a departure; 0 = the paper)
  M: number;
  T0: number;
  Tmin: number;
  beta: number; // T = T0 / (1 + beta*ln(1+n))
  schedule: Schedule; // what n counts
  groupWeight: number;
  iterations: number;
  poolSize: number; // whole groups are drawn
  plan: PlanKind;
  blocks: number; // B for plans 'blocks' and 'treeBlocks'
  seed: number; // seeds the run's RNG: pool, seed labels, sampling and acceptance draws
}

interface Row<T> {
  default: T;
  label: string;
  hint?: string; // why the knob exists
  paper?: string; // the paper's value, where it states one
  code?: string; // the official code's value, where it differs or the paper states none
}

export interface NumberSetting extends Row<number> {
  kind: 'number';
  min: number;
  max: number;
  integer: boolean;
}

export interface ChoiceSetting<T extends string> extends Row<T> {
  kind: 'choice';
  options: { value: T; text: string }[];
  invalid: string; // the message for a value that is none of the options
}

export interface SwitchSetting extends Row<boolean> {
  kind: 'switch';
  invalid: string; // the message for a value that is neither on nor off
}

export type Setting<T> = [T] extends [number] ? NumberSetting : [T] extends [boolean] ? SwitchSetting : [T] extends [string] ? ChoiceSetting<T> : never;

export type AnySetting = NumberSetting | SwitchSetting | ChoiceSetting<string>;

/** Every setting, in the order links write them. */
export const settings: { [K in keyof ICMConfig]: Setting<ICMConfig[K]> } = {
  seed: { kind: 'number', default: 1, min: 0, max: 2 ** 32 - 1, integer: true, label: 'Seed', hint: 'Same seed, same run' },
  alpha: { kind: 'number', default: 30, min: 0, max: 1000, integer: false, label: 'α', hint: 'Weight of P in U = αP − I', code: '30', paper: '30–50' }, // 30 is tuned for pForm 'logOdds'
  pForm: {
    kind: 'choice',
    default: 'logOdds',
    label: 'Mutual predictability P',
    options: [
      { value: 'logOdds', text: 'Mean signed log-odds (official code)' },
      { value: 'logProb', text: 'Sum of log-probabilities (paper)' },
    ],
    invalid: 'P must be "logOdds" or "logProb".',
  },
  K: { kind: 'number', default: 8, min: 2, max: 64, integer: true, label: 'Seed labels K', hint: 'Random seed labels, half True', paper: '8' },
  init: {
    kind: 'choice',
    default: 'random',
    label: 'Seed labels',
    options: [
      { value: 'random', text: 'Random, half True (paper)' },
      { value: 'zeroShot', text: 'The model’s zero-shot labels (ablation)' },
    ],
    invalid: 'Seed labels must be "random" or "zeroShot".',
  },
  consistency: { kind: 'switch', default: true, label: 'Consistency rules', hint: 'Off: U = α·P alone and no ConsistencyFix (an ablation)', invalid: 'Consistency must be on or off.' },
  // a departure from the paper, off by default: a model that leans one way proposes that label for
  // everything once most labels in context have it; centring its log-odds on the labeled items' mean
  // (as contextual calibration does) lets it propose the other label where it is less sure than usual
  proposal: {
    kind: 'choice',
    default: 'argmax',
    label: 'Proposals',
    options: [
      { value: 'argmax', text: 'The likelier label (paper)' },
      { value: 'calibrated', text: 'Likelier than the labeled items’ average (not in the paper)' },
    ],
    invalid: 'Proposals must be "argmax" or "calibrated".',
  },
  // a departure from the paper, off by default: on data whose answers do not exclude each other the
  // consistency rules cannot stop ICM drifting to one label, and this prior pulls against that drift
  balancePrior: { kind: 'number', default: 0, min: 0, max: 1000, integer: false, label: 'Label-balance prior λ', hint: 'Not in the paper: U − λ·(share True − share False)²; 0 is off. Pulls against labeling everything one way (README: it rarely rescues such a run alone)', paper: '0 (none)' },
  M: { kind: 'number', default: 10, min: 0, max: 100, integer: true, label: 'ConsistencyFix rounds M', hint: 'Repair rounds per proposal', paper: '10' },
  T0: { kind: 'number', default: 10, min: 0.001, max: 1000, integer: false, label: 'T₀', hint: 'Starting temperature', paper: '10' },
  Tmin: { kind: 'number', default: 0.01, min: 0.0001, max: 100, integer: false, label: 'T_min', hint: 'Lowest temperature', paper: '0.01' },
  beta: { kind: 'number', default: 2, min: 0, max: 100, integer: false, label: 'β', hint: 'Cooling rate', code: '2', paper: '0.99' },
  schedule: {
    kind: 'choice',
    default: 'accepted',
    label: 'Cooling counts',
    options: [
      { value: 'accepted', text: 'Accepted moves (official code)' },
      { value: 'iterations', text: 'Iterations (paper)' },
    ],
    invalid: 'Schedule must count "accepted" moves or "iterations".',
  },
  groupWeight: { kind: 'number', default: 100, min: 1, max: 10000, integer: false, label: 'Group weight', hint: 'Pick weight of unlabeled items in labeled groups', code: '100' },
  iterations: { kind: 'number', default: 1000, min: 1, max: 100000, integer: true, label: 'Iterations', hint: 'Search steps' }, // code: 3000 for a batch of 256
  poolSize: { kind: 'number', default: 128, min: 2, max: 5000, integer: true, label: 'Pool size', hint: 'Items to label (whole groups)', code: '256' },
  plan: {
    kind: 'choice',
    default: 'blocks',
    label: 'Scoring plan',
    options: [
      { value: 'blocks', text: 'Blocks (B sequences)' },
      { value: 'leaveOneOut', text: 'Leave-one-out (paper)' },
      // for a model with a prefix cache: the same reads, ordered so consecutive prompts share the most (plan.ts)
      { value: 'treeBlocks', text: 'Blocks through a prefix tree (for a prefix cache)' },
      { value: 'tree', text: 'Leave-one-out through a prefix tree (exact, for a prefix cache)' },
    ],
    invalid: 'The scoring plan must be "leaveOneOut", "blocks", "tree" or "treeBlocks".',
  },
  blocks: { kind: 'number', default: 4, min: 1, max: 256, integer: true, label: 'Blocks B', hint: 'Sequences per evaluation of U' }, // plans 'blocks' and 'treeBlocks'
};

export type SettingKey = keyof ICMConfig;
export const settingKeys = Object.keys(settings) as SettingKey[];

function defaults(): ICMConfig {
  const out: Partial<Record<SettingKey, unknown>> = {};
  for (const key of settingKeys) out[key] = settings[key].default;
  return out as ICMConfig; // every key of the table is set above
}

export const defaultConfig: ICMConfig = defaults();

/**
 * The scoring plan a run defaults to on a backend. One with a prefix cache (llama.cpp, a server
 * that caches) computes only where a prompt leaves the previous one, so it reads blocks through the
 * prefix tree; one without (web-llm resets its KV cache per sequence, the simulated model) keeps the
 * flat blocks plan. B = 2 there: with the cache a full run computes about a third of the tokens the
 * flat plan (B = 4) reads, within a point of its accuracy (npm run bench, plans.<task>.prefixDefault.…).
 */
export function planFor(backend: { prefixCache: boolean }): Pick<ICMConfig, 'plan' | 'blocks'> {
  return backend.prefixCache ? { plan: 'treeBlocks', blocks: 2 } : { plan: defaultConfig.plan, blocks: defaultConfig.blocks };
}

/** "Weight of P in U = αP − I. Code 30, paper 30–50": a row's hint with its paper and code values. */
export function settingHint(s: Row<unknown>): string {
  const values = [s.code && `code ${s.code}`, s.paper && `paper ${s.paper}`].filter(Boolean).join(', ');
  const tail = values && values[0].toUpperCase() + values.slice(1);
  return [s.hint, tail].filter(Boolean).join('. ');
}

export type ConfigErrors = Partial<Record<keyof ICMConfig, string>>;

/** The message for a value outside a setting's rule or options; null when it is allowed. */
function settingError(s: AnySetting, v: unknown): string | null {
  switch (s.kind) {
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${s.label} must be a number.`;
      if (s.integer && !Number.isInteger(v)) return `${s.label} must be a whole number.`;
      return v < s.min || v > s.max ? `${s.label} must be between ${s.min} and ${s.max}.` : null;
    case 'choice':
      return s.options.some((o) => o.value === v) ? null : s.invalid;
    case 'switch':
      return typeof v === 'boolean' ? null : s.invalid;
  }
}

/** Every invalid field with a message a person can act on; empty when the config is valid. */
export function validateConfig(config: ICMConfig): ConfigErrors {
  const errors: ConfigErrors = {};
  for (const key of settingKeys) {
    const e = settingError(settings[key], config[key]);
    if (e) errors[key] = e;
  }
  if (!errors.K && config.K % 2 !== 0) errors.K = 'Seed labels K must be even (half True, half False).';
  if (!errors.Tmin && !errors.T0 && config.Tmin > config.T0) errors.Tmin = 'T_min must not exceed T₀.';
  if (!errors.K && !errors.poolSize && config.K > config.poolSize) errors.K = 'Seed labels K must not exceed the pool size.';
  return errors;
}
