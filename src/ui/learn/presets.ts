// Presets: run set-ups that show ICM's known behaviours with the simulated model. Each is a
// full set of shared settings (the URL table's), so a preset is also a link. What each one
// shows is pinned by presets.test.ts, so the lesson texts (lessons.ts) stay true.

import type { ICMConfig } from '../../lib/icm/config';
import type { SimulatedParams } from '../../lib/model/params';
import { defaultSettings, type SharedSettings } from '../../lib/url/settings';

export type PresetId = 'truth' | 'noConsistency' | 'zeroShot' | 'nonSalient';

export interface Preset {
  id: PresetId;
  title: string;
  summary: string; // one line: what the run shows
}

export const presets: Preset[] = [
  { id: 'truth', title: 'Truth found', summary: 'The defaults: ICM finds labels close to the truth with no labels at all.' },
  { id: 'noConsistency', title: 'Without consistency rules', summary: 'U = α·P alone: coherent to the model, contradictory, and wrong.' },
  { id: 'zeroShot', title: 'Random vs zero-shot initialisation', summary: 'Seed labels from the model’s zero-shot guesses instead of coin flips.' },
  { id: 'nonSalient', title: 'A non-salient concept: ICM fails', summary: 'The model sees response length before quality: ICM labels by length.' },
];

/** The settings of a preset; `seed` keeps the seed a person chose, so runs compare like for like. */
export function presetSettings(id: PresetId, seed = 1): SharedSettings {
  const s = defaultSettings();
  s.config.seed = seed;
  switch (id) {
    case 'truth':
      return s;
    case 'noConsistency':
      return { ...s, config: { ...s.config, consistency: false } };
    case 'zeroShot':
      return { ...s, config: { ...s.config, init: 'zeroShot' } };
    case 'nonSalient':
      return { ...s, task: 'builtin-comparison', params: { ...s.params, salience: 'spurious' } };
  }
}

/** The preset a set-up is (besides its seed), or null when it is none of them. */
export function presetOf(task: string, config: ICMConfig, params: SimulatedParams | null): PresetId | null {
  const same = <T extends object>(a: T, b: T) => (Object.keys(a) as (keyof T)[]).every((k) => a[k] === b[k]);
  for (const p of presets) {
    const s = presetSettings(p.id, config.seed);
    if (s.task === task && same(s.config, config) && (params === null ? s.params.salience === 'truth' : same(s.params, params))) return p.id;
  }
  return null;
}

/** The preset whose lesson fits a run, set up by hand or not: the one ablation it makes, if any. */
export function lessonPresetOf(config: ICMConfig, params: SimulatedParams | null): PresetId {
  if (params?.salience === 'spurious') return 'nonSalient';
  if (!config.consistency) return 'noConsistency';
  if (config.init === 'zeroShot') return 'zeroShot';
  return 'truth';
}
