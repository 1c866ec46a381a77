// What every part of the run host shares: the store, the datasets read so far, the model
// backends, the page's message port, the other tabs of this browser, the clock and ids.

import { builtinDatasets } from '../src/lib/data/builtin/index';
import type { Dataset } from '../src/lib/data/types';
import type { ModelSpec } from '../src/lib/model/params';
import type { WorkerMessage } from '../src/lib/protocol';
import { Store } from '../src/lib/store/db';
import { DB_NAME } from '../src/lib/store/schema';
import type { Backend, RunModel } from './backends/backend';
import { backendFor, createRegistry, type BackendOptions, type Registry } from './backends/registry';
import { isThisMachine, originOf } from '../src/lib/server/errors';
import { HostError } from './errors';
import { yieldToEvents } from './yield';
import { createTabs, type Tabs, type TabsDeps } from './run/tabs';

export interface HostDeps {
  dbName?: string; // IndexedDB database name (tests use one per test)
  builtins?: () => Dataset[]; // the built-in datasets stored on 'init'
  backends?: BackendOptions; // options of the built-in backends (tests pass a fake web-llm)
  extraBackends?: Backend[]; // more backends, or ones that replace a built-in kind (tests)
  yieldToEvents?: () => Promise<void>;
  now?: () => number; // ms; createdAt and update throttling
  newId?: () => string;
  updateIntervalMs?: number; // at most one pushed runUpdate per interval while playing
  tabs?: TabsDeps; // Web Locks and BroadcastChannel (tests: one in-memory browser for several hosts)
  takeOverMs?: number; // how long a run left 'running' by a tab that went away waits for that tab to come back before another plays it on
}

export interface HostContext {
  post(m: WorkerMessage): void;
  now(): number;
  newId(): string;
  yieldNow(): Promise<void>;
  updateIntervalMs: number;
  takeOverMs: number;
  tabs: Tabs;
  builtins(): Dataset[];
  store(): Promise<Store>;
  storageFull(): boolean; // the last write failed for want of space (and none succeeded since)
  datasets: Map<string, Dataset>; // every dataset read so far, by id
  dataset(id: string): Promise<Dataset>;
  registry: Registry;
  /** The model of `spec` over dataset items `indices` (Segment.item k is dataset item indices[k]). */
  open(spec: ModelSpec, ds: Dataset, indices: number[]): Promise<RunModel>;
}

const UPDATE_INTERVAL_MS = 100; // ≈10 pushed updates per second while playing
const TAKE_OVER_MS = 3000; // a reloading tab starts its worker well within this

function defaultId(): string {
  // randomUUID needs a secure context; ids only need to be unique, not unpredictable
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function createContext(post: (m: WorkerMessage) => void, deps: HostDeps): HostContext {
  const registry = createRegistry({ progress: (modelId, progress) => post({ kind: 'loadProgress', modelId, progress }) }, deps.backends, deps.extraBackends);
  const datasets = new Map<string, Dataset>();
  let storeP: Promise<Store> | null = null;
  let full = false;

  function store(): Promise<Store> {
    // the page hears when writes start failing for want of space, and when they work again
    storeP ??= Store.open(deps.dbName ?? DB_NAME, (now) => {
      full = now;
      post({ kind: 'storage', full });
    });
    storeP.catch(() => (storeP = null)); // a failed open is retried by the next request
    return storeP;
  }

  async function dataset(id: string): Promise<Dataset> {
    let ds = datasets.get(id);
    if (!ds) {
      ds = await (await store()).getDataset(id);
      if (!ds) throw new HostError('NotFoundError', `Dataset "${id}" is not stored in this browser. Reload the page to refresh the list.`);
      datasets.set(id, ds);
    }
    return ds;
  }

  /** Item texts go to a server on another machine only with the person's consent in this
   *  browser, checked here, where every model is opened: a run from a backup file or a link
   *  never passed the set-up screen that asks. */
  async function checkConsent(spec: ModelSpec): Promise<void> {
    if (spec.kind !== 'server' || isThisMachine(spec.baseUrl)) return;
    const origin = originOf(spec.baseUrl.trim());
    if ((await (await store()).consentedOrigins()).includes(origin)) return;
    throw new HostError(
      'ConsentError',
      `This run would send item texts to ${origin}, a server on another machine, and you have not agreed to that in this browser; nothing was sent. To allow it, open New run, choose Your own server with this address and tick the box, then come back and press Run.`,
    );
  }

  return {
    post,
    now: deps.now ?? Date.now,
    newId: deps.newId ?? defaultId,
    yieldNow: deps.yieldToEvents ?? yieldToEvents,
    updateIntervalMs: deps.updateIntervalMs ?? UPDATE_INTERVAL_MS,
    takeOverMs: deps.takeOverMs ?? TAKE_OVER_MS,
    tabs: createTabs(deps.dbName ?? DB_NAME, deps.tabs),
    builtins: deps.builtins ?? builtinDatasets,
    store,
    storageFull: () => full,
    datasets,
    dataset,
    registry,
    open: async (spec, ds, indices) => {
      await checkConsent(spec);
      return backendFor(registry, spec.kind).open(spec, ds, indices);
    },
  };
}
