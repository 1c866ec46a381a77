// web-llm on WebGPU as a backend: a model is downloaded and loaded in the worker first (loader.ts),
// one at a time; a run reads through the loaded engine with the model's own tokenizer (model.ts).

import type { Backend, BackendContext, RunModel } from '../backend';
import { WebLLMLoader, type WebLLMDeps } from './loader';

export function webllmBackend(ctx: BackendContext, deps: WebLLMDeps = {}): Backend<'webllm'> {
  const loader = new WebLLMLoader(ctx.progress, deps);
  return {
    kind: 'webllm',
    needs: { kind: 'load', loader },
    validate: () => ({}), // the picker offers only prebuilt models; a load names any other
    async open(spec, dataset, indices): Promise<RunModel> {
      const pool = indices.map((d) => dataset.items[d]);
      const build = async () => {
        const loaded = await loader.engine(spec.modelId);
        return { generation: loader.generation, model: loaded.model(dataset.kind, pool, { mode: spec.mode, description: dataset.description }) };
      };
      let current = await build();
      // another load replaced the engine this model read from: the next read loads its model again
      const model = async () => {
        if (current.generation !== loader.generation) current = await build();
        return current.model;
      };
      return {
        readSequence: async (segments) => (await model()).readSequence(segments),
        contextWindow: current.model.contextWindow,
        prefixCache: false,
        tokenCounts: () => current.model.tokenCounts(),
        warnings: () => current.model.warnings(),
        cancel: () => current.model.cancel(),
      };
    },
  };
}
