// The web-llm backend through its loader and open(), against the fake web-llm module.
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/lib/data/types';
import { ToyTokenizer } from '../../../src/lib/webllm/test-tokenizers';
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
});
