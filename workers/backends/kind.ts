// What the page and the worker both know of a model kind: each backend folder's kind.ts. It is
// page-safe (no model engine, no Svelte), so the set-up form, the run screen, the model files on
// the page, the backup check and the worker's own backend all read the one description; the
// registries (kinds.ts, the page's settings.ts, the worker's registry.ts) are each held by the
// compiler to every built-in kind, so a kind cannot be half added.

import type { ServerConnection } from '../../src/lib/client/server.svelte';
import type { Schema } from '../../src/lib/export/validate';
import type { ModelKind, ModelSpecs } from '../../src/lib/model/params';
import type { Capability } from '../../src/lib/webllm/capability';

/** Messages by field name, each one a person can act on. */
export type FieldErrors = Partial<Record<string, string>>;

/** A kind's model files: none; files it downloads into the browser; those, or a file read from disk. */
export type ModelFiles = 'none' | 'download' | 'download-or-disk';

/** What the set-up form gives a kind's own checks. */
export interface FormContext {
  connection: ServerConnection; // the connection check, for a kind read through one
}

export interface KindDescriptor<K extends ModelKind = ModelKind> {
  kind: K;
  label: string; // the set-up form's name for it
  badge?: string; // a word beside the name, e.g. "not a language model"
  blurb: string; // the set-up form's paragraph on it
  /** A language model: it is shown the dataset's description, and its speed is a model's. The
   *  settings every language model shares (the prompt format) are one row of the form for these. */
  languageModel: boolean;
  /** It reuses the prefix a prompt shares with the previous one, so its runs default to reading
   *  through the prefix tree (planFor in src/lib/icm/config.ts). */
  prefixCache: boolean;
  files: ModelFiles;
  /** Why no run of this kind can be created here (it only replays); absent: one can, on the set-up form. */
  refusal?: string;
  defaultSpec(): ModelSpecs[K];
  /** Every invalid field of a spec, by field name, with a message a person can act on; empty when
   *  valid. The set-up form, the worker's createRun and a backup's check all ask it. */
  validate(spec: ModelSpecs[K]): FieldErrors;
  schema: Schema<ModelSpecs[K]>; // the spec's shape in a project backup (src/lib/export/project.ts)
  describe(spec: ModelSpecs[K]): string; // the run screen's line on its model
  modelName?(spec: ModelSpecs[K]): string; // what messages call the model (absent: "the model")
  /** The model a kind loads before a run (files not 'none'): which one a spec names, whether a
   *  model id is this kind's, and the spec of a model loaded already (`name`: what the page calls it). */
  model?: {
    id(spec: ModelSpecs[K]): string;
    owns(modelId: string): boolean;
    spec(modelId: string, name?: string): ModelSpecs[K];
  };
  /** The spec as a run keeps it, from the form's (trimmed, an empty optional field dropped); absent: as is. */
  tidy?(spec: ModelSpecs[K]): ModelSpecs[K];
  /** The form's spec after Restore defaults: its settings back to the defaults, what is not a
   *  setting (a server's address, a model picked) kept; absent: defaultSpec(). */
  restore?(spec: ModelSpecs[K]): ModelSpecs[K];
  /** The error keys its settings show beside their own fields (the form's footer shows the rest). */
  formFields: readonly string[];
  /** The set-up form's messages on a spec: validate's `errors`, adjusted (a field left empty to be
   *  filled in by a check is a hint, not an error), with the checks still to do before Create run. */
  formErrors?(spec: ModelSpecs[K], errors: FieldErrors, form: FormContext): FieldErrors;
  /** Of formErrors' keys, those that are hints until Create run is pressed (a check not done yet). */
  hints?: readonly string[];
  /** Whether the form recommends this kind in a browser with this GPU (null: not checked yet). */
  recommended?(capability: Capability | null): boolean;
}

/** Any kind's descriptor, as the registries hand them out. */
export type AnyKind = KindDescriptor<ModelKind>;
