// The set-up form's state: the chosen task, the model (the simulated one with its parameters,
// a web-llm language model with its read mode, or your own completions server with its
// connection check) and the search settings, starting from the paper's defaults. Errors are checked as the user types (the same validators the worker
// runs); the worker's own refusals are shown too, for as long as the values they were about
// are unchanged.

import { defaultConfig, planFor, validateConfig, type ICMConfig } from '../../lib/icm/config';
import {
  defaultServerSpec,
  defaultSimulatedParams,
  prefixCacheKinds,
  validateServerSpec,
  validateSimulatedParams,
  type ModelSpec,
  type ServerSpec,
  type SimulatedParams,
  type WebLLMReadMode,
} from '../../lib/model/params';
import type { FieldErrors } from '../../lib/client/app.svelte';
import { ServerConnection } from '../../lib/client/server.svelte';
import { originOf } from '../../lib/server/errors';

export type ModelKind = ModelSpec['kind'];

/** The server fields as the form edits them: every one present, the key '' when there is none. */
export type ServerFields = Required<Omit<ServerSpec, 'kind'>>;

const defaultServerFields = (): ServerFields => ({ ...defaultServerSpec, apiKey: '', timeoutS: defaultServerSpec.timeoutS ?? 120, prompt: defaultServerSpec.prompt ?? 'completion' });

/** Messages about the server that are not a field's: hints until Create run is pressed. */
export const serverHintKeys = ['serverPrivacy', 'serverCheck'] as const;

interface Refusal {
  snapshot: string; // the draft the worker refused
  errors: FieldErrors;
}

export class SetupDraft {
  datasetId = $state('');
  config = $state<ICMConfig>({ ...defaultConfig });
  #modelKind = $state<ModelKind>('simulated');
  params = $state<SimulatedParams>({ ...defaultSimulatedParams });
  modelId = $state(''); // the web-llm model picked
  mode = $state<WebLLMReadMode>('logits');
  gguf = $state({ modelId: '', name: '' }); // the llama.cpp model picked (a built-in one or a file from disk)
  server = $state<ServerFields>(defaultServerFields());
  readonly connection: ServerConnection;
  /** The pool a new run starts with, and why that size (defaultPool): it follows the chosen model
   *  and task for as long as the pool field still shows it. */
  pool = $state.raw<{ size: number; reason: string | null }>({ size: defaultConfig.poolSize, reason: null });
  #refusal = $state.raw<Refusal | null>(null);
  #loadedId: () => string | null;
  #prefixCache: (kind: ModelKind) => boolean;

  /** `loadedId` names the language model loaded in the worker (a run needs it loaded first);
   *  `prefixCache` says which kinds keep a prefix cache (their default plan reads through the prefix tree). */
  constructor(
    loadedId: () => string | null = () => null,
    connection: ServerConnection = new ServerConnection(),
    prefixCache: (kind: ModelKind) => boolean = (kind) => prefixCacheKinds.has(kind),
  ) {
    this.#loadedId = loadedId;
    this.connection = connection;
    this.#prefixCache = prefixCache;
  }

  get modelKind(): ModelKind {
    return this.#modelKind;
  }

