// llama.cpp in WebAssembly as the page and the worker both know it (kind.ts in workers/backends says what this is).

import { literal, object, optional, str } from '../../../src/lib/export/validate';
import { findGgufModel, isGgufModelId } from '../../../src/lib/gguf/catalog';
import type { WllamaSpec } from '../../../src/lib/model/params';
import { llamaPlacement, recommendCpu } from '../../../src/lib/webllm/capability';
import type { KindDescriptor } from '../kind';

export const wllamaKind = {
  kind: 'wllama',
  label: 'Language model, any GGUF (llama.cpp)',
  blurb:
    'Any GGUF model, base models included, run by llama.cpp compiled to WebAssembly: on the GPU where its WebGPU backend can use it, else on the CPU, so no GPU is needed. Pick one from a short list (downloaded once) or a .gguf file you already have; your data never leaves the machine.',
  languageModel: true,
  prefixCache: true, // its KV cache keeps the longest prefix a prompt shares with the previous one
  files: 'download-or-disk',
  defaultSpec: () => ({ kind: 'wllama', modelId: '', name: '' }),
  validate: (spec) =>
    !spec.modelId
      ? { languageModel: 'Pick a language model, or choose the Simulated model.' }
      : isGgufModelId(spec.modelId)
        ? {}
        : { languageModel: `"${spec.modelId}" is not a GGUF model of this app; pick one from the list or a .gguf file.` },
  schema: object<WllamaSpec>({ kind: literal('wllama'), modelId: str, name: str, device: optional(literal('auto', 'gpu', 'cpu')) }),
  describe: (spec) => `${spec.name} (llama.cpp${spec.device === 'gpu' ? ', WebGPU build' : spec.device === 'cpu' ? ', CPU' : ''})`,
  model: {
    id: (spec) => spec.modelId,
    owns: isGgufModelId,
    spec: (modelId, name) => ({ kind: 'wllama', modelId, name: findGgufModel(modelId)?.name ?? name ?? modelId }),
  },
  restore: ({ device: _device, ...spec }) => spec, // the model picked is not a setting; where it runs is
  formFields: ['device'],
  // where web-llm would not be quick (the CPU is better), and where llama.cpp's WebGPU build can use the GPU
  recommended: (capability) => recommendCpu(capability) || (capability !== null && llamaPlacement(capability).gpu),
} satisfies KindDescriptor<'wllama'>;
