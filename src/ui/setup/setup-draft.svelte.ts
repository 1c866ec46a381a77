// The set-up form's state: the chosen task, the model (the simulated one with its parameters,
// or a web-llm language model with its read mode) and the search settings, starting from the
// paper's defaults. Errors are checked as the user types (the same validators the worker
// runs); the worker's own refusals are shown too, for as long as the values they were about
// are unchanged.

import { defaultConfig, validateConfig, type ICMConfig } from '../../lib/icm/config';
import {
  defaultSimulatedParams,
  validateSimulatedParams,
  type ModelSpec,
  type SimulatedParams,
  type WebLLMReadMode,
} from '../../lib/model/params';
import type { FieldErrors } from '../../lib/client/app.svelte';

export type ModelKind = ModelSpec['kind'];

interface Refusal {
  snapshot: string; // the draft the worker refused
  errors: FieldErrors;
}

export class SetupDraft {
  datasetId = $state('');
  config = $state<ICMConfig>({ ...defaultConfig });
  modelKind = $state<ModelKind>('simulated');
  params = $state<SimulatedParams>({ ...defaultSimulatedParams });
  modelId = $state(''); // the web-llm model picked
  mode = $state<WebLLMReadMode>('logits');
  #refusal = $state.raw<Refusal | null>(null);
  #loadedId: () => string | null;

  /** `loadedId` names the language model loaded in the worker (a run needs it loaded first). */
  constructor(loadedId: () => string | null = () => null) {
    this.#loadedId = loadedId;
  }

  #snapshot = $derived(JSON.stringify([this.datasetId, this.config, this.model]));

  /** Every field's message, keyed by field name (config fields, model fields, 'datasetId' or 'languageModel'). */
  errors = $derived.by((): FieldErrors => {
    const refused = this.#refusal?.snapshot === this.#snapshot ? this.#refusal.errors : {};
    const own: FieldErrors = { ...validateConfig(this.config) };
    if (this.modelKind === 'simulated') Object.assign(own, validateSimulatedParams(this.params));
    else if (!this.modelId) own.languageModel = 'Pick a language model, or choose the Simulated model.';
    else if (this.#loadedId() !== this.modelId) own.languageModel = 'Load the language model first (Download and load), or choose the Simulated model.';
    if (!this.datasetId) own.datasetId = 'Choose a task.';
    return { ...refused, ...own };
  });

  valid = $derived(Object.keys(this.errors).length === 0);

  get model(): ModelSpec {
    return this.modelKind === 'simulated'
      ? { kind: 'simulated', params: { ...this.params } }
      : { kind: 'webllm', modelId: this.modelId, mode: this.mode };
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
    this.mode = 'logits';
  }
}
