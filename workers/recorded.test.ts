// The shipped recording of a real model's run, opened through the worker's protocol: stored once as
// a finished run, its log and inspector rebuilt from the built-in items, and never run, reset or
// read from a model here.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { builtinDatasets } from '../src/lib/data/builtin/index';
import { recordings, shownRecording } from '../src/lib/data/recorded/index';
import { parseRecording } from '../src/lib/export/recording';
import { hostHarness } from './test-harness';

const builtins = builtinDatasets();
let dbCount = 0;
const harness = () => hostHarness({ dbName: `recorded-test-${++dbCount}`, builtins: () => builtins });

describe('the recorded real-model run', () => {
  it('matches the built-in task it names, item for item', async () => {
    const parsed = parseRecording(await recordings[shownRecording]());
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const ds = builtins.find((d) => d.id === parsed.value.datasetId);
    expect(ds).toBeDefined();
    const ids = new Set(ds?.items.map((it) => it.id));
    expect(parsed.value.items.filter((id) => !ids.has(id))).toEqual([]); // else: npm run record-real
  });

  it('opens as a finished run with its whole log, once, and nothing runs, resets or labels with it', async () => {
    const h = harness();
    await h.send({ kind: 'init' });
    const { run } = await h.send({ kind: 'openRecording', recordingId: shownRecording });
    expect(run.id).toBe(`recorded-${shownRecording}`);
    expect(run.status).toBe('done');
    expect(run.model.kind).toBe('recorded');
    expect(run.figures.iteration).toBe(run.config.iterations);

    const again = await h.send({ kind: 'openRecording', recordingId: shownRecording });
    expect(again.run.id).toBe(run.id);
    expect((await h.send({ kind: 'init' })).runs.filter((r) => r.id === run.id)).toHaveLength(1);

    await h.send({ kind: 'openRun', runId: run.id });
    const view = h.view(run.id);
    expect(view.init).not.toBeNull();
    expect(view.steps.map((s) => s.iteration)).toEqual(Array.from({ length: run.config.iterations }, (_, k) => k + 1));

    // the inspector's text read, rebuilt from the dataset: the task line, then the item
    const detail = await h.send({ kind: 'stepDetail', runId: run.id, iteration: run.config.iterations });
    expect(detail.read).toContain('Is this answer to the question correct?');
    expect(detail.read).toMatch(/I think this claim is$/);

    await expect(h.send({ kind: 'reset', runId: run.id })).rejects.toThrow(/recorded on .* replays from its log/);
    await expect(h.send({ kind: 'labelRest', runId: run.id })).rejects.toThrow(/replays from its log/);
    await h.send({ kind: 'play', runId: run.id }); // a finished run: nothing to play
    expect(h.view(run.id).run.status).toBe('done');
    const created = await h.send({ kind: 'createRun', datasetId: run.datasetId, config: run.config, model: run.model });
    expect(created.ok).toBe(false);
  });

  it('names a recording the app does not have', async () => {
    const h = harness();
    await h.send({ kind: 'init' });
    await expect(h.send({ kind: 'openRecording', recordingId: 'gpt-5-math' })).rejects.toThrow(/no recorded run "gpt-5-math"/);
  });
});
