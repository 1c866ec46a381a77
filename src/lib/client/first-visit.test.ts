import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { builtinDatasets } from '../data/builtin/index';
import { defaultSettings } from '../url/settings';
import { hostHarness } from '../../../workers/test-harness';
import { AppState, type Client } from './app.svelte';
import { readFileSync } from 'node:fs';
import { DEMO_SPEED, FirstVisit, VISITED, type KeyValue } from './first-visit.svelte';
import { count } from '../../ui/format';

const builtins = builtinDatasets();
let dbCount = 0;

/** The app on the real run host (fake IndexedDB, the simulated model), with no worker between. */
function appOnHost() {
  const h = hostHarness({ dbName: `first-visit-${++dbCount}`, builtins: () => builtins });
  const client: Client = { request: (req) => h.send(req), onEvent: h.onEvent, onCrash: () => () => {}, restart: () => {} };
  return { app: new AppState(client, { storage: null }), h };
}

function memoryStorage(): KeyValue & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

const bare = { search: '', hash: '' };

describe('FirstVisit', () => {
  it('on a first visit to the bare address, creates the default run on the simulated model and plays it', async () => {
    const { app } = appOnHost();
    const storage = memoryStorage();
    const visit = new FirstVisit(storage, bare);
    expect(visit.pending).toBe(true);
    await app.start('');
    const hashes: string[] = [];
    await visit.begin(app, (h) => hashes.push(h));
    expect(visit.pending).toBe(false);
    const open = app.open!;
    expect(open.run.id).toBe(visit.runId);
    expect(open.run.datasetId).toBe('builtin-math');
    expect(open.run.model.kind).toBe('simulated');
    expect(open.run.status).toBe('running');
    expect(open.run.stepsPerSecond).toBe(DEMO_SPEED);
    expect(hashes).toEqual([`#run=${open.run.id}`]);
    await app.pause();

    // the next visit is not a first one, and the caption stays with the demo run until dismissed
    const again = new FirstVisit(storage, bare);
    expect(again.pending).toBe(false);
    expect(again.runId).toBe(open.run.id);
    again.dismiss();
    expect(new FirstVisit(storage, bare).runId).toBeNull();
  });

  it('a link with settings or a screen opens what it names', () => {
    expect(new FirstVisit(memoryStorage(), { search: '?seed=3', hash: '' }).pending).toBe(false);
    expect(new FirstVisit(memoryStorage(), { search: '', hash: '#import' }).pending).toBe(false);
    expect(new FirstVisit(null, bare).pending).toBe(false); // no storage: no way to show it only once
  });

  it('a browser that already has runs gets no demo, and is marked as visited', async () => {
    const { app, h } = appOnHost();
    await h.send({ kind: 'init' });
    const s = defaultSettings();
    await h.send({ kind: 'createRun', datasetId: s.task, config: s.config, model: { kind: 'simulated', params: s.params } });
    await app.start('');
    const storage = memoryStorage();
    const visit = new FirstVisit(storage, bare);
    await visit.begin(app, () => {});
    expect(app.runs).toHaveLength(1);
    expect(app.open).toBeNull();
    expect(new FirstVisit(storage, bare).pending).toBe(false);
  });

  it('index.html’s first frame, shown before the code loads, is the demo run at step 0 and knows a first visit as this does', () => {
    const html = readFileSync(new URL('../../../index.html', import.meta.url), 'utf8');
    const { config } = defaultSettings();
    expect(html).toContain(`localStorage.getItem('${VISITED}') === null`);
    expect(html).toContain(`Iteration<strong>0 / ${count(config.iterations)}</strong>`);
    expect(html).toContain(`Labeled<strong>0 / ${count(config.poolSize)}</strong>`);
    expect(html).toContain(`labels ${config.poolSize} solutions to math problems`);
    expect(html).toContain(`Temperature T<strong>${config.T0}</strong>`);
    expect(defaultSettings().task).toBe('builtin-math');
  });
});
