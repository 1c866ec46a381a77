// The set-up form's settings of each kind: the Settings.svelte of each backend folder, for the page
// only (the worker never imports it). The compiler holds the table to every built-in kind, as it
// holds kinds.ts and registry.ts.

import type { Component } from 'svelte';
import type { BuiltinKind, ModelKind } from '../../src/lib/model/params';
import type { SettingsProps } from '../../src/ui/setup/setup-draft.svelte';
import ServerSettings from './server/Settings.svelte';
import SimulatedSettings from './simulated/Settings.svelte';
import WebLLMSettings from './webllm/Settings.svelte';
import WllamaSettings from './wllama/Settings.svelte';

/** A kind's settings on the set-up form; null for a kind no run is created with (its descriptor's refusal). */
export type KindSettings = Component<SettingsProps> | null;

export const kindSettings = {
  simulated: SimulatedSettings,
  webllm: WebLLMSettings,
  wllama: WllamaSettings,
  server: ServerSettings,
  recorded: null,
} satisfies { [K in BuiltinKind]: KindSettings };

/** Settings by kind: the built-in ones, with any a test adds beside them. */
export type SettingsTable = Readonly<Partial<Record<ModelKind, KindSettings>>>;
