// The web-llm backend through its loader and open(), against the fake web-llm module.
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/lib/data/types';
import { ToyTokenizer } from '../../../src/lib/model/test-tokenizers';
import { items, segments } from '../test-fixtures';
import { FakeRuntime, fakeRecord, type LoadScript } from './fake';
import { webllmBackend } from './index';
import type { WebLLMLoader } from './loader';

const tok = new ToyTokenizer(['Question:', ' True', ' False', '\n\n', 'I', ' think', ' this', ' claim', ' is', '<s>']);
const vocab = tok.vocab.length + 5;
const id = fakeRecord.model_id;
const dataset: Dataset = { id: 'd', name: 'Claims', kind: 'math', description: '', items };
const spec = { kind: 'webllm' as const, modelId: id, mode: 'logits' as const };

function setup(script: LoadScript = {}) {
  const rt = new FakeRuntime(script, tok, vocab);
  const backend = webllmBackend({ progress: () => {} }, { runtime: async () => rt, load: { cancelGraceMs: 50 } });
  if (backend.needs.kind !== 'load') throw new Error('web-llm loads its models');
  return { rt, backend, loader: backend.needs.loader as WebLLMLoader };
}

describe('WebLLMLoader', () => {
  it('after the GPU device is lost, Load again really reloads and the run reads again', async () => {
    const { rt, backend, loader } = setup();
    await loader.load(id);
    const model = await backend.open(spec, dataset, [0, 1, 2, 3]);
    const before = await model.readSequence(segments);

    rt.engines[0].loseDevice(); // web-llm's device.lost handler unloads the engine
    await expect(model.readSequence(segments)).rejects.toMatchObject({ name: 'ModelNotLoaded' });

    await loader.load(id);
    expect(rt.engines).toHaveLength(2); // a fresh engine, not the dead one
    await expect(model.readSequence(segments)).resolves.toEqual(before);
  });

  it('deleting a model keeps a wasm that another cached model runs, and drops the weights its -1k variant shares', async () => {
    const { rt, loader } = setup();
    const lib = 'https://example.test/shared.wasm';
    rt.prebuiltAppConfig = {
      model_list: [
        { ...fakeRecord, model_id: 'A-MLC', model: 'https://example.test/A', model_lib: lib },
        { ...fakeRecord, model_id: 'A-MLC-1k', model: 'https://example.test/A', model_lib: lib },
        { ...fakeRecord, model_id: 'B-MLC', model: 'https://example.test/B', model_lib: lib },
      ],
    };
    for (const f of ['A/params_shard_0.bin', 'A/tokenizer.json', 'A/mlc-chat-config.json', 'B/params_shard_0.bin', 'shared.wasm']) rt.files.add(`https://example.test/${f}`);
    await loader.remove('A-MLC');
    expect([...rt.files].sort()).toEqual(['https://example.test/B/params_shard_0.bin', 'https://example.test/shared.wasm']);
    expect(await loader.cached(['A-MLC', 'A-MLC-1k', 'B-MLC'])).toEqual({ 'A-MLC': false, 'A-MLC-1k': false, 'B-MLC': true });
    await loader.remove('B-MLC'); // the last model that runs it: the wasm goes too
    expect(rt.files.size).toBe(0);
  });

  it('each part of a delete runs on its own and in bounded time, and a part that fails is named', async () => {
    const rt = new FakeRuntime({}, tok, vocab);
    const backend = webllmBackend({ progress: () => {} }, { runtime: async () => rt, deleteMs: 50 });
    if (backend.needs.kind !== 'load') throw new Error('web-llm loads its models');
    rt.deleteModelInCache = () => new Promise(() => {}); // the weights' index is not cached: web-llm fetches it, and the host never answers
    // bounded by its own timer (deleteMs), which fires before a 2 s one however busy the machine
    const outcome = await Promise.race([
      backend.needs.loader.remove(id).then(() => null, (e: unknown) => e),
      new Promise((r) => setTimeout(() => r('still waiting after 2 s'), 2000)),
    ]);
    expect(outcome).toMatchObject({ name: 'DeleteFailed', message: expect.stringMatching(/left its weights and tokenizer \(no answer after/) });
    expect(rt.deleted).toEqual([`config:${id}`, `wasm:${id}`]); // the other parts went anyway
  });
});

describe('the web-llm pool budget', () => {
  it('is estimated from the catalog before the model is loaded, and counted with its tokenizer after', async () => {
    const { rt, backend, loader } = setup();
    const qwen = { kind: 'webllm' as const, modelId: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', mode: 'logits' as const };
    expect(backend.poolBudget?.(qwen, dataset)).toMatchObject({ contextWindow: 4096, exact: false, maxItems: 4 });
    expect(backend.poolBudget?.(spec, dataset)).toBeNull(); // a model the catalog does not list, not loaded
    expect(rt.engines).toHaveLength(0); // nothing was loaded to answer
    await loader.load(id);
    expect(backend.poolBudget?.(spec, dataset)).toMatchObject({ contextWindow: 4096, exact: true, maxItems: 4 });
  });
});
