// llama.cpp in WebAssembly as a backend: any GGUF model on the CPU, from the built-in list or a
// file from disk (loader.ts); a run reads through the one loaded engine, reusing its KV cache
// (reader.ts), so it reports tokens computed as well as tokens read.

import { allocatedContext, findGgufModel } from '../../../src/lib/gguf/catalog';
import { estimatedPoolBudget } from '../../../src/lib/model/budget';
import type { GgufStatus, LoadedModelInfo } from '../../../src/lib/protocol';
import { onLoadedEngine, type Backend, type BackendContext, type RunModel } from '../backend';
import type { LlamaDevice } from '../../../src/lib/model/params';
import { crossOriginIsolated, defaultThreads } from './engine';
import { wllamaKind } from './kind';
import { WllamaLoader, type WllamaDeps } from './loader';

async function loadInfo(loader: WllamaLoader, modelId: string, device?: LlamaDevice): Promise<LoadedModelInfo> {
  const m = await loader.load(modelId, device);
  const probe = await m.model('factual', []); // the label check is a property of the tokenizer alone
  const warnings = [...m.warnings, ...probe.warnings()];
  if (m.trainContext > m.contextWindow)
    warnings.push(`${m.name} was trained on ${m.trainContext} tokens of context; ${m.contextWindow} are allocated here to bound memory.`);
  return { modelId, contextWindow: m.contextWindow, warnings, device: m.device };
}

export function wllamaBackend(ctx: BackendContext, deps: WllamaDeps = {}): Backend<'wllama'> {
  const loader = new WllamaLoader(ctx.progress, deps);
  return {
    descriptor: wllamaKind,
    needs: {
      kind: 'load',
      loader: {
        load: (modelId, opts) => {
          if (opts?.host) loader.host = opts.host;
          return loadInfo(loader, modelId, opts?.device);
        },
        cancel: (id) => loader.cancel(id),
        cached: (ids) => loader.cached(ids),
        remove: (id) => loader.remove(id),
      },
    },
    // a model of the list, before it is loaded: its context (capped as the load caps it), estimated
    // tokens that err toward more; createRun counts with the model's own tokenizer
    poolBudget(spec, dataset) {
      const m = findGgufModel(spec.modelId);
      return m ? estimatedPoolBudget(dataset, allocatedContext(m.context, m.kvBytesPerToken)) : null;
    },
    async open(spec, dataset, indices): Promise<RunModel> {
      const pool = indices.map((d) => dataset.items[d]);
      return onLoadedEngine(
        loader,
        async () => {
          const model = await (await loader.load(spec.modelId, spec.device)).model(dataset.kind, pool, dataset.description);
          const counts = await model.tokenCounts(); // llama.cpp's tokenizer is async: counted once per build
          return { model, tokenCounts: () => counts };
        },
        wllamaKind.prefixCache,
      );
    },
    localFiles: {
      async add(file, keep) {
        const f = await loader.addFile(file, keep);
        return { modelId: f.modelId, name: f.name, bytes: f.bytes, kept: f.kept, architecture: f.header.architecture, contextLength: f.header.contextLength, license: f.header.license };
      },
      async status(): Promise<GgufStatus> {
        const gpu = await loader.gpuSupport();
        const base = { threads: defaultThreads(), isolated: crossOriginIsolated(), gpu: gpu.gpu, gpuRuns: gpu.runs, gpuWhy: gpu.why };
        try {
          return { ...base, kept: await loader.kept(), storageError: null };
        } catch (e) {
          return { ...base, kept: {}, storageError: e instanceof Error ? e.message : String(e) };
        }
      },
    },
  };
}
