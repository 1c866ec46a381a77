import { describe, expect, it } from 'vitest';
import { ggufModels } from '../gguf/catalog';
import type { PoolBudget } from '../model/budget';
import type { Capability } from '../webllm/capability';
import { catalog } from '../webllm/catalog';
import { chooseRealModel, CPU_POOL_CAP, realRunConfig } from './real-model';

const gpu = (over: Partial<Capability>): Capability => ({
  verdict: 'ready',
  usable: true,
  webgpu: true,
  adapter: { vendor: 'v', architecture: 'a', description: 'd', fallback: false },
  shaderF16: true,
  maxStorageBufferBindingSize: 2 ** 30,
  maxBufferSize: 2 ** 30,
  title: '',
  notes: [],
  fix: [],
  ...over,
});

describe('the real model this browser can run', () => {
  it("is llama.cpp's WebGPU build on a GPU with shader-f16 in a browser with JSPI: its smallest base model, the demo's task, no CPU cap", () => {
    const c = chooseRealModel(gpu({}), undefined, true);
    expect(c.backend).toBe('wllama');
    expect(c.spec).toEqual({ kind: 'wllama', modelId: 'smollm2-135m-q4', name: 'SmolLM2 135M', device: 'auto' });
    expect(c.why).toMatch(/llama.cpp's WebGPU build runs a base model on it/);
    expect(c.task).toBe('builtin-math');
    expect(c.poolCap).toBeNull();
  });

  it('is web-llm on a GPU with shader-f16 in a browser without JSPI: its smallest model, with its download and hosts', () => {
    const c = chooseRealModel(gpu({}), undefined, false);
    expect(c.backend).toBe('webllm');
    const smallest = Math.min(...catalog.filter((m) => m.shader === 'f16').map((m) => m.downloadMB));
    expect(c.bytes).toBe(smallest * 2 ** 20);
    expect(c.modelId).toMatch(/q4f16/);
    expect(c.hosts).toContain('huggingface.co');
    expect(c.spec).toEqual({ kind: 'webllm', modelId: c.modelId, mode: 'logits' });
    expect(c.poolCap).toBeNull();
    expect(c.task).toBe('builtin-math'); // the first-visit demo's task
  });

  it('is llama.cpp on the CPU, the smallest base model of its list, without WebGPU, on a software adapter or without shader-f16', () => {
    for (const cap of [null, gpu({ usable: false, verdict: 'unavailable' }), gpu({ verdict: 'software' }), gpu({ shaderF16: false })]) {
      const c = chooseRealModel(cap);
      expect(c.backend).toBe('wllama');
      expect(c.modelId).toBe('smollm2-135m-q4'); // Q4_0: the quantization that reads fastest in the browser
      expect(c.bytes).toBe(ggufModels[0].bytes);
      expect(c.hosts).toEqual(['huggingface.co']);
      expect(c.spec).toEqual({ kind: 'wllama', modelId: 'smollm2-135m-q4', name: 'SmolLM2 135M', device: 'cpu' });
      expect(c.task).toBe('builtin-factual'); // the shortest items: a step takes minutes there, not hours
    }
    // a mirror the person named on the set-up screen is the host it says it downloads from
    expect(chooseRealModel(null, 'http://127.0.0.1:8123').hosts).toEqual(['127.0.0.1:8123']);
    expect(chooseRealModel(gpu({ shaderF16: false })).why).toMatch(/shader-f16/);
    expect(chooseRealModel(gpu({ verdict: 'software' })).why).toMatch(/software/);
  });

  it('starts a run whose pool fits the context, and on the CPU stays small enough to step in minutes', () => {
    const cpu = chooseRealModel(null);
    const budget: PoolBudget = { maxItems: 90, contextWindow: 8192, fixedTokens: 10, allTokens: 30_000, fitsAll: false, exact: false };
    const r = realRunConfig(cpu, budget);
    expect(r.config.poolSize).toBe(CPU_POOL_CAP);
    expect(r.reason).toMatch(/90 fit SmolLM2 135M's context/);
    const onGpu = realRunConfig(chooseRealModel(gpu({}), undefined, false), { ...budget, maxItems: 30 });
    expect(onGpu.config.poolSize).toBe(30);
    expect(onGpu.reason).toMatch(/30 items of this task fit/);
    const tight = realRunConfig(cpu, { ...budget, maxItems: 6 });
    expect(tight.config.poolSize).toBe(6);
  });
});
