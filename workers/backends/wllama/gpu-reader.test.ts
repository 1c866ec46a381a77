import { describe, expect, it } from 'vitest';
import { factualDataset } from '../../../src/lib/data/builtin/factual';
import type { Segment } from '../../../src/lib/icm/model';
import type { CompletionBody } from '../../../src/lib/server/request';
import { gpuSupport } from './gpu-engine';
import { createGpuModel } from './gpu-reader';

const ds = factualDataset();
const items = ds.items.slice(0, 8);
const demo = (item: number, label: boolean): Segment => ({ item, read: true, label });
const target = (item: number): Segment => ({ item, read: true, label: null });

/** wllama 3's completion as llama-server answers it: one prompt cache (the last prompt), a token per
 *  4 characters, and " True" likelier the more often "True" appears in the prompt. */
class FakeCompletions {
  last = '';
  prompts: string[] = [];
  async createCompletion(req: CompletionBody): Promise<unknown> {
    this.prompts.push(req.prompt);
    let shared = 0;
    while (shared < Math.min(this.last.length, req.prompt.length) && this.last[shared] === req.prompt[shared]) shared++;
    this.last = req.prompt;
    const trues = req.prompt.split('True').length - 1;
    const pTrue = 1 / (1 + Math.exp(-(trues - 1)));
    const top = [
      { id: 1, token: ' True', bytes: [], logprob: Math.log(0.9 * pTrue) },
      { id: 2, token: ' False', bytes: [], logprob: Math.log(0.9 * (1 - pTrue)) },
    ].slice(0, req.logprobs);
    return {
      choices: [{ text: top[0].token, index: 0, logprobs: { content: [{ ...top[0], top_logprobs: top }] }, finish_reason: 'length' }],
      usage: { prompt_tokens: Math.ceil(req.prompt.length / 4), completion_tokens: 1 },
      timings: { cache_n: Math.floor(shared / 4), prompt_n: Math.ceil(req.prompt.length / 4) - Math.floor(shared / 4) },
    };
  }
}

describe('llama.cpp\'s WebGPU build read through its completions', () => {
  it('reads each point in order, one prompt extending the last, and counts what the prompt cache computed', async () => {
    const engine = new FakeCompletions();
    const model = createGpuModel(engine, ds.kind, items, { contextWindow: 4096, description: ds.description, modelName: 'SmolLM2' });
    const seq = [demo(0, true), demo(1, true), target(2), target(3)];
    const out = await model.readSequence(seq);
    expect(out.reads.map((r) => r.item)).toEqual([0, 1, 2, 3]);
    for (let k = 1; k < engine.prompts.length; k++) expect(engine.prompts[k].startsWith(engine.prompts[k - 1])).toBe(true);
    // two Trues before item 2's read: log-odds 1 (p = 0.73); the reader sums what the top-k spells
    expect(out.reads[2].logTrue - out.reads[2].logFalse).toBeCloseTo(1, 5);
    expect(out.tokens).toBe(Math.ceil(engine.prompts[3].length / 4));
    expect(out.computed).toBeLessThan(out.tokens * 1.1); // each read computes only what it adds
    expect(model.cachedPrefix(seq)).toBeGreaterThan(0); // the cache holds this sequence now
    const sent = engine.prompts.length;
    const again = await model.readSequence(seq); // read before: answered from the memo, nothing sent
    expect(again).toEqual({ ...out, computed: 0 });
    expect(engine.prompts.length).toBe(sent);
    const next = await model.readSequence([demo(0, true), demo(1, true), target(4)]);
    expect(next.computed).toBeLessThan(next.tokens / 2); // the shared demonstrations come from the prompt cache
    expect(model.warnings()).toEqual([]);
  });

  it('bounds a label outside the top-k and says so; a sequence longer than the context is refused with what to do', async () => {
    const engine = new FakeCompletions();
    const model = createGpuModel(engine, ds.kind, items, { contextWindow: 4096, topK: 1 });
    await model.readSequence([demo(0, true), target(1)]);
    expect(model.warnings()[0]).toMatch(/^In 2 of 2 reads a label was not among the model's top 1 tokens/);
    const small = createGpuModel(new FakeCompletions(), ds.kind, items, { contextWindow: 10, modelName: 'SmolLM2' });
    await expect(small.readSequence([demo(0, true), target(1)])).rejects.toThrow(/loaded with a context of 10. Lower the pool size/);
    // llama.cpp refusing the prompt itself (its server checks first)
    const refusing = { createCompletion: () => Promise.reject(new Error('the request exceeds the available context size')) };
    await expect(createGpuModel(refusing, ds.kind, items, { contextWindow: 512, modelName: 'SmolLM2' }).readSequence([target(1)])).rejects.toThrow(
      'A sequence is longer than the 512-token context SmolLM2 was loaded with (llama.cpp: the request exceeds the available context size). Lower the pool size',
    );
  });

  it('cancel() stops a sequence at its next read point; later reads go out', async () => {
    const engine = new FakeCompletions();
    const model = createGpuModel(engine, ds.kind, items, { contextWindow: 4096 });
    const p = model.readSequence([target(0), target(1), target(2)]);
    model.cancel();
    await expect(p).rejects.toThrow('Reading was cancelled.');
    expect((await model.readSequence([target(0)])).reads).toHaveLength(1);
  });
});

describe('where llama.cpp\'s WebGPU backend can run', () => {
  const gpu = (features: string[], fallback = false) => ({ requestAdapter: async () => ({ features: new Set(features), info: { isFallbackAdapter: fallback } }) });
  it('a GPU with shader-f16 in a browser with JSPI and 64-bit memory', async () => {
    expect(await gpuSupport({ gpu: gpu(['shader-f16']), jspi: true, mem64: true })).toMatchObject({ gpu: true, runs: true });
  });
  it('says why not: no JSPI, no WebGPU, no adapter, no shader-f16 (a software GPU)', async () => {
    expect(await gpuSupport({ gpu: gpu(['shader-f16']), jspi: false, mem64: true })).toMatchObject({ gpu: false, runs: false, why: expect.stringMatching(/JSPI/) });
    expect(await gpuSupport({ gpu: undefined, jspi: true, mem64: true })).toMatchObject({ runs: true, why: expect.stringMatching(/no WebGPU/) });
    expect(await gpuSupport({ gpu: { requestAdapter: async () => null }, jspi: true, mem64: true })).toMatchObject({ gpu: false, why: 'WebGPU found no GPU.' });
    expect(await gpuSupport({ gpu: gpu([], true), jspi: true, mem64: true })).toEqual({ gpu: false, runs: true, why: "The GPU (a software one) lacks shader-f16, which llama.cpp's WebGPU backend requires." });
  });
});
