import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Dataset } from '../data/types';
import { defaultConfig } from '../icm/config';
import type { InitEvent, RunState, StepEvent } from '../icm/search';
import { defaultSimulatedParams } from '../model/params';
import { sameContent, Store } from './db';
import { STORAGE_FULL, StoreError, storageError } from './errors';
import type { RunRecord } from './schema';

let dbCount = 0;
const stores: Store[] = [];
async function open(): Promise<Store> {
  const store = await Store.open(`store-test-${++dbCount}`);
  stores.push(store);
  return store;
}
afterEach(() => {
  vi.restoreAllMocks();
  for (const s of stores.splice(0)) s.close();
});

const dataset = (id: string, name = id): Dataset => ({
  id,
  name,
  kind: 'factual',
  description: '',
  items: [{ id: 'a', group: 'g', key: 'k', question: 'q', claim: 'c', gold: true }],
});

const run = (id: string, createdAt = 1): RunRecord => ({
  id,
  name: id,
  datasetId: 'd',
  createdAt,
  status: 'ready',
  config: defaultConfig,
  model: { kind: 'simulated', params: defaultSimulatedParams },
  pool: [0, 1, 2, 3],
  state: null,
  error: null,
});

const state = (iteration: number): RunState => ({
  U: iteration,
  P: 0.5,
  I: 0,
  labels: [true, false, null, null],
  logOdds: [1, -1, null, null],
  iteration,
  proposals: iteration,
  accepted: 0,
  tokens: 10 * iteration,
  rng: [1, 2, 3, iteration],
});

const score = { U: 0, P: 0, I: 0 };
const stepEvent = (iteration: number): StepEvent => ({
  iteration,
  item: 2,
  weight: 1,
  totalWeight: 4,
  previous: null,
  proposal: true,
  proposalLogOdds: 0.3,
  changed: true,
  fixes: [],
  before: score,
  after: score,
  deltaU: 0,
  T: 10,
  acceptProb: 1,
  draw: 0.5,
  accepted: false,
  tokens: 5,
  evaluations: 1,
});

