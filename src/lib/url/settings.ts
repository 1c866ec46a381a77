// Shareable runs (TensorFlow Playground's habit): the task, the model and every search setting,
// seed included, live in the URL as one typed table of {key, codec, default}; the search
// settings' rows come from the settings table (src/lib/icm/config.ts). Only values that
// differ from the defaults are written, so links stay short; anyone who opens the link gets the
// same set-up, and so the same run (a run is reproducible from dataset, settings and seed).

import { defaultConfig, settingKeys, settings, type AnySetting, type ICMConfig } from '../icm/config';
import { defaultSimulatedParams, type SimulatedParams } from '../model/params';

export interface SharedSettings {
  task: string; // dataset id
  config: ICMConfig;
  params: SimulatedParams; // the simulated model's (a language model is chosen on the page)
}

interface Codec<T> {
  parse(text: string): T | undefined;
  show(value: T): string;
}

const number: Codec<number> = {
  parse: (t) => (t.trim() !== '' && Number.isFinite(Number(t)) ? Number(t) : undefined),
  show: (v) => String(v),
};
const oneOf = <T extends string>(...values: T[]): Codec<T> => ({
  parse: (t) => values.find((v) => v === t),
  show: (v) => v,
});
const text: Codec<string> = { parse: (t) => (t === '' ? undefined : t), show: (v) => v };

interface Property<T> {
  key: string;
  codec: Codec<T>;
  get(s: SharedSettings): T;
  set(s: SharedSettings, v: T): void;
  default: T;
}

const prop = <T>(p: Property<T>): Property<unknown> => p as Property<unknown>;
const onOff: Codec<boolean> = { parse: (t) => (t === 'on' ? true : t === 'off' ? false : undefined), show: (v) => (v ? 'on' : 'off') };

/** A setting's codec, from its row of the settings table. */
function codecOf(s: AnySetting): Codec<unknown> {
  switch (s.kind) {
    case 'number':
      return number;
    case 'switch':
      return onOff;
    case 'choice':
      return oneOf(...s.options.map((o) => o.value));
  }
}

const configProp = (key: keyof ICMConfig): Property<unknown> => ({
  key,
  codec: codecOf(settings[key]),
  default: defaultConfig[key],
  get: (s) => s.config[key],
  set: (s, v) => Object.assign(s.config, { [key]: v }), // the codec of this key's row made v
});
const paramProp = <K extends keyof SimulatedParams>(key: K, codec: Codec<SimulatedParams[K]>) =>
  prop<SimulatedParams[K]>({ key, codec, default: defaultSimulatedParams[key], get: (s) => s.params[key], set: (s, v) => (s.params[key] = v) });

export const properties: Property<unknown>[] = [
  prop<string>({ key: 'task', codec: text, default: 'builtin-math', get: (s) => s.task, set: (s, v) => (s.task = v) }),
  ...settingKeys.map(configProp),
  paramProp('knowledge', number),
  paramProp('confidence', number),
  paramProp('bias', number),
  paramProp('salience', oneOf('truth', 'spurious')),
];

export const defaultSettings = (): SharedSettings => ({ task: 'builtin-math', config: { ...defaultConfig }, params: { ...defaultSimulatedParams } });

/** The query string for these settings: only what differs from the defaults. */
export function encodeSettings(s: SharedSettings): string {
  const q = new URLSearchParams();
  for (const p of properties) {
    const v = p.get(s);
    if (v !== p.default) q.set(p.key, p.codec.show(v));
  }
  return q.toString();
}

/** Settings from a query string; unknown keys are ignored, unreadable values named in `errors`. */
export function decodeSettings(query: string): { settings: SharedSettings; errors: string[]; present: boolean } {
  const q = new URLSearchParams(query);
  const settings = defaultSettings();
  const errors: string[] = [];
  let present = false;
  for (const p of properties) {
    const raw = q.get(p.key);
    if (raw === null) continue;
    present = true;
    const v = p.codec.parse(raw);
    if (v === undefined) errors.push(`The link's "${p.key}=${raw}" is not a valid value; the default is used instead.`);
    else p.set(settings, v);
  }
  return { settings, errors, present };
}
