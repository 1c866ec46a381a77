// The set-up form's state: the chosen task, the simulated model's parameters and the search
// settings, starting from the paper's defaults. Errors are checked as the user types
// (the same validators the worker runs); the worker's own refusals are shown too, for as
// long as the values they were about are unchanged.

import { defaultConfig, validateConfig, type ICMConfig } from '../../lib/icm/config';
import { defaultSimulatedParams, validateSimulatedParams, type ModelSpec, type SimulatedParams } from '../../lib/model/params';
import type { FieldErrors } from '../../lib/client/app.svelte';

interface Refusal {
  snapshot: string; // the draft the worker refused
  errors: FieldErrors;
}

export class SetupDraft {
  datasetId = $state('');
  config = $state<ICMConfig>({ ...defaultConfig });
  params = $state<SimulatedParams>({ ...defaultSimulatedParams });
  #refusal = $state.raw<Refusal | null>(null);

  #snapshot = $derived(JSON.stringify([this.datasetId, this.config, this.params]));

  /** Every field's message, keyed by field name (config fields, model fields, or 'datasetId'). */
  errors = $derived.by((): FieldErrors => {
    const refused = this.#refusal?.snapshot === this.#snapshot ? this.#refusal.errors : {};
    const own: FieldErrors = { ...validateConfig(this.config), ...validateSimulatedParams(this.params) };
    if (!this.datasetId) own.datasetId = 'Choose a task.';
    return { ...refused, ...own };
  });

  valid = $derived(Object.keys(this.errors).length === 0);

  get model(): ModelSpec {
    return { kind: 'simulated', params: { ...this.params } };
  }

  /** Plain copies, so nothing reactive crosses into the worker message. */
  get plainConfig(): ICMConfig {
    return { ...this.config };
  }

  /** Keeps the worker's refusal on screen until one of the refused values changes. */
  refuse(errors: FieldErrors): void {
    this.#refusal = { snapshot: this.#snapshot, errors };
  }

  restoreDefaults(): void {
    this.config = { ...defaultConfig };
    this.params = { ...defaultSimulatedParams };
  }
}
