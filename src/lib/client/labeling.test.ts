// The labeling screens' state driven against the real worker host (in Node, fake IndexedDB):
// import with a mapping and preview, review decisions with undo, label the rest with a stop,
// baselines, export, and the project backup into a fresh store.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createHost } from '../../../workers/host';
import { builtinDatasets } from '../data/builtin/index';
import { defaultConfig } from '../icm/config';
import { defaultSimulatedParams } from '../model/params';
import type { ErrorInfo, EventMessage, ReplyMap, Request, RequestKind, WorkerMessage } from '../protocol';
import type { Client } from './client';
import { LabelingState } from './labeling.svelte';

let dbs = 0;

/** A Client whose worker is the host itself, in this thread. */
class HostClient implements Client {
  sent: Request[] = [];
  #next = 0;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #events = new Set<(e: EventMessage) => void>();
  #host = createHost((m) => this.#receive(m), { dbName: `labeling-client-${++dbs}`, builtins: () => builtinDatasets().slice(0, 1) });

  request<K extends RequestKind>(req: Extract<Request, { kind: K }>): Promise<ReplyMap[K]> {
    this.sent.push(req);
    const id = ++this.#next;
    return new Promise<ReplyMap[K]>((resolve, reject) => {
      this.#pending.set(id, { resolve: (v) => resolve(v as ReplyMap[K]), reject });
      // a real worker gets a structured clone; Node cannot clone a File, and the host does not keep the request
      void this.#host.handle({ ...req, id });
    });
  }
  onEvent(fn: (e: EventMessage) => void) {
    this.#events.add(fn);
    return () => this.#events.delete(fn);
  }
  onCrash(_fn: (e: ErrorInfo) => void) {
    return () => {};
  }
  restart() {}

  #receive(m: WorkerMessage) {
    if (!('id' in m)) {
      for (const fn of this.#events) fn(m);
      return;
    }
    const p = this.#pending.get(m.id);
    this.#pending.delete(m.id);
    if (m.ok) p?.resolve(m.value);
    else p?.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
  }
}

// 40 questions, 3 answers each; quoted newlines, mixed gold spellings, names the guess does not know
function csv(): File {
  const lines = ['\uFEFFitem,problem,proposed,final,qid,verdict'];
  const spell = [['true', 'True', '1', 'yes'], ['false', 'FALSE', '0', 'no']];
  for (let q = 0; q < 40; q++)
    for (let a = 0; a < 3; a++) {
      const right = a === 0;
      const answer = q + a + (right ? 0 : 1);
      lines.push(`q${q}a${a},"What is ${q} + ${a === 0 ? 0 : 0}?\nShow the work.","${q} + 0 = ${answer}",${answer},q${q},${spell[right ? 0 : 1][(q + a) % 4]}`);
    }
  return new File([lines.join('\r\n')], 'sums.csv', { type: 'text/csv' });
}

function setup() {
  const client = new HostClient();
  const saved: string[] = [];
  let reloaded = 0;
  const labeling = new LabelingState(client, { datasetSaved: (ds) => void saved.push(ds.id), projectImported: async () => void reloaded++ });
  client.onEvent((e) => labeling.onEvent(e));
  return { client, labeling, saved, reloaded: () => reloaded };
}

