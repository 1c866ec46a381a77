import { describe, expect, it } from 'vitest';
import { onLoadedEngine, type EngineModel } from './backend';

/** A model that says which build it came from in every read (as its token count). */
const fakeModel = (build: number): EngineModel => ({
  readSequence: async () => ({ reads: [], tokens: build, computed: build }),
  contextWindow: 100 + build,
  warnings: () => [`build ${build}`],
  cancel: () => undefined,
});

describe('onLoadedEngine', () => {
  it('reads from the model it built until another load replaces the engine, then builds it again once', async () => {
    const loader = { generation: 0 };
    let builds = 0;
    const model = await onLoadedEngine(
      loader,
      async () => {
        loader.generation = Math.max(loader.generation, 1); // the first build loads the engine, as a real one does
        const m = fakeModel(++builds);
        return { model: m, tokenCounts: () => ({ items: [builds], fixed: 0 }) };
      },
      true,
    );
    const seg = [{ item: 0, label: null, read: true }];
    expect((await model.readSequence(seg)).tokens).toBe(1); // the load inside the first build does not count as another
    expect(builds).toBe(1);
    loader.generation = 2; // the page loaded another model
    expect((await model.readSequence(seg)).tokens).toBe(2);
    expect((await model.readSequence(seg)).tokens).toBe(2);
    expect(builds).toBe(2);
    expect(model.warnings()).toEqual(['build 2']);
    expect(model.tokenCounts()).toEqual({ items: [2], fixed: 0 });
    expect(model.cachedPrefix).toBeDefined(); // asked how much of a prompt it holds: it has a prefix cache
  });
});
