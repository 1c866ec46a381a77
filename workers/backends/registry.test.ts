// A backend added through the registry alone: the test kind's folder (test-kind/: its spec, its
// descriptor, its Backend), and the host runs ICM on it through the worker protocol.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { builtinDatasets } from '../../src/lib/data/builtin/index';
import { defaultConfig } from '../../src/lib/icm/config';
import { hostHarness } from '../test-harness';
import { wordsBackend } from './test-kind/index';

describe('a backend added through the registry', () => {
  it('validates its spec, refuses a pool beyond its window, and runs ICM through the worker protocol', async () => {
    const backend = wordsBackend();
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

    // a backup of it is read back by an app that has the kind, with its steps; one that lacks it refuses the file
    const backup = (await h.send({ kind: 'exportProject' })).text;
    const other = hostHarness({ dbName: 'registry-test-restore', builtins: () => builtins, extraBackends: [wordsBackend()] });
    await other.send({ kind: 'init' });
    const restored = await other.send({ kind: 'importProject', text: backup });
    expect(restored.ok ? [] : restored.errors).toEqual([]);
    await other.send({ kind: 'openRun', runId });
    const reopened = other.view(runId);
    expect(reopened.run).toMatchObject({ model: { kind: 'words', lean: 1 }, status: 'done', figures: { iteration: 12 } });
    expect(reopened.steps).toHaveLength(12);
    const without = hostHarness({ dbName: 'registry-test-without', builtins: () => builtins });
    await without.send({ kind: 'init' });
    const refused = await without.send({ kind: 'importProject', text: backup });
    expect(refused.ok ? [] : refused.errors.join('\n')).toMatch(/runs\[0\]\.model/);
  });
});