describe('the labeling screens\' state', () => {
  it('imports with a mapping, reviews with undo, labels the rest, compares, exports and restores', async () => {
    const { client, labeling, saved } = setup();
    await client.request({ kind: 'init' });

    const flow = labeling.imports;
    await flow.choose(csv());
    expect(flow.phase).toBe('mapping');
    expect(flow.draft?.rows).toBe(120);
    expect(flow.mappingOk).toBe(false); // no claim column guessed
    expect(flow.mappingErrors.claim).toMatch(/Choose the column/);
    flow.setKind('math');
    Object.assign(flow.mapping, { claim: 'proposed', group: 'qid', key: { kind: 'column', column: 'final' }, gold: 'verdict', id: 'item' });
    expect(flow.mappingOk).toBe(true);
    flow.previewRow = 2;
    await flow.refreshPreview();
    expect(flow.preview).toEqual({ ok: true, text: 'Question: What is 0 + 0?\nShow the work.\nClaim: 0 + 0 = 2\nI think this claim is' });
    flow.name = 'Sums';
    await flow.save();
    expect(flow.phase).toBe('saved');
    expect(flow.saved?.dataset).toMatchObject({ name: 'Sums', items: 120, groups: 40, hasGold: true });
    const datasetId = flow.saved?.dataset.id ?? '';
    expect(saved).toEqual([datasetId]);

    const created = await client.request({ kind: 'createRun', datasetId, config: { ...defaultConfig, poolSize: 30, iterations: 60 }, model: { kind: 'simulated', params: defaultSimulatedParams } });
    if (!created.ok) throw new Error('no run');
    const runId = created.run.id;
    for (let i = 0; i < 60; i++) await client.request({ kind: 'step', runId });

    const review = labeling.openReview(runId, datasetId);
    await review.load();
    expect(review.rows).toHaveLength(120);
    expect(review.unlabeled).toBe(90);

    // label the rest, stopped part way by a progress event, then resumed
    let stopAsked = false;
    const off = client.onEvent((e) => {
      if (e.kind === 'labelingProgress' && e.done >= 20 && !stopAsked) {
        stopAsked = true;
        void review.stopRest();
      }
    });
    await review.labelRest();
    off();
    expect(review.rest?.done).toBeLessThan(90);
    expect(review.fromRest).toBeGreaterThan(0);
    expect(review.unlabeled).toBeGreaterThan(0);
    await review.labelRest();
    expect(review.unlabeled).toBe(0);
    expect(review.rest).toEqual({ done: 90, total: 90 });

    // decisions: flip the first row, accept the second, undo the accept
    review.select(0);
    const first = review.rows[0];
    review.flip();
    expect(review.cursor).toBe(1);
    review.accept();
    expect(review.rows[1].provenance).toBe('human');
    review.undo();
    expect(review.cursor).toBe(1);
    expect(review.rows[1].provenance).not.toBe('human');
    await review.settled();
    await review.load();
    expect(review.rows[0]).toMatchObject({ label: !first.label, provenance: 'human' });
    expect(review.rows[1].provenance).not.toBe('human');
    expect(review.human).toBe(1);

    // a filter keeps the selected row selected
    review.setQuery({ provenance: 'human' });
    expect(review.view).toEqual([0]);
    review.setQuery({ provenance: 'all', sort: 'confidence' });
    expect(review.view[review.view.length - 1]).toBe(0); // a person's label has no confidence: last

    await review.runBaselines();
    expect(review.report?.comparison.methods.map((m) => m.name)[0]).toBe('ICM');
    expect(review.methods.length).toBeGreaterThan(0);
    expect(Object.keys(review.baselineProgress).length).toBe(review.methods.length);

    const file = await review.exportRun('labels-csv');
    expect(file?.text).toMatch(/^id,group,key,question,claim,label,confidence,provenance/);
    expect(file?.text.split(/\r?\n/).filter((l) => l.endsWith(',human'))).toHaveLength(1);
    expect(await review.exportRun('preference')).toBeNull();
    expect(review.error?.message).toMatch(/comparison/);

    const project = await labeling.exportProject();
    const other = setup();
    await other.client.request({ kind: 'init' });
    await other.labeling.importProject(new File([project?.text ?? ''], 'project.json'));
    expect(other.labeling.projectResult).toMatchObject({ ok: true, datasetsAdded: 1, datasetsHere: 1, runs: 1 });
    expect(other.reloaded()).toBe(1);
    const restored = other.labeling.openReview(runId, datasetId);
    await restored.load();
    expect(restored.rows.map((r) => [r.label, r.provenance])).toEqual(review.rows.map((r) => [r.label, r.provenance]));
  }, 60_000);

  it('a bad file or a bad row names the row and field, and nothing is saved', async () => {
    const { client, labeling } = setup();
    await client.request({ kind: 'init' });
    const flow = labeling.imports;
    await flow.choose(new File(['question,answer,label\nq1,a1,true\nq2,a2\n'], 'short.csv'));
    expect(flow.phase).toBe('choose');
    expect(flow.errors[0]).toMatchObject({ row: 2, field: 'label' });

    await flow.choose(new File(['question,answer,label\nq1,a1,true\nq2,a2,maybe\n'], 'bad.csv'));
    expect(flow.phase).toBe('mapping');
    expect(flow.mapping.gold).toBeNull(); // not guessed: "maybe" is no label
    flow.mapping.gold = 'label';
    await flow.save();
    expect(flow.phase).toBe('mapping');
    expect(flow.errors[0]).toMatchObject({ row: 2, field: 'label' });
    expect(flow.errors[0].message).toMatch(/Row 2.*"label"/);

    await flow.choose(new File(['x'], 'notes.txt'));
    expect(flow.errors[0].message).toMatch(/not a CSV, TSV, JSON or JSONL/);
    expect((await client.request({ kind: 'init' })).datasets).toHaveLength(1);
  });

  it('the paper\'s factual layout maps as-is, with answers that do not exclude each other', async () => {
    const { client, labeling } = setup();
    await client.request({ kind: 'init' });
    const rows = [
      { question: 'Q1', choice: 'A', label: 1, consistency_id: 0 },
      { question: 'Q1', choice: 'B', label: 0, consistency_id: 0 },
    ];
    await labeling.imports.choose(new File([JSON.stringify(rows)], 'truthfulqa.json'));
    expect(labeling.imports.draft?.guess.paperLayout).toBe(true);
    expect(labeling.imports.exclusive).toBe(false);
    expect(labeling.imports.mappingOk).toBe(true);
  });
});
