// A model kind added in its folder alone reaches the page: the test kind (test-kind/: its spec, its
// descriptor, its settings) is passed beside the app's kinds, as the worker's registry test passes
// its backend, and the set-up form offers it, shows its settings, checks its spec, picks its plan,
// and a backup of a run of it is read back. registry.test.ts runs it through the worker.
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import { ModelState } from '../../src/lib/client/models.svelte';
import type { Client } from '../../src/lib/client/client';
import { defaultConfig } from '../../src/lib/icm/config';
import { PROJECT_FORMAT, PROJECT_VERSION, parseProject, type ProjectFile } from '../../src/lib/export/project';
import { builtinDatasets } from '../../src/lib/data/builtin/index';
import type { RunRecord } from '../../src/lib/store/schema';
import ModelSection from '../../src/ui/setup/ModelSection.svelte';
import { SetupDraft } from '../../src/ui/setup/setup-draft.svelte';
import { defaultPlan, kindOf, modelKinds } from './kinds';
import { kindSettings } from './settings';
import WordsSettings from './test-kind/Settings.svelte';
import { wordsKind } from './test-kind/kind';

const kinds = { ...modelKinds, words: wordsKind };
const settings = { ...kindSettings, words: WordsSettings };

/** A worker client that is never asked anything: the form's model section only reads the GPU check. */
const idleClient: Client = {
  request: () => Promise.reject(new Error('not asked in this test')),
  onEvent: () => () => undefined,
  onCrash: () => () => undefined,
  restart: () => undefined,
};

describe('a model kind added in its folder', () => {
  it('is offered on the set-up form with its own settings, and the form checks its spec', () => {
    const draft = new SetupDraft(() => null, undefined, kinds);
    expect(draft.offered.map((d) => d.kind)).toEqual(['simulated', 'webllm', 'wllama', 'server', 'words']); // recorded runs are only replayed
    draft.datasetId = 'builtin-math';
    draft.modelKind = 'words';
    expect(draft.model).toEqual({ kind: 'words', lean: 1 });
    expect(draft.errors).toEqual({});
    expect([draft.config.plan, draft.config.blocks]).toEqual([defaultPlan('words', kinds).plan, defaultPlan('words', kinds).blocks]);
    expect(draft.config.plan).toBe('treeBlocks'); // it keeps a prefix cache, so it reads through the prefix tree

    draft.specs.words.lean = Number.NaN;
    expect(draft.errors).toEqual({ lean: 'Lean must be a number.' });
    expect(draft.valid).toBe(false);

    const models = new ModelState(idleClient, { restartWorker: () => undefined });
    const { body } = render(ModelSection, { props: { draft, models, settings } });
    expect(body).toContain('Word counter (a test kind)');
    expect(body).toContain('data-testid="choice-words"');
    expect(body).toMatch(/<input[^>]*name="lean"/); // its settings, shown because it is the chosen kind
    expect(body).not.toContain('data-testid="choice-recorded"');
  });

  it('is read back from a project backup, and a backup naming a kind the app does not know says so', () => {
    const dataset = builtinDatasets()[1];
    const run: RunRecord = {
      id: 'r1', name: 'Words', datasetId: dataset.id, createdAt: 1, status: 'ready',
      config: { ...defaultConfig, poolSize: 10 }, model: { kind: 'words', lean: 0.5 }, pool: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], state: null, error: null,
    };
    const file: ProjectFile = { format: PROJECT_FORMAT, version: PROJECT_VERSION, exportedAt: 1, datasets: [dataset], runs: [run], steps: [], inits: [], overrides: [], labelTheRest: [] };
    const text = JSON.stringify(file);

    const read = parseProject(text, kinds);
    expect(read.ok ? read.project.runs[0].model : read.errors).toEqual({ kind: 'words', lean: 0.5 });

    const bad = parseProject(JSON.stringify({ ...file, runs: [{ ...run, model: { kind: 'words', lean: 'much' } }] }), kinds);
    expect(bad.ok ? [] : bad.errors.join('\n')).toMatch(/runs\[0\]\.model\.lean/);

    const unknown = parseProject(text); // the app's own kinds only
    expect(unknown.ok ? [] : unknown.errors.join('\n')).toMatch(/runs\[0\]\.model/);
    expect(() => kindOf('words')).toThrow(/knows no "words" models/);
  });
});
