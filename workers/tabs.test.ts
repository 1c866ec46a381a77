// One writer per run across the tabs of a browser: two (or three) run hosts on one database, as
// the workers of two tabs are, sharing one browser's Web Locks and BroadcastChannel (test-tabs.ts).
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinDatasets } from '../src/lib/data/builtin/index';
import { defaultConfig, type ICMConfig } from '../src/lib/icm/config';
import { defaultSimulatedParams, type ModelSpec } from '../src/lib/model/params';
import { parseProject } from '../src/lib/export/project';
import { Store } from '../src/lib/store/db';
import type { HostDeps } from './host';
import { PLAYING_ELSEWHERE } from './run/player';
import { runLock } from './run/tabs';
import { hostHarness } from './test-harness';
import { oneBrowser } from './test-tabs';

const builtins = builtinDatasets().slice(0, 1);
const dataset = builtins[0];
const model: ModelSpec = { kind: 'simulated', params: defaultSimulatedParams };
const config: ICMConfig = { ...defaultConfig, poolSize: 24, iterations: 100_000, seed: 7 };

let dbCount = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Tab = ReturnType<typeof hostHarness>;
const tabs: Tab[] = [];
/** A tab of `browser` on database `db`; its steps at 200 a second at most, so the others can follow. */
function tab(db: string, browser: ReturnType<typeof oneBrowser>, deps: HostDeps = {}): Tab {
  const t = hostHarness({ dbName: db, builtins: () => builtins, tabs: browser, ...deps });
  tabs.push(t);
  return t;
}
afterEach(async () => {
  for (const t of tabs.splice(0)) {
    for (const id of new Set(t.updates().map((u) => u.run.id))) await t.send({ kind: 'pause', runId: id }).catch(() => undefined);
    await t.host.idle();
  }
});

async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(2);
  }
}

async function newRun(t: Tab, cfg: ICMConfig = config): Promise<string> {
  await t.send({ kind: 'init' });
  const reply = await t.send({ kind: 'createRun', datasetId: dataset.id, config: cfg, model });
  if (!reply.ok) throw new Error(JSON.stringify(reply.errors));
  return reply.run.id;
}

