// The run host: answers the protocol's requests from one typed handler table, which the run
// requests (run/), the model files and the labeling features fill in. It is driven through
// `handle`, so tests run it in Node without a Worker.

import type { ModelKind } from '../src/lib/model/params';
import type { ReplyMessage, RequestKind, RequestMessage, WorkerMessage } from '../src/lib/protocol';
import type { ModelLoader } from './backends/backend';
import { backendFor, kindsOf } from './backends/registry';
import { createContext, type HostContext, type HostDeps } from './context';
import { HostError, toErrorInfo } from './errors';
import type { Handlers, Req } from './handlers';
import { createLabeling } from './labeling';
import { runHandlers } from './run/handlers';
import { createPlayer } from './run/player';
import { createSessions } from './run/session';
import { datasetSummary } from './summaries';

export type { HostDeps } from './context';

export interface Host {
  handle(msg: RequestMessage): Promise<void>;
  /** Resolves once no run loop is in flight (for tests and shutdown). */
  idle(): Promise<void>;
}

/** The requests about a backend's model files, by the kind that holds them. */
function modelFileHandlers(ctx: HostContext): Pick<Handlers, 'modelCache' | 'deleteModel' | 'loadModel' | 'cancelLoad' | 'addModelFile' | 'ggufStatus'> {
  function loader(kind: ModelKind): ModelLoader {
    const { needs } = backendFor(ctx.registry, kind);
    if (needs.kind !== 'load') throw new HostError('ProtocolError', `The ${kind} backend loads no model files.`);
    return needs.loader;
  }
  function localFiles(kind: ModelKind) {
    const files = backendFor(ctx.registry, kind).localFiles;
    if (!files) throw new HostError('ProtocolError', `The ${kind} backend reads no model files from disk.`);
    return files;
  }
  return {
    modelCache: async (req) => ({ cached: await loader(req.backend).cached(req.modelIds) }),
    deleteModel: async (req) => {
      await loader(req.backend).remove(req.modelId);
      return { modelId: req.modelId };
    },
    loadModel: (req) => loader(req.backend).load(req.modelId, { ...(req.host ? { host: req.host } : {}), ...(req.device ? { device: req.device } : {}) }),
    addModelFile: (req) => localFiles(req.backend).add(req.file, req.keep),
    ggufStatus: () => localFiles('wllama').status(),
    cancelLoad: (req) => {
      loader(req.backend).cancel(req.modelId);
      return { modelId: req.modelId };
    },
  };
}

export function createHost(post: (m: WorkerMessage) => void, deps: HostDeps = {}): Host {
  const ctx = createContext(post, deps);
  const sessions = createSessions(ctx);
  const runs = runHandlers(ctx, sessions, createPlayer(ctx, sessions));
  const labeling = createLabeling({
    kinds: kindsOf(ctx.registry),
    store: ctx.store,
    dataset: ctx.dataset,
    run: async (id) => (await sessions.session(id)).record,
    model: (run, ds, indices) => ctx.open(run.model, ds, indices),
    datasetAdded: (ds) => {
      ctx.datasets.set(ds.id, ds);
      return datasetSummary(ds, false); // an imported dataset
    },
    projectImported: () => ctx.tabs.post({ kind: 'imported' }),
    post,
    now: ctx.now,
    newId: ctx.newId,
  });
  const handlers: Handlers = { ...runs, ...modelFileHandlers(ctx), ...labeling };

  async function answer<K extends RequestKind>(id: number, req: Req<K>): Promise<ReplyMessage> {
    const handler: Handlers[K] | undefined = handlers[req.kind];
    if (!handler) throw new HostError('ProtocolError', 'Unknown request: the page and the worker are out of date with each other. Reload the page.');
    const value = await handler(req);
    return { id, kind: req.kind, ok: true, value } as ReplyMessage; // the table pairs each kind with its reply
  }

  async function handle(msg: RequestMessage): Promise<void> {
    try {
      post(await answer(msg.id, msg));
    } catch (e) {
      post({ id: msg.id, kind: msg.kind, ok: false, error: toErrorInfo(e) });
    }
  }

  return { handle, idle: sessions.idle };
}
