// "Run it on a real model in this browser": one choice made for the visitor from what this browser
// can run (the capability check of the set-up screen's panel): on a GPU with shader-f16, llama.cpp's
// WebGPU build where the browser has JSPI (a base model, and a prefix cache web-llm cannot keep),
// else web-llm, whose f16 kernels are quick there; llama.cpp in WebAssembly on the CPU otherwise (no
// WebGPU, a software adapter, or no shader-f16, as ModelSection recommends). Within the backend, the
// smallest model that suits ICM: the smallest download, a base model first where the list has one
// (llama.cpp's does; web-llm's smallest models are all instruct). Pure, so it is unit-tested.

import { defaultModelHost, ggufModels, type GgufModel } from '../gguf/catalog';
import { defaultConfig, type ICMConfig } from '../icm/config';
import type { ModelSpec } from '../model/params';
import { defaultPlan } from '../../../workers/backends/kinds';
import { defaultPool, type PoolBudget } from '../model/budget';
import { catalog, modelHosts, modelsFor, type CatalogModel } from '../webllm/catalog';
import { llamaPlacement, type Capability } from '../webllm/capability';
import { defaultSettings } from '../url/settings';

export interface RealModelChoice {
  backend: 'webllm' | 'wllama';
  modelId: string;
  name: string;
  spec: ModelSpec;
  bytes: number; // what it downloads, about (web-llm's is an estimate from its parameters)
  hosts: string[]; // where from
  why: string; // why this backend, in a sentence
  task: string; // the built-in task (dataset id) of the run it makes
  poolCap: number | null; // a pool larger than this would make each step take many minutes (CPU); null: no cap beyond the context
}

/** On the CPU: llama.cpp in WebAssembly reads about 15 prompt tokens a second on two cores
 *  (README, wllama figures), so the run is on factual claims, the built-in task with the shortest
 *  items and the one on which a small real model shows elicitation (the recorded run's), and on
 *  8 of them: about two minutes a step there. */
export const CPU_TASK = 'builtin-factual';
export const CPU_POOL_CAP = 8;

const smallest = <T>(xs: T[], bytes: (x: T) => number): T | undefined => [...xs].sort((a, b) => bytes(a) - bytes(b))[0];

/** llama.cpp's smallest base model, on the CPU builds or on the GPU through its WebGPU build. */
function llamaChoice(why: string, models: GgufModel[], host: string, onGpu: boolean): RealModelChoice {
  const m = smallest(models.filter((x) => x.base), (x) => x.bytes) ?? smallest(models, (x) => x.bytes);
  if (!m) throw new Error('The llama.cpp model list is empty.');
  return {
    backend: 'wllama',
    modelId: m.id,
    name: m.name,
    // on the GPU, Automatic: the worker asks the GPU again and falls to the CPU builds if llama.cpp cannot use it
    spec: { kind: 'wllama', modelId: m.id, name: m.name, device: onGpu ? 'auto' : 'cpu' },
    bytes: m.bytes,
    hosts: [new URL(host).host],
    why,
    task: onGpu ? defaultSettings().task : CPU_TASK,
    poolCap: onGpu ? null : CPU_POOL_CAP,
  };
}

/** What to run here; `cap` null (not checked yet, or no answer) counts as no usable GPU; `ggufHost`
 *  is where llama.cpp's list downloads from; `jspi`: the browser has WebAssembly JSPI (llama.cpp's WebGPU build needs it). */
export function chooseRealModel(
  cap: Capability | null,
  ggufHost = defaultModelHost,
  jspi?: boolean,
  webllm: CatalogModel[] = catalog,
  gguf: GgufModel[] = ggufModels,
): RealModelChoice {
  const cpu = (why: string) => llamaChoice(why, gguf, ggufHost, false);
  if (!cap || !cap.usable) return cpu('WebGPU is not available in this browser, so llama.cpp runs the model on the CPU.');
  if (cap.verdict === 'software') return cpu("This browser's WebGPU is a software fallback, far too slow for a language model, so llama.cpp runs the model on the CPU.");
  if (!cap.shaderF16) return cpu("This GPU has no shader-f16, which web-llm's quick kernels and llama.cpp's WebGPU backend need, so llama.cpp runs the model on the CPU.");
  if (llamaPlacement(cap, jspi).gpu)
    return llamaChoice("This GPU has shader-f16, so llama.cpp's WebGPU build runs a base model on it, keeping the prefix a prompt shares with the last (web-llm cannot).", gguf, ggufHost, true);
  const m = smallest(modelsFor(cap, webllm), (x) => x.downloadMB);
  if (!m) return cpu('No web-llm model fits this GPU, so llama.cpp runs the model on the CPU.');
  return {
    backend: 'webllm',
    modelId: m.id,
    name: m.label,
    spec: { kind: 'webllm', modelId: m.id, mode: 'logits' },
    bytes: m.downloadMB * 2 ** 20,
    hosts: modelHosts([m]),
    why: 'This GPU runs WebGPU with shader-f16, so web-llm runs the model on it.',
    task: defaultSettings().task, // the first-visit demo's
    poolCap: null,
  };
}

/** The settings of the run the button creates: the defaults, the plan the backend gets on the
 *  set-up screen, and the pool that fits the model's context (defaultPool), at most `poolCap`. */
export function realRunConfig(choice: RealModelChoice, budget: PoolBudget | null): { config: ICMConfig; reason: string } {
  const fit = defaultPool(defaultConfig.poolSize, budget, choice.name);
  const size = choice.poolCap === null ? fit.size : Math.min(fit.size, choice.poolCap);
  const reason =
    size < fit.size
      ? `${size} items: ${fit.size} fit ${choice.name}'s context, but on the CPU each step on more would take many minutes.`
      : (fit.reason ?? `${size} items, the default.`);
  return { config: { ...defaultConfig, poolSize: size, ...defaultPlan(choice.spec.kind) }, reason };
}