  /** Another model: a scoring plan still at the old model's default moves to the new one's; one the person chose stays. */
  set modelKind(kind: ModelKind) {
    const was = planFor({ prefixCache: this.#prefixCache(this.#modelKind) });
    if (this.config.plan === was.plan && this.config.blocks === was.blocks) Object.assign(this.config, planFor({ prefixCache: this.#prefixCache(kind) }));
    this.#modelKind = kind;
  }

  #snapshot = $derived(JSON.stringify([this.datasetId, this.config, this.model]));

  /** Every field's message, keyed by field name (config fields, model fields, 'datasetId' or 'languageModel'). */
  errors = $derived.by((): FieldErrors => {
    const refused = this.#refusal?.snapshot === this.#snapshot ? this.#refusal.errors : {};
    const own: FieldErrors = { ...validateConfig(this.config) };
    if (this.modelKind === 'simulated') Object.assign(own, validateSimulatedParams(this.params));
    else if (this.modelKind === 'server') Object.assign(own, this.#serverErrors());
    else {
      const id = this.modelKind === 'wllama' ? this.gguf.modelId : this.modelId;
      if (!id) own.languageModel = 'Pick a language model, or choose the Simulated model.';
      else if (this.#loadedId() !== id) own.languageModel = 'Load the language model first (Download and load), or choose the Simulated model.';
    }
    if (!this.datasetId) own.datasetId = 'Choose a task.';
    return { ...refused, ...own };
  });

  valid = $derived(Object.keys(this.errors).length === 0);

  get model(): ModelSpec {
    if (this.modelKind === 'simulated') return { kind: 'simulated', params: { ...this.params } };
    if (this.modelKind === 'server') return this.serverSpec;
    if (this.modelKind === 'wllama') return { kind: 'wllama', modelId: this.gguf.modelId, name: this.gguf.name };
    return { kind: 'webllm', modelId: this.modelId, mode: this.mode };
  }

  /** The server settings as a run keeps them: trimmed, and no apiKey field when there is no key. */
  get serverSpec(): ServerSpec {
    const { apiKey, ...rest } = this.server;
    const key = apiKey.trim();
    return { kind: 'server', ...rest, baseUrl: rest.baseUrl.trim(), model: rest.model.trim(), ...(key ? { apiKey: key } : {}) };
  }

  /** Runs the connection check; fills in the model name when it was empty and the server lists one. */
  async checkServer(): Promise<void> {
    const model = await this.connection.check(this.serverSpec);
    if (model && !this.server.model.trim()) this.server.model = model;
  }

  #serverErrors(): FieldErrors {
    const spec = this.serverSpec;
    const errors: FieldErrors = { ...validateServerSpec(spec) };
    // an empty name is the starting point: the check fills it in, so it is a hint, not a red field
    const unnamed = spec.model === '';
    if (unnamed) delete errors.model;
    if (errors.baseUrl) return errors;
    if (this.connection.needsConsent(spec.baseUrl)) {
      errors.serverPrivacy = `Item texts would be sent to ${originOf(spec.baseUrl)}: confirm that above, or use a server on this machine.`;
      return errors;
    }
    const phase = this.connection.phase(spec);
    if (phase === 'passed') return errors;
    errors.serverCheck = {
      unchecked: unnamed ? 'Check the connection: it also fills in the model the server serves.' : 'Check the connection to the server first.',
      stale: 'The server settings changed since the last check: check the connection again.',
      checking: 'Checking the connection to the server…',
      failed: 'The connection check failed: fix what it says, then check again.',
    }[phase];
    return errors;
  }

  /** Plain copies, so nothing reactive crosses into the worker message. */
  get plainConfig(): ICMConfig {
    return { ...this.config };
  }

  /** Keeps the worker's refusal on screen until one of the refused values changes. */
  refuse(errors: FieldErrors): void {
    this.#refusal = { snapshot: this.#snapshot, errors };
  }

  setPoolDefault(next: { size: number; reason: string | null }): void {
    if (this.config.poolSize === this.pool.size) this.config.poolSize = next.size; // not edited: follow
    this.pool = next;
  }

  restoreDefaults(): void {
    this.config = { ...defaultConfig, poolSize: this.pool.size, ...planFor({ prefixCache: this.#prefixCache(this.#modelKind) }) };
    this.params = { ...defaultSimulatedParams };
    this.mode = 'logits';
    // the server's address, model and key are not search settings: they stay
    this.server = { ...this.server, topK: defaultServerSpec.topK, concurrency: defaultServerSpec.concurrency, timeoutS: defaultServerSpec.timeoutS ?? 120 };
  }
}