/** The run as stored: its state's iteration, and the iterations of its logged steps. */
async function stored(db: string, id: string) {
  const store = await Store.open(db);
  try {
    const log = await store.runLog(id);
    return { iteration: log?.run.state?.iteration ?? null, status: log?.run.status, steps: log?.steps.map((s) => s.iteration) ?? [] };
  } finally {
    store.close();
  }
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const iterationOf = (t: Tab, id: string) => t.view(id).run.figures.iteration;

/** A backup of the whole database, checked as an import would check it. */
async function backupOf(t: Tab) {
  const file = await t.send({ kind: 'exportProject' });
  return parseProject(file.text);
}

/** Two tabs on a new database: the first plays a run (three steps made), the second has opened the app. */
async function twoTabsOnAPlayingRun() {
  const db = `tabs-test-${++dbCount}`;
  const browser = oneBrowser();
  const a = tab(db, browser);
  const b = tab(db, browser);
  const id = await newRun(a);
  await a.send({ kind: 'setSpeed', runId: id, stepsPerSecond: 200 });
  await a.send({ kind: 'play', runId: id });
  await until(() => iterationOf(a, id) >= 3);
  await b.send({ kind: 'init' });
  return { db, a, b, id };
}

describe('one writer per run across tabs', () => {
  it('a second tab on a playing run follows it read-only, says why, and the backup stays importable', async () => {
    const { db, a, b, id } = await twoTabsOnAPlayingRun();

    // the second tab opens the run's address: it is not played there too
    await b.send({ kind: 'openRun', runId: id });
    expect(b.view(id).run).toMatchObject({ status: 'running', elsewhere: true });
    for (const kind of ['play', 'step', 'reset'] as const) await expect(b.send({ kind, runId: id })).rejects.toMatchObject({ name: 'BusyError', message: PLAYING_ELSEWHERE });

    // …it follows it live, from storage
    const seen = iterationOf(b, id);
    await until(() => iterationOf(b, id) >= seen + 5);
    expect(b.view(id).steps.map((s) => s.iteration)).toEqual(oneToN(b.view(id).steps.length));

    // Pause in the following tab pauses the playing one; then Run there makes it the writer
    await b.send({ kind: 'pause', runId: id });
    await until(() => a.view(id).run.status === 'paused' && b.view(id).run.status === 'paused' && b.view(id).run.elsewhere !== true);
    await a.host.idle();
    const paused = await stored(db, id);
    await until(() => iterationOf(b, id) === paused.iteration);
    await b.send({ kind: 'play', runId: id }); // at the speed kept with the run
    await until(() => iterationOf(b, id) >= (paused.iteration ?? 0) + 3 && a.view(id).run.elsewhere === true);
    await expect(a.send({ kind: 'play', runId: id })).rejects.toMatchObject({ name: 'BusyError' });
    await a.send({ kind: 'pause', runId: id });
    await until(async () => (await stored(db, id)).status === 'paused');
    await b.host.idle();

    // one log, one state: the log is steps 1…n and the state is at n, as both tabs show
    const after = await stored(db, id);
    expect(after.steps).toEqual(oneToN(after.iteration ?? 0));
    await until(() => iterationOf(a, id) === after.iteration && iterationOf(b, id) === after.iteration);
    expect(a.view(id).steps.map((s) => s.iteration)).toEqual(oneToN(after.iteration ?? 0));
    expect((await backupOf(a)).ok).toBe(true);
  });

  it('a tab that writes again first reads what another tab wrote since, so it continues the stored run', async () => {
    const db = `tabs-test-${++dbCount}`;
    const browser = oneBrowser();
    const a = tab(db, browser);
    const b = tab(db, browser);
    const id = await newRun(a);
    for (let i = 0; i < 3; i++) await a.send({ kind: 'step', runId: id });
    await b.send({ kind: 'openRun', runId: id });
    for (let i = 0; i < 2; i++) await b.send({ kind: 'step', runId: id });
    await a.send({ kind: 'step', runId: id }); // from step 5 as stored, not from the 3 it made itself
    expect(a.view(id).lastStep?.iteration).toBe(6);
    expect(a.view(id).steps.map((s) => s.iteration)).toEqual(oneToN(6));
    expect(await stored(db, id)).toMatchObject({ iteration: 6, steps: oneToN(6) });

    // the same six steps as one tab alone makes them (the seed decides every step)
    const c = tab(`tabs-test-${++dbCount}`, oneBrowser());
    const alone = await newRun(c);
    for (let i = 0; i < 6; i++) await c.send({ kind: 'step', runId: alone });
    expect(a.view(id).steps).toEqual(c.view(alone).steps);
    expect(a.view(id).labels).toEqual(c.view(alone).labels);
  });

  it('two tabs opened at once on a run stored as running: one plays it, the other follows', async () => {
    const db = `tabs-test-${++dbCount}`;
    const browser = oneBrowser();
    const first = tab(db, browser);
    const id = await newRun(first);
    for (let i = 0; i < 2; i++) await first.send({ kind: 'step', runId: id });
    const store = await Store.open(db);
    await store.patchRun(id, { status: 'running' }); // as a browser closed mid-play leaves it
    store.close();

    const [a, b] = [tab(db, browser), tab(db, browser)];
    const [la, lb] = await Promise.all([a.send({ kind: 'init' }), b.send({ kind: 'init' })]);
    const shown = [la, lb].map((l) => l.runs.find((r) => r.id === id));
    expect(shown.map((r) => r?.status)).toEqual(['running', 'running']);
    expect(shown.filter((r) => r?.elsewhere === true)).toHaveLength(1);
    await until(async () => ((await stored(db, id)).iteration ?? 0) >= 10);
    await a.send({ kind: 'pause', runId: id });
    await until(async () => (await stored(db, id)).status === 'paused');
    await Promise.all([a.host.idle(), b.host.idle()]);
    const after = await stored(db, id);
    expect(after.steps).toEqual(oneToN(after.iteration ?? 0));
  });

  it('a run left running by a tab that went away is played on by a tab that follows it', async () => {
    const db = `tabs-test-${++dbCount}`;
    const browser = oneBrowser();
    const a = tab(db, browser, { takeOverMs: 20 });
    const id = await newRun(a);
    await a.send({ kind: 'step', runId: id });
    const store = await Store.open(db);
    await store.patchRun(id, { status: 'running' });
    store.close();
    // a tab that plays it (its lock held) and is then closed without a word
    let close = () => {};
    void browser.locks.request(runLock(id), { ifAvailable: true }, () => new Promise<void>((r) => (close = r)));

    await a.send({ kind: 'init' });
    await a.send({ kind: 'openRun', runId: id });
    expect(a.view(id).run).toMatchObject({ status: 'running', elsewhere: true });
    close();
    await until(() => iterationOf(a, id) >= 5);
    expect(a.view(id).run.elsewhere).toBeUndefined();
    expect(a.view(id).run.status).toBe('running');
  });

  it('a run deleted in one tab while another plays it: the player stops, says why, and nothing of it is left', async () => {
    const { db, a, b, id } = await twoTabsOnAPlayingRun();
    const keep = await newRun(a, { ...config, seed: 8 });
    await a.send({ kind: 'step', runId: keep });
    expect(await b.send({ kind: 'deleteRun', runId: id })).toEqual({ runId: id });
    await until(() => a.messages.some((m) => m.kind === 'runDeleted' && m.runId === id));
    await a.host.idle();
    const pushed = a.messages.length;
    await sleep(50);
    expect(await stored(db, id)).toEqual({ iteration: null, status: undefined, steps: [] });
    const deletedAt = a.messages.findIndex((m) => m.kind === 'runDeleted');
    expect(a.messages.slice(deletedAt).filter((m) => m.kind === 'runUpdate' && m.update.run.id === id)).toEqual([]);
    expect(a.messages).toHaveLength(pushed); // nothing after it
    expect((await a.send({ kind: 'init' })).runs.map((r) => r.id)).toEqual([keep]);
    expect((await backupOf(a)).ok).toBe(true);
  });

  it('a project imported in one tab while a run plays in another: the run plays on, the import lands, the backup is whole', async () => {
    // a backup from another browser, with a run of its own
    const other = tab(`tabs-test-${++dbCount}`, oneBrowser());
    const theirs = await newRun(other, { ...config, seed: 9 });
    for (let i = 0; i < 4; i++) await other.send({ kind: 'step', runId: theirs });
    const theirBackup = (await other.send({ kind: 'exportProject' })).text;

    const { a, b, id } = await twoTabsOnAPlayingRun();
    const ownBackup = (await b.send({ kind: 'exportProject' })).text; // holds the playing run

    expect(await b.send({ kind: 'importProject', text: theirBackup })).toMatchObject({ ok: true, runs: 1 });
    await until(() => a.messages.some((m) => m.kind === 'storeChanged')); // A's lists are asked again
    await expect(b.send({ kind: 'importProject', text: ownBackup })).rejects.toThrow(/is already in this browser.*nothing was changed/);
    const before = iterationOf(a, id);
    await until(() => iterationOf(a, id) >= before + 3); // still playing
    await a.send({ kind: 'pause', runId: id });
    await a.host.idle();

    const backup = await backupOf(b);
    expect(backup.ok).toBe(true);
    if (!backup.ok) return;
    expect(backup.project.runs.map((r) => r.id).sort()).toEqual([id, theirs].sort());
    for (const r of backup.project.runs) expect(backup.project.steps.filter((s) => s.runId === r.id).map((s) => s.iteration)).toEqual(oneToN(r.state?.iteration ?? 0));
  });
});