const initEvent: InitEvent = { seeds: [0, 1], seedLabels: [true, false], fixes: [], score, tokens: 3 };

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('Store', () => {
  it('adds built-in datasets once and never overwrites a stored one', async () => {
    const store = await open();
    expect(await store.addMissingDatasets([dataset('a', 'first'), dataset('b')])).toBe(2);
    expect(await store.addMissingDatasets([dataset('a', 'changed'), dataset('c')])).toBe(1);
    expect((await store.getDataset('a'))?.name).toBe('first');
    expect((await store.listDatasets()).map((d) => d.id).sort()).toEqual(['a', 'b', 'c']);
    expect(await store.getDataset('nope')).toBeUndefined();
  });

  it('lists runs newest first and patches status without touching the state', async () => {
    const store = await open();
    await store.createRun(run('old', 1));
    await store.createRun(run('new', 2));
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['new', 'old']);
    await store.saveInit('old', initEvent, state(0));
    const patched = await store.patchRun('old', { status: 'error', error: { name: 'E', message: 'm' } });
    expect(patched.state).toEqual(state(0));
    expect(await store.getRun('old')).toEqual({ ...run('old', 1), state: state(0), status: 'error', error: { name: 'E', message: 'm' } });
    await expect(store.createRun(run('old'))).rejects.toBeInstanceOf(StoreError);
  });

  it('saves a step and the state after it together, and reads the last steps in order', async () => {
    const store = await open();
    await store.createRun(run('r'));
    await store.createRun(run('other'));
    await store.saveInit('r', initEvent, state(0));
    for (let i = 1; i <= 60; i++) await store.saveStep('r', stepEvent(i), state(i));
    await store.saveInit('other', initEvent, state(0));
    await store.saveStep('other', stepEvent(1), state(1));
    expect((await store.getRun('r'))?.state).toEqual(state(60));
    expect(await store.getInit('r')).toEqual(initEvent);
    expect(await store.stepCount('r')).toBe(60);
    const recent = await store.stepsAfter('r', 10);
    expect(recent.map((s) => s.iteration)).toEqual(Array.from({ length: 50 }, (_, k) => k + 11));
    expect(recent[0]).toEqual(stepEvent(11)); // no runId leaks out
  });

  it('refuses a step or an init that does not follow the stored state, so two writers can never make the log and the state disagree', async () => {
    // two tabs on one database, both having read the run at step 3
    const name = `store-test-${++dbCount}`;
    const [a, b] = [await Store.open(name), await Store.open(name)];
    stores.push(a, b);
    await a.createRun(run('r'));
    await a.saveInit('r', initEvent, state(0));
    for (let i = 1; i <= 3; i++) await a.saveStep('r', stepEvent(i), state(i));
    await a.saveStep('r', { ...stepEvent(4), draw: 0.1 }, state(4));
    const late = b.saveStep('r', { ...stepEvent(4), draw: 0.9 }, state(4)); // B's step 4, from the state it read
    await expect(late).rejects.toMatchObject({ name: 'ConflictError' });
    await expect(late).rejects.toThrow(/is at step 4 in this browser's storage, so something else \(another tab or window\) is writing to it\. Step 4 was not saved/);
    await expect(b.saveStep('r', stepEvent(2), state(2))).rejects.toMatchObject({ name: 'ConflictError' }); // an old step over a logged one
    await expect(b.saveStep('r', stepEvent(6), state(6))).rejects.toMatchObject({ name: 'ConflictError' }); // a gap
    await expect(b.saveStep('r', stepEvent(5), state(4))).rejects.toMatchObject({ name: 'ConflictError' }); // a state that is not the step's
    await expect(b.saveInit('r', initEvent, state(0))).rejects.toThrow(/is at step 4.*Its initial labels were not saved/);
    const log = await b.runLog('r');
    expect(log?.run.state).toEqual(state(4));
    expect(log?.steps.map((s) => [s.iteration, s.draw])).toEqual([[1, 0.5], [2, 0.5], [3, 0.5], [4, 0.1]]);
    expect(log?.init).toEqual(initEvent);
    expect((await b.runLog('r', 2))?.steps.map((s) => s.iteration)).toEqual([3, 4]);
    expect(await b.runLog('ghost')).toBeUndefined();
    await b.saveStep('r', stepEvent(5), state(5)); // one that follows is saved
    expect(await a.stepCount('r')).toBe(5);
  });

  it('a step for a run that is gone is refused and leaves nothing behind', async () => {
    const store = await open();
    await expect(store.saveStep('ghost', stepEvent(1), state(1))).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(await store.stepCount('ghost')).toBe(0);
  });

  it('reset clears state, steps and init of that run only; delete removes them all', async () => {
    const store = await open();
    for (const id of ['r', 'keep']) {
      await store.createRun(run(id));
      await store.saveInit(id, initEvent, state(0));
      for (let i = 1; i <= 3; i++) await store.saveStep(id, stepEvent(i), state(i));
    }
    await store.patchRun('r', { status: 'error', error: { name: 'E', message: 'm' } });
    const reset = await store.resetRun('r');
    expect(reset).toMatchObject({ state: null, status: 'ready', error: null, pool: [0, 1, 2, 3] });
    expect(await store.stepCount('r')).toBe(0);
    expect(await store.getInit('r')).toBeUndefined();
    expect(await store.stepCount('keep')).toBe(3);

    await store.deleteRun('keep');
    expect(await store.getRun('keep')).toBeUndefined();
    expect(await store.stepCount('keep')).toBe(0);
    expect(await store.getInit('keep')).toBeUndefined();
    await store.deleteRun('keep'); // already gone: fine
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['r']);
  });

  it('a full disk gives the clear message and keeps the last saved step', async () => {
    const store = await open();
    await store.createRun(run('r'));
    await store.saveInit('r', initEvent, state(0));
    await store.saveStep('r', stepEvent(1), state(1));
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw quotaError();
    });
    const failed = store.saveStep('r', stepEvent(2), state(2));
    await expect(failed).rejects.toBeInstanceOf(StoreError);
    await expect(failed).rejects.toMatchObject({ name: 'QuotaExceededError', message: STORAGE_FULL });
    vi.restoreAllMocks();
    expect((await store.getRun('r'))?.state).toEqual(state(1));
    expect(await store.stepCount('r')).toBe(1);
  });

  it('maps browser storage errors to messages a person can act on', () => {
    expect(storageError(quotaError(), 'x').message).toBe(STORAGE_FULL);
    expect(storageError(new DOMException('q', 'NS_ERROR_DOM_QUOTA_REACHED'), 'x').name).toBe('QuotaExceededError');
    expect(storageError(new DOMException('v', 'VersionError'), 'x').message).toMatch(/newer version.*Reload/);
    expect(storageError(new DOMException('denied', 'SecurityError'), 'x').message).toMatch(/not available \(denied\).*private browsing/);
    const other = storageError(new DOMException('closing', 'InvalidStateError'), 'saving step 3');
    expect(other).toMatchObject({ name: 'InvalidStateError' });
    expect(other.message).toMatch(/failed while saving step 3: closing\. Reload/);
    const passed = new StoreError('NotFoundError', 'gone');
    expect(storageError(passed, 'x')).toBe(passed);
  });
});

describe('sameContent', () => {
  it('compares data whatever the order of its fields; undefined counts as absent', () => {
    expect(sameContent({ id: 'd', exclusive: true, items: [{ a: 1, b: 'x' }] }, { items: [{ b: 'x', a: 1 }], exclusive: true, id: 'd' })).toBe(true);
    expect(sameContent({ id: 'd', exclusive: undefined }, { id: 'd' })).toBe(true);
    expect(sameContent({ id: 'd', items: [1, 2] }, { id: 'd', items: [2, 1] })).toBe(false);
    expect(sameContent({ id: 'd', gold: true }, { id: 'd', gold: false })).toBe(false);
    expect(sameContent({ id: 'd' }, { id: 'd', extra: 0 })).toBe(false);
    expect(sameContent([NaN], [NaN])).toBe(true);
  });
});
