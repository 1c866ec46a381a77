// Every model kind as the page and the worker both know it: one line per backend folder's kind.ts
// (kind.ts beside this file says what one holds). Page-safe. The compiler holds the table to the
// built-in kinds (BuiltinModelSpecs), as it holds the worker's registry.ts and the page's
// settings.ts: a kind added to one and not the others does not build.

import { planFor, type ICMConfig } from '../../src/lib/icm/config';
import type { BuiltinKind, ModelKind } from '../../src/lib/model/params';
import type { AnyKind, KindDescriptor } from './kind';
import { recordedKind } from './recorded/kind';
import { serverKind } from './server/kind';
import { simulatedKind } from './simulated/kind';
import { webllmKind } from './webllm/kind';
import { wllamaKind } from './wllama/kind';

export const modelKinds = {
  simulated: simulatedKind, // the set-up form offers them in this order
  webllm: webllmKind,
  wllama: wllamaKind,
  server: serverKind,
  recorded: recordedKind,
} satisfies { [K in BuiltinKind]: KindDescriptor<K> };

/** Kinds by kind: the built-in ones, with any a test adds beside them. */
export type Kinds = Readonly<Partial<Record<ModelKind, AnyKind>>>;

/** A kind's descriptor; a kind this version of the app does not know is an error that says so. */
export function kindOf(kind: ModelKind, kinds: Kinds = modelKinds): AnyKind {
  const d = kinds[kind];
  if (!d) throw new Error(`This version of the app knows no "${kind}" models. Reload the page; a run made by a newer version opens only there.`);
  return d;
}

/** The scoring plan a run of this kind starts with: through the prefix tree where it keeps a prefix cache. */
export const defaultPlan = (kind: ModelKind, kinds: Kinds = modelKinds): Pick<ICMConfig, 'plan' | 'blocks'> => planFor({ prefixCache: kindOf(kind, kinds).prefixCache });

/** Kinds by what a model's files are to them, for the protocol's model-file requests. */
type KindsWith<F> = { [K in BuiltinKind]: (typeof modelKinds)[K]['files'] extends F ? K : never }[BuiltinKind];
export type DownloadingKind = KindsWith<'download' | 'download-or-disk'>; // loads a model it downloads first
export type DiskKind = KindsWith<'download-or-disk'>; // also reads a model file from disk

/** The kinds that load a model they download: the compiler keeps this to those whose `files` say so. */
const loaders: { [K in DownloadingKind]: (typeof modelKinds)[K] } = { webllm: modelKinds.webllm, wllama: modelKinds.wllama };

/** The kind whose loader holds this model id; null when none does. */
export const modelOwner = (modelId: string): DownloadingKind | null => Object.values(loaders).find((d) => d.model.owns(modelId))?.kind ?? null;
