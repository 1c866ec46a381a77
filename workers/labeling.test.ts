import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { builtinDatasets } from '../src/lib/data/builtin/index';
import { defaultConfig } from '../src/lib/icm/config';
import { defaultSimulatedParams, type ModelSpec } from '../src/lib/model/params';
import { hostHarness } from './test-harness';

let dbCount = 0;
const model: ModelSpec = { kind: 'simulated', params: defaultSimulatedParams };

function harness(dbName = `labeling-test-${++dbCount}`) {
  return { ...hostHarness({ dbName, builtins: () => builtinDatasets().slice(0, 1) }), dbName };
}

// A small claim task written as CSV: 30 questions, 3 answers each, one right; quoted newlines and a BOM.
function csvFile(): File {
  const rows = ['\uFEFFid,question,answer,qid,correct'];
  for (let q = 0; q < 30; q++)
    for (let a = 0; a < 3; a++) rows.push(`q${q}a${a},"What is ${q} + ${a}?\nAnswer briefly.",${q + a + (a === 0 ? 0 : 1)},q${q},${a === 0 ? 'True' : a === 1 ? '0' : 'false'}`);
  return new File([rows.join('\r\n')], 'sums.csv', { type: 'text/csv' });
}

describe('the private-labeling workflow in the worker', () => {
  it('imports, runs, compares with baselines, labels the rest, takes review decisions, exports, and restores a project', async () => {
    const h = harness();
    await h.send({ kind: 'init' });
    const imported = await h.send({ kind: 'importFile', file: csvFile() });
    if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
    const { draft } = imported;
    expect(draft.rows).toBe(90);
    const mapping = { ...draft.guess.mapping, kind: 'math' as const, question: 'question', claim: 'answer', group: 'qid', key: { kind: 'column' as const, column: 'answer' }, gold: 'correct', id: 'id' };
    const preview = await h.send({ kind: 'previewImport', draftId: draft.draftId, mapping, row: 0 });
    expect(preview).toEqual({ ok: true, text: 'Question: What is 0 + 0?\nAnswer briefly.\nClaim: 0\nI think this claim is' });
    const saved = await h.send({ kind: 'saveImport', draftId: draft.draftId, mapping, name: 'Sums', exclusive: true });
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
    expect(saved.dataset).toMatchObject({ items: 90, groups: 30, hasGold: true });

    const created = await h.send({ kind: 'createRun', datasetId: saved.dataset.id, config: { ...defaultConfig, poolSize: 30, iterations: 120 }, model });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const runId = created.run.id;
    for (let i = 0; i < 120; i++) await h.send({ kind: 'step', runId });

    const report = await h.send({ kind: 'baselines', runId });
    expect(report.comparison.methods.map((m) => m.name)).toEqual(['ICM', 'Zero-shot', 'Few-shot, random labels', 'Bootstrapped few-shot', 'Few-shot, gold labels']);
    const icm = report.comparison.methods[0].accuracy;
    expect(icm?.low).toBeLessThanOrEqual(icm?.accuracy ?? 0);
    expect(icm?.high).toBeGreaterThanOrEqual(icm?.accuracy ?? 1);

    const rest = await h.send({ kind: 'labelRest', runId });
    expect(rest).toEqual({ done: 60, total: 60, stopped: false });
    const review = await h.send({ kind: 'review', runId });
    expect(review.rows).toHaveLength(90);
    expect(review.rows.every((r) => r.label !== null)).toBe(true);
    expect(new Set(review.rows.map((r) => r.provenance))).toEqual(new Set(['icm', 'label-the-rest']));

    const target = review.rows[0];
    await h.send({ kind: 'setOverride', datasetId: saved.dataset.id, itemId: target.id, label: !target.label });
    const after = await h.send({ kind: 'review', runId });
    expect(after.rows[0]).toMatchObject({ label: !target.label, provenance: 'human', confidence: null });

    const csv = await h.send({ kind: 'exportRun', runId, format: 'labels-csv' });
    expect(csv.text.split('\n')[0]).toMatch(/^id,/);
    expect(csv.text).toContain('human');
    const sft = await h.send({ kind: 'exportRun', runId, format: 'sft' });
    expect(JSON.parse(sft.text.split('\n')[0])).toHaveProperty('completion');

    // a later run on the same data keeps the person's decision from its first step
    const later = await h.send({ kind: 'createRun', datasetId: saved.dataset.id, config: { ...defaultConfig, poolSize: 90, iterations: 40, seed: 2 }, model });
    if (!later.ok) throw new Error('no run');
    for (let i = 0; i < 40; i++) await h.send({ kind: 'step', runId: later.run.id });
    const opened = await h.send({ kind: 'openRun', runId: later.run.id });
    const k = opened.items.findIndex((it) => it.id === target.id);
    expect(h.view(later.run.id).labels.labels[k]).toBe(!target.label);

    const project = await h.send({ kind: 'exportProject' });
    const fresh = harness();
    await fresh.send({ kind: 'init' });
    expect(await fresh.send({ kind: 'importProject', text: project.text })).toEqual({ ok: true, datasetsAdded: 1, datasetsHere: 1, runs: 2, decisionsAdded: 1, decisionsKept: 0 });
    const restored = await fresh.send({ kind: 'review', runId });
    expect(restored.rows.map((r) => r.label)).toEqual(after.rows.map((r) => r.label));
    // importing twice touches nothing and says why
    const again = await fresh.send({ kind: 'importProject', text: project.text }).catch((e: Error) => e);
    expect(again).toBeInstanceOf(Error);
    expect((again as Error).message).toMatch(/already in this browser/);
  }, 60_000);

  it('restores a backup in the browser that made it, keeping the review decisions made since', async () => {
    const h = harness();
    await h.send({ kind: 'init' });
    const imported = await h.send({ kind: 'importFile', file: csvFile() });
    if (!imported.ok) throw new Error('no draft');
    const mapping = { ...imported.draft.guess.mapping, kind: 'math' as const, question: 'question', claim: 'answer', group: 'qid', key: { kind: 'column' as const, column: 'answer' }, gold: 'correct', id: 'id' };
    const saved = await h.send({ kind: 'saveImport', draftId: imported.draft.draftId, mapping, name: 'Sums', exclusive: true });
    if (!saved.ok) throw new Error('not saved');
    const created = await h.send({ kind: 'createRun', datasetId: saved.dataset.id, config: { ...defaultConfig, poolSize: 30, iterations: 10 }, model });
    if (!created.ok) throw new Error('no run');
    for (let i = 0; i < 3; i++) await h.send({ kind: 'step', runId: created.run.id });
    const ds = saved.dataset.id;
    await h.send({ kind: 'setOverride', datasetId: ds, itemId: 'q0a0', label: true });
    const backup = await h.send({ kind: 'exportProject' });

    // since the backup: the person changed their mind on q0a0, decided q1a0, and the run was lost
    await h.send({ kind: 'setOverride', datasetId: ds, itemId: 'q0a0', label: false });
    await h.send({ kind: 'setOverride', datasetId: ds, itemId: 'q1a0', label: true });
    await h.send({ kind: 'deleteRun', runId: created.run.id });

    const r = await h.send({ kind: 'importProject', text: backup.text });
    expect(r).toEqual({ ok: true, datasetsAdded: 0, datasetsHere: 2, runs: 1, decisionsAdded: 0, decisionsKept: 1 });
    const review = await h.send({ kind: 'review', runId: created.run.id });
    const row = (id: string) => review.rows.find((x) => x.id === id);
    expect(row('q0a0')).toMatchObject({ label: false, provenance: 'human' });
    expect(row('q1a0')).toMatchObject({ label: true, provenance: 'human' });
  });

  it('label the rest labels pool items ICM never labeled too, and Resume after it finds them', async () => {
    const h = harness();
    const { datasets } = await h.send({ kind: 'init' });
    const created = await h.send({ kind: 'createRun', datasetId: datasets[0].id, config: { ...defaultConfig, poolSize: 64, iterations: 4 }, model });
    if (!created.ok) throw new Error('no run');
    for (let i = 0; i < 4; i++) await h.send({ kind: 'step', runId: created.run.id });
    const before = await h.send({ kind: 'review', runId: created.run.id });
    const unlabeled = before.rows.filter((r) => r.label === null).length;
    const total = before.rows.length;
    expect(unlabeled).toBeGreaterThan(total - 64); // a 4-step run leaves pool items unlabeled
    const rest = await h.send({ kind: 'labelRest', runId: created.run.id });
    expect(rest).toEqual({ done: unlabeled, total: unlabeled, stopped: false });
    const after = await h.send({ kind: 'review', runId: created.run.id });
    expect(after.rows.filter((r) => r.label === null)).toEqual([]);

    // a second press finds nothing left and says so as done, not as stopped
    const again = await h.send({ kind: 'labelRest', runId: created.run.id });
    expect(again.stopped).toBe(false);
    expect(again.done).toBe(again.total);
  });

  it('deletes an imported dataset with its runs and review decisions; a built-in one stays', async () => {
    const h = harness();
    await h.send({ kind: 'init' });
    const imported = await h.send({ kind: 'importFile', file: csvFile() });
    if (!imported.ok) throw new Error('no draft');
    const mapping = { ...imported.draft.guess.mapping, kind: 'math' as const, question: 'question', claim: 'answer', group: 'qid', key: { kind: 'column' as const, column: 'answer' }, gold: 'correct', id: 'id' };
    const saved = await h.send({ kind: 'saveImport', draftId: imported.draft.draftId, mapping, name: 'Sums', exclusive: true });
    if (!saved.ok) throw new Error('not saved');
    const created = await h.send({ kind: 'createRun', datasetId: saved.dataset.id, config: { ...defaultConfig, poolSize: 30, iterations: 10 }, model });
    if (!created.ok) throw new Error('no run');
    await h.send({ kind: 'play', runId: created.run.id });
    await h.send({ kind: 'setOverride', datasetId: saved.dataset.id, itemId: 'q0a0', label: true });

    expect(await h.send({ kind: 'deleteDataset', datasetId: saved.dataset.id })).toEqual({ datasetId: saved.dataset.id, runIds: [created.run.id] });
    const after = await h.send({ kind: 'init' });
    expect(after.datasets.map((d) => d.id)).not.toContain(saved.dataset.id);
    expect(after.runs).toEqual([]);
    expect(JSON.parse((await h.send({ kind: 'exportProject' })).text)).toMatchObject({ runs: [], steps: [], overrides: [] });

    const builtin = after.datasets[0].id;
    await expect(h.send({ kind: 'deleteDataset', datasetId: builtin })).rejects.toThrow(/built-in task cannot be deleted/);
  });

  it('a bad file names the row and field, and stores nothing', async () => {
    const h = harness();
    await h.send({ kind: 'init' });
    const bad = new File(['question,answer\n"unclosed,1\n'], 'bad.csv');
    const r = await h.send({ kind: 'importFile', file: bad });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].message).toMatch(/row|line/i);
    const empty = await h.send({ kind: 'importFile', file: new File([''], 'empty.csv') });
    expect(empty.ok).toBe(false);
    expect((await h.send({ kind: 'init' })).datasets).toHaveLength(1);
  });
});
