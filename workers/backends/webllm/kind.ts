// web-llm on WebGPU as the page and the worker both know it (kind.ts in workers/backends says what this is).

import { literal, object, str } from '../../../src/lib/export/validate';
import { isGgufModelId } from '../../../src/lib/gguf/catalog';
import type { WebLLMReadMode, WebLLMSpec } from '../../../src/lib/model/params';
import { findModel } from '../../../src/lib/webllm/catalog';
import type { KindDescriptor } from '../kind';

const modeText: Record<WebLLMReadMode, string> = { logits: 'full logits', 'logit-bias': 'logit bias' };

export const webllmKind = {
  kind: 'webllm',
  label: 'Language model (WebGPU, web-llm)',
  blurb:
    'A small real model (135 M – 2.8 B parameters) running on this machine\'s GPU. Downloaded once from the model host and kept in this browser; your data never leaves the machine.',
  languageModel: true,
  prefixCache: false, // web-llm resets its KV cache for every sequence
  files: 'download',
  defaultSpec: () => ({ kind: 'webllm', modelId: '', mode: 'logits' }),
  // the picker offers only prebuilt models; a load names any other
  validate: (spec) => (spec.modelId ? {} : { languageModel: 'Pick a language model, or choose the Simulated model.' }),
  schema: object<WebLLMSpec>({ kind: literal('webllm'), modelId: str, mode: literal('logits', 'logit-bias') }),
  modelName: (spec) => findModel(spec.modelId)?.label ?? spec.modelId,
  describe: (spec) => `${findModel(spec.modelId)?.label ?? spec.modelId} (web-llm, ${modeText[spec.mode]})`,
  model: {
    id: (spec) => spec.modelId,
    owns: (modelId) => !isGgufModelId(modelId), // the worker's other loader: any model id not llama.cpp's
    spec: (modelId) => ({ kind: 'webllm', modelId, mode: 'logits' }),
  },
  restore: (spec) => ({ ...spec, mode: 'logits' }),
  formFields: [],
} satisfies KindDescriptor<'webllm'>;
