// Every model backend, by the kind of its ModelSpec: adding a backend is its folder and one line
// here (and in kinds.ts and settings.ts, for the page); the compiler holds the table to every
// built-in kind.

import type { BuiltinKind, ModelKind } from '../../src/lib/model/params';
import type { Kinds } from './kinds';
import type { Backend, BackendContext } from './backend';
import { recordedBackend } from './recorded/index';
import { serverBackend } from './server/index';
import type { ServerModelOptions } from './server/model';
import { simulatedBackend } from './simulated/index';
import { webllmBackend } from './webllm/index';
import type { WebLLMDeps } from './webllm/loader';
import { wllamaBackend } from './wllama/index';
import type { WllamaDeps } from './wllama/loader';

/** Options of the built-in backends (tests pass a fake web-llm and shorter server timeouts). */
export interface BackendOptions {
  webllm?: WebLLMDeps;
  server?: Partial<ServerModelOptions>;
  wllama?: WllamaDeps;
}

export const builtinBackends = (ctx: BackendContext, o: BackendOptions = {}) =>
  ({
    simulated: simulatedBackend(),
    webllm: webllmBackend(ctx, o.webllm),
    server: serverBackend(o.server),
    wllama: wllamaBackend(ctx, o.wllama),
    recorded: recordedBackend(),
  }) satisfies { [K in BuiltinKind]: Backend<K> };

export type Registry = ReadonlyMap<string, Backend>;

/** The backends by kind; `extra` ones (a test's, say) replace a built-in one of the same kind. */
export function createRegistry(ctx: BackendContext, o: BackendOptions = {}, extra: Backend[] = []): Registry {
  return new Map([...Object.values(builtinBackends(ctx, o)), ...extra].map((b): [string, Backend] => [b.descriptor.kind, b]));
}

/** The descriptors of the registry's kinds (a backup is checked against these). */
export const kindsOf = (registry: Registry): Kinds => Object.fromEntries([...registry.values()].map((b) => [b.descriptor.kind, b.descriptor]));

export function backendFor(registry: Registry, kind: ModelKind): Backend {
  const b = registry.get(kind);
  if (!b) throw new Error(`No backend reads "${kind}" models in this version of the app. Reload the page, or pick another model.`);
  return b;
}
