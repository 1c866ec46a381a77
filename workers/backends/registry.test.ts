// A backend added through the registry alone: its spec (by declaration merging) and its Backend
// live in this file, and the host runs ICM on it through the worker protocol.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { builtinDatasets } from '../../src/lib/data/builtin/index';
import { sequenceText } from '../../src/lib/data/prompt';
import { defaultConfig } from '../../src/lib/icm/config';
import type { LabelRead, Segment } from '../../src/lib/icm/model';
import type { Dataset } from '../../src/lib/data/types';
import { hostHarness } from '../test-harness';
import type { Backend } from './backend';

interface WordSpec {
  kind: 'words';
  lean: number; // log-odds toward True of a claim with an even number of words
}

declare module '../../src/lib/model/params' {
  interface ModelSpecs {
    words: WordSpec;
  }
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** A toy model: one token a word, a 900-token window, and a one-prompt prefix cache. */
function wordBackend(): Backend<'words'> & { computed: number; read: number } {
  const backend = {
    kind: 'words' as const,
    needs: { kind: 'nothing' } as const,
    computed: 0,
    read: 0,
    validate: (spec: WordSpec) => (Number.isFinite(spec.lean) ? {} : { lean: 'Lean must be a number.' }),
    async open(spec: WordSpec, dataset: Dataset, indices: number[]) {
      const items = indices.map((d) => dataset.items[d]);
      let previous: string[] = [];
      return {
        contextWindow: 900,
        prefixCache: true,
        tokenCounts: () => ({ items: items.map((it) => words(`${it.question} ${it.claim} I think this claim is True`).length), fixed: 0 }),
        warnings: () => ['Word counts stand in for tokens.'],
        cancel: () => undefined,
        async readSequence(segments: Segment[]) {
          const seq = sequenceText(dataset.kind, items, segments);
          const tokens = words(seq.text);
          let shared = 0;
          while (shared < Math.min(tokens.length, previous.length) && tokens[shared] === previous[shared]) shared++;
          previous = tokens;
          const reads: LabelRead[] = seq.reads.map((r) => {
            const even = words(items[r.item].claim).length % 2 === 0;
            return { item: r.item, logTrue: even ? spec.lean : -spec.lean, logFalse: 0 };
          });
          backend.computed += tokens.length - shared;
          backend.read += tokens.length;
          return { reads, tokens: tokens.length, computed: tokens.length - shared };
        },
      };
    },
  };
  return backend;
}

describe('a backend added through the registry', () => {
  it('validates its spec, refuses a pool beyond its window, and runs ICM through the worker protocol', async () => {
    const backend = wordBackend();
    const builtins = builtinDatasets();
    const h = hostHarness({ dbName: 'registry-test', builtins: () => builtins, extraBackends: [backend] });
    await h.send({ kind: 'init' });
    const datasetId = builtins[1].id;
    const config = { ...defaultConfig, poolSize: 16, iterations: 12, seed: 3 };

    const bad = await h.send({ kind: 'createRun', datasetId, config, model: { kind: 'words', lean: Number.NaN } });
    expect(bad).toEqual({ ok: false, errors: { lean: 'Lean must be a number.' } });
    const tooBig = await h.send({ kind: 'createRun', datasetId, config: { ...config, poolSize: 200 }, model: { kind: 'words', lean: 1 } });
    expect(tooBig.ok ? '' : tooBig.errors.poolSize).toMatch(/does not fit this model's context window of 900 tokens/);

    const created = await h.send({ kind: 'createRun', datasetId, config, model: { kind: 'words', lean: 1 } });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const runId = created.run.id;
    await h.send({ kind: 'play', runId });
    await h.host.idle();
    const last = h.updates().at(-1);
    expect(last?.run).toMatchObject({ status: 'done', figures: { iteration: 12 } });
    expect(h.view(runId).tokens).toBe(backend.read);
    expect(last?.run.figures.speed?.warnings).toEqual(['Word counts stand in for tokens.']);
    expect(backend.computed).toBeGreaterThan(0);
    expect(backend.computed).toBeLessThan(backend.read); // consecutive prompts share their demonstrations
    const labels = last?.labels.labels.filter((l) => l !== null) ?? [];
    expect(labels.length).toBeGreaterThanOrEqual(8);
  });
});
