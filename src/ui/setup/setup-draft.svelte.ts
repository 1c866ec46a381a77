// The set-up form's state: the chosen task, the model (any kind of workers/backends/kinds.ts, each
// with the spec the form edits for it, so switching kinds and back keeps what was typed) and the
// search settings, starting from the paper's defaults. Errors are checked as the user types (each
// kind's own checks, the ones the worker runs); the worker's own refusals are shown too, for as
// long as the values they were about are unchanged.

import { defaultConfig, validateConfig, type ICMConfig } from '../../lib/icm/config';
import type { ModelKind, ModelSpec, ModelSpecs, ServerSpec } from '../../lib/model/params';
import type { FieldErrors } from '../../lib/client/app.svelte';
import type { ModelState } from '../../lib/client/models.svelte';
import { ServerConnection } from '../../lib/client/server.svelte';
import { defaultPlan, kindOf, modelKinds, type Kinds } from '../../../workers/backends/kinds';
import type { AnyKind } from '../../../workers/backends/kind';

export type { ModelKind } from '../../lib/model/params';

/** What a kind's settings component (workers/backends/<kind>/Settings.svelte) is given. */
export interface SettingsProps {
  draft: SetupDraft;
  models: ModelState;
}

/** Each kind's spec, by kind. */
type Specs = { [K in ModelKind]: ModelSpecs[K] };

/** A spec for every kind of the table, by kind (the table is keyed by kind, so each spec is its key's). */
const specsOf = (kinds: Kinds, spec: (d: AnyKind) => ModelSpec): Specs => Object.fromEntries(Object.values(kinds).flatMap((d) => (d ? [[d.kind, spec(d)]] : []))) as Specs;

interface Refusal {
  snapshot: string; // the draft the worker refused
  errors: FieldErrors;
}

export class SetupDraft {
  datasetId = $state('');
  config = $state<ICMConfig>({ ...defaultConfig });
  #modelKind = $state<ModelKind>('simulated');
  /** Each kind's spec as the form edits it (workers/backends/<kind>/Settings.svelte binds its own). */
  specs: Specs;
  readonly kinds: Kinds;
  readonly connection: ServerConnection; // the connection check of a kind read through one (your own server)
  /** The pool a new run starts with, and why that size (defaultPool): it follows the chosen model
   *  and task for as long as the pool field still shows it. */
  pool = $state.raw<{ size: number; reason: string | null }>({ size: defaultConfig.poolSize, reason: null });
  #refusal = $state.raw<Refusal | null>(null);
  #loadedId: () => string | null;

  /** `loadedId` names the language model loaded in the worker (a run needs it loaded first);
   *  `kinds` are the kinds offered (a test adds its own beside the app's). */
  constructor(loadedId: () => string | null = () => null, connection: ServerConnection = new ServerConnection(), kinds: Kinds = modelKinds) {
    this.#loadedId = loadedId;
    this.connection = connection;
    this.kinds = kinds;
    this.specs = $state(specsOf(kinds, (d) => d.defaultSpec()));
  }

  /** The kinds a run can be created with, in the table's order. */
  get offered(): AnyKind[] {
    return Object.values(this.kinds).flatMap((d) => (d && !d.refusal ? [d] : []));
  }

  get modelKind(): ModelKind {
    return this.#modelKind;
  }

  /** Another model: a scoring plan still at the old model's default moves to the new one's; one the person chose stays. */
  set modelKind(kind: ModelKind) {
    const was = defaultPlan(this.#modelKind, this.kinds);
    if (this.config.plan === was.plan && this.config.blocks === was.blocks) Object.assign(this.config, defaultPlan(kind, this.kinds));
    this.#modelKind = kind;
  }

  /** The chosen kind's descriptor. */
  get kind(): AnyKind {
    return kindOf(this.#modelKind, this.kinds);
  }

  /** The model as a run keeps it. */
  get model(): ModelSpec {
    const spec = $state.snapshot(this.specs[this.#modelKind]); // a plain copy: the worker message cannot carry the form's proxies
    return this.kind.tidy?.(spec) ?? spec;
  }

  /** The messages that are hints until Create run is pressed: a model to load, a check still to do. */
  get hintKeys(): string[] {
    return ['languageModel', ...(this.kind.hints ?? [])];
  }

  #snapshot = $derived(JSON.stringify([this.datasetId, this.config, this.model]));

  /** Every field's message, keyed by field name (config fields, model fields, 'datasetId' or 'languageModel'). */
  errors = $derived.by((): FieldErrors => {
    const refused = this.#refusal?.snapshot === this.#snapshot ? this.#refusal.errors : {};
    const kind = this.kind;
    const spec = this.model;
    const validated = kind.validate(spec);
    const model = kind.formErrors?.(spec, validated, { connection: this.connection }) ?? validated;
    const id = kind.model?.id(spec);
    if (id && !model.languageModel && this.#loadedId() !== id) model.languageModel = 'Load the language model first (Download and load), or choose the Simulated model.';
    const own: FieldErrors = { ...validateConfig(this.config), ...model };
    if (!this.datasetId) own.datasetId = 'Choose a task.';
    return { ...refused, ...own };
  });

  valid = $derived(Object.keys(this.errors).length === 0);

  /** The server settings as a run keeps them: trimmed, and no apiKey field when there is no key. */
  get serverSpec(): ServerSpec {
    return modelKinds.server.tidy(this.specs.server);
  }

  /** Runs the connection check; fills in the model name when it was empty and the server lists one. */
  async checkServer(): Promise<void> {
    const model = await this.connection.check(this.serverSpec);
    if (model && !this.specs.server.model.trim()) this.specs.server.model = model;
  }

  /** Chooses the kind whose loader holds `modelId` (loaded in the worker already: the model to
   *  keep using), with that model picked; `name` is what the page calls it. */
  pickLoaded(modelId: string, name?: string): void {
    const kind = Object.values(this.kinds).find((d) => d !== undefined && d.files !== 'none' && d.model?.owns(modelId) === true);
    if (!kind?.model) return;
    this.modelKind = kind.kind;
    this.specs = { ...this.specs, [kind.kind]: kind.model.spec(modelId, name) };
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
    this.config = { ...defaultConfig, poolSize: this.pool.size, ...defaultPlan(this.#modelKind, this.kinds) };
    const specs = this.specs;
    this.specs = specsOf(this.kinds, (d) => d.restore?.(specs[d.kind]) ?? d.defaultSpec());
  }
}
