// web-llm on WebGPU as a backend: a model is downloaded and loaded in the worker first (loader.ts),
// one at a time; a run reads through the loaded engine with the model's own tokenizer (model.ts).

import { contextBudget, estimatedPoolBudget } from '../../../src/lib/model/budget';
import { findModel } from '../../../src/lib/webllm/catalog';
import { onLoadedEngine, type Backend, type BackendContext, type RunModel } from '../backend';
import { webllmKind } from './kind';
import { WebLLMLoader, type WebLLMDeps } from './loader';

export function webllmBackend(ctx: BackendContext, deps: WebLLMDeps = {}): Backend<'webllm'> {
  const loader = new WebLLMLoader(ctx.progress, deps);
  return {
    descriptor: webllmKind,
    needs: { kind: 'load', loader },
    poolBudget(spec, dataset) {
      const loaded = loader.current(spec.modelId);
      if (loaded) {
        const counts = loaded.model(dataset.kind, dataset.items, { mode: spec.mode, description: dataset.description }).tokenCounts();
        return { ...contextBudget(counts.items, loaded.contextWindow, counts.fixed), exact: true };
      }
      const contextWindow = findModel(spec.modelId)?.contextWindow;
      return contextWindow ? estimatedPoolBudget(dataset, contextWindow) : null;
    },
    async open(spec, dataset, indices): Promise<RunModel> {
      const pool = indices.map((d) => dataset.items[d]);
      return onLoadedEngine(
        loader,
        async () => {
          const model = (await loader.engine(spec.modelId)).model(dataset.kind, pool, { mode: spec.mode, description: dataset.description });
          return { model, tokenCounts: () => model.tokenCounts() };
        },
        webllmKind.prefixCache,
      );
    },
  };
}
