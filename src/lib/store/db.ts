// The app's IndexedDB database (idb), wrapped so nothing else touches IndexedDB. Every write
// that belongs together is one transaction: a step and the run state after it commit or
// fail together, so a reload always finds a state that matches its step log.

import { openDB, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Dataset } from '../data/types';
import type { InitEvent, RunState, StepEvent } from '../icm/search';
import { guard, storageError, StoreError } from './errors';
import { DB_NAME, DB_VERSION, type BaselineRecord, type HumanOverride, type IcmSchema, type InitRecord, type RunRecord } from './schema';
import type { ImportSummary, ProjectContents } from '../export/project';
import type { LabelTheRestRecord } from '../eval/labelTheRest';

type Names = StoreNames<IcmSchema>;
type WriteTx<S extends Names[]> = IDBPTransaction<IcmSchema, S, 'readwrite'>;

/** Equal as data: the same fields and values, whatever their order; an undefined field counts
 *  as absent (JSON drops it, IndexedDB keeps it). */
export function sameContent(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameContent(x, b[i]));
  const fields = (o: object) => Object.entries(o).filter(([, v]) => v !== undefined);
  const fa = fields(a);
  const fb = new Map(fields(b));
  return fa.length === fb.size && fa.every(([k, v]) => fb.has(k) && sameContent(v, fb.get(k)));
}

/** Fields of a run that change without a step. */
export type RunPatch = Partial<Pick<RunRecord, 'status' | 'error' | 'stepsPerSecond'>>;

// Every key [runId, iteration] of one run.
const stepsOf = (runId: string) => IDBKeyRange.bound([runId, -Infinity], [runId, Infinity]);

/** Bytes a value takes as JSON, UTF-8: close to what IndexedDB keeps of it. */
const bytesOf = (v: unknown): number => (v === undefined ? 0 : new TextEncoder().encode(JSON.stringify(v)).length);

/** About how many bytes each run and each dataset takes in storage, by id. */
export interface StoredSizes {
  runs: Record<string, number>; // the record, its init, its steps, label-the-rest and baselines
  datasets: Record<string, number>; // the items and the review decisions on them
}

export class Store {
  private full = false;
  private constructor(
    private db: IDBPDatabase<IcmSchema>,
    private onFull: (full: boolean) => void,
  ) {}

  /** `onFull` hears when writes start failing for want of space (true) and when one succeeds again (false). */
  static async open(name: string = DB_NAME, onFull: (full: boolean) => void = () => undefined): Promise<Store> {
    const db = await guard('opening the database', () =>
      openDB<IcmSchema>(name, DB_VERSION, {
        upgrade(db, oldVersion) {
          if (oldVersion < 1) {
            db.createObjectStore('datasets', { keyPath: 'id' });
            db.createObjectStore('runs', { keyPath: 'id' });
            db.createObjectStore('steps', { keyPath: ['runId', 'iteration'] }).createIndex('byRun', 'runId');
            db.createObjectStore('inits', { keyPath: 'runId' });
          }
          if (oldVersion < 2) {
            db.createObjectStore('overrides', { keyPath: ['datasetId', 'itemId'] }).createIndex('byDataset', 'datasetId');
            db.createObjectStore('labelTheRest', { keyPath: 'runId' });
            db.createObjectStore('baselines', { keyPath: ['runId', 'method'] }).createIndex('byRun', 'runId');
          }
          if (oldVersion < 3) db.createObjectStore('consents', { keyPath: 'origin' });
        },
      }),
    );
    // Another tab wants a newer schema: step aside rather than block it forever.
    db.addEventListener('versionchange', () => db.close());
    return new Store(db, onFull);
  }

  private wrote(full: boolean): void {
    if (full === this.full) return;
    this.full = full;
    this.onFull(full);
  }

  close(): void {
    this.db.close();
  }

  /** One read-write transaction over `stores`; the body's writes commit together or not at all. */
  private async write<S extends Names[], T>(stores: S, doing: string, body: (tx: WriteTx<S>) => Promise<T>): Promise<T> {
    let tx: WriteTx<S> | undefined;
    try {
      tx = this.db.transaction(stores, 'readwrite');
      const done = tx.done;
      done.catch(() => {}); // handled below; keeps an abort from also surfacing as an unhandled rejection
      const result = await body(tx);
      await done;
      this.wrote(false);
      return result;
    } catch (e) {
      if (tx) abortQuietly(tx); // a body that failed half-way must not commit its first writes
      // a full quota aborts the transaction at commit; its error says why, its requests only "aborted"
      const error = storageError(tx?.error ?? e, doing);
      if (error.name === 'QuotaExceededError') this.wrote(true);
      throw error;
    }
  }

  // ---- datasets

  /** Stores each dataset whose id is not stored yet; returns how many were added. */
  async addMissingDatasets(datasets: Dataset[]): Promise<number> {
    return this.write(['datasets'], 'saving the built-in datasets', async (tx) => {
      const store = tx.objectStore('datasets');
      const have = new Set(await store.getAllKeys());
      const missing = datasets.filter((d) => !have.has(d.id));
      await Promise.all(missing.map((d) => store.put(d)));
      return missing.length;
    });
  }

  async putDataset(dataset: Dataset): Promise<void> {
    await this.write(['datasets'], 'saving a dataset', async (tx) => void (await tx.objectStore('datasets').put(dataset)));
  }

  getDataset(id: string): Promise<Dataset | undefined> {
    return guard('reading a dataset', () => this.db.get('datasets', id));
  }

  listDatasets(): Promise<Dataset[]> {
    return guard('reading the datasets', () => this.db.getAll('datasets'));
  }

  // ---- runs

  async createRun(run: RunRecord): Promise<void> {
    await this.write(['runs'], 'saving the new run', async (tx) => void (await tx.objectStore('runs').add(run)));
  }

  getRun(id: string): Promise<RunRecord | undefined> {
    return guard('reading a run', () => this.db.get('runs', id));
  }

  /** Every run, newest first. */
  async listRuns(): Promise<RunRecord[]> {
    const runs = await guard('reading the runs', () => this.db.getAll('runs'));
    return runs.sort((a, b) => b.createdAt - a.createdAt);
  }

  /** The run record as stored inside `tx`; a run that is gone is a NotFoundError. */
  private async stored<S extends Names[]>(tx: WriteTx<S>, id: string): Promise<RunRecord> {
    const run = await tx.objectStore('runs').get(id);
    if (!run) throw new StoreError('NotFoundError', `Run ${id} no longer exists; it may have been deleted in another tab.`);
    return run;
  }

  /** Read-modify-write of the run record inside `tx`, so concurrent patches never drop a field. */
  private async update<S extends Names[]>(tx: WriteTx<S>, id: string, change: (run: RunRecord) => RunRecord): Promise<RunRecord> {
    const next = change(await this.stored(tx, id));
    await tx.objectStore('runs').put(next);
    return next;
  }

  patchRun(id: string, patch: RunPatch): Promise<RunRecord> {
    return this.write(['runs'], 'saving the run status', (tx) => this.update(tx, id, (run) => ({ ...run, ...patch })));
  }

  /** The run's initial state (seed labels + ConsistencyFix) and its init event, together; refused
   *  (ConflictError, nothing written) when the stored run is initialised already. */
  saveInit(id: string, event: InitEvent, state: RunState): Promise<RunRecord> {
    return this.write(['runs', 'inits'], 'saving the initial labels', async (tx) => {
      const run = await this.stored(tx, id);
      if (run.state !== null) throw notNext(run, 0);
      await tx.objectStore('inits').add({ runId: id, event });
      return this.update(tx, id, (r) => ({ ...r, state }));
    });
  }

  /** One search step and the state after it, in one transaction: durable before the next step
   *  starts. Compare-and-set on the stored iteration: a step that does not follow the stored state
   *  (another tab or window wrote the run since this one read it) is refused with a ConflictError
   *  and nothing is written, so the step log and the state never disagree. */
  saveStep(id: string, event: StepEvent, state: RunState): Promise<RunRecord> {
    return this.write(['runs', 'steps'], `saving step ${event.iteration}`, async (tx) => {
      const run = await this.stored(tx, id);
      if (run.state?.iteration !== event.iteration - 1 || state.iteration !== event.iteration) throw notNext(run, event.iteration);
      await tx.objectStore('steps').add({ ...event, runId: id });
      return this.update(tx, id, (r) => ({ ...r, state }));
    });
  }

  /** Back to before initialisation: no state, no steps, no init event; settings and pool kept. */
  resetRun(id: string): Promise<RunRecord> {
    return this.write(['runs', 'steps', 'inits'], 'resetting the run', async (tx) => {
      await tx.objectStore('steps').delete(stepsOf(id));
      await tx.objectStore('inits').delete(id);
      return this.update(tx, id, (run) => ({ ...run, state: null, status: 'ready', error: null }));
    });
  }

  /** The run, its steps and its init event. Deleting a run that is gone already is not an error. */
  async deleteRun(id: string): Promise<void> {
    await this.write(['runs', 'steps', 'inits', 'labelTheRest', 'baselines'], 'deleting the run', async (tx) => {
      await tx.objectStore('steps').delete(stepsOf(id));
      await tx.objectStore('inits').delete(id);
      await tx.objectStore('labelTheRest').delete(id);
      await tx.objectStore('baselines').delete(IDBKeyRange.bound([id, ''], [id, '\uffff']));
      await tx.objectStore('runs').delete(id);
    });
  }

  /** A dataset with the review decisions on it; its runs must be deleted first (deleteRun). */
  async deleteDataset(id: string): Promise<void> {
    await this.write(['datasets', 'runs', 'overrides'], 'deleting the dataset', async (tx) => {
      const runs = (await tx.objectStore('runs').getAll()).filter((r) => r.datasetId === id);
      if (runs.length > 0) throw new StoreError('ConflictError', `Dataset "${id}" still has ${runs.length} run(s); delete them first. Nothing was changed.`);
      for (const key of await tx.objectStore('overrides').index('byDataset').getAllKeys(id)) await tx.objectStore('overrides').delete(key);
      await tx.objectStore('datasets').delete(id);
    });
  }

  async getInit(id: string): Promise<InitEvent | undefined> {
    const rec: InitRecord | undefined = await guard('reading the run', () => this.db.get('inits', id));
    return rec?.event;
  }

  stepCount(id: string): Promise<number> {
    return guard('reading the step log', () => this.db.countFromIndex('steps', 'byRun', id));
  }

  // ---- review, label the rest, baselines

  overrides(datasetId: string): Promise<HumanOverride[]> {
    return guard('reading the review decisions', () => this.db.getAllFromIndex('overrides', 'byDataset', datasetId));
  }

  /** A person's labels on a dataset, by item id: they beat every other label (human > ICM > label the rest). */
  async humanLabels(datasetId: string): Promise<Map<string, boolean>> {
    return new Map((await this.overrides(datasetId)).map((o) => [o.itemId, o.label]));
  }

  /** A person's label for one item; null removes it (undo). */
  async setOverride(datasetId: string, itemId: string, label: boolean | null, at: number): Promise<void> {
    await this.write(['overrides'], 'saving the review decision', async (tx) => {
      if (label === null) await tx.objectStore('overrides').delete([datasetId, itemId]);
      else await tx.objectStore('overrides').put({ datasetId, itemId, label, at });
    });
  }

  getLabelTheRest(runId: string): Promise<LabelTheRestRecord | undefined> {
    return guard('reading the labels of the rest', () => this.db.get('labelTheRest', runId));
  }

  /** One batch of label-the-rest predictions with its cursor: resumable from exactly here. */
  async putLabelTheRest(record: LabelTheRestRecord): Promise<void> {
    await this.write(['labelTheRest'], 'saving the labels of the rest', async (tx) => void (await tx.objectStore('labelTheRest').put(record)));
  }

  baselines(runId: string): Promise<BaselineRecord[]> {
    return guard('reading the baselines', () => this.db.getAllFromIndex('baselines', 'byRun', runId));
  }

  async putBaseline(record: BaselineRecord): Promise<void> {
    await this.write(['baselines'], 'saving a baseline', async (tx) => void (await tx.objectStore('baselines').put(record)));
  }

  // ---- consents to send item texts to a server on another machine

  async consentedOrigins(): Promise<string[]> {
    return guard('reading your server consents', async () => (await this.db.getAll('consents')).map((c) => c.origin));
  }

  async setConsent(origin: string, agreed: boolean, at: number): Promise<void> {
    await this.write(['consents'], 'saving your server consent', async (tx) => {
      if (agreed) await tx.objectStore('consents').put({ origin, at });
      else await tx.objectStore('consents').delete(origin);
    });
  }

  // ---- whole project

  /** Everything, in one read-only transaction, for a backup file. */
  exportAll(): Promise<ProjectContents> {
    return guard('reading the project', async () => {
      const tx = this.db.transaction(['datasets', 'runs', 'steps', 'inits', 'overrides', 'labelTheRest']);
      const [datasets, runs, steps, inits, overrides, labelTheRest] = await Promise.all([
        tx.objectStore('datasets').getAll(),
        tx.objectStore('runs').getAll(),
        tx.objectStore('steps').getAll(),
        tx.objectStore('inits').getAll(),
        tx.objectStore('overrides').getAll(),
        tx.objectStore('labelTheRest').getAll(),
      ]);
      return { datasets, runs, steps, inits, overrides, labelTheRest };
    });
  }

  /** Writes a project in one transaction; a run already stored, or a different dataset under an
   *  id already stored, refuses the whole file and touches nothing. A dataset already here with
   *  the same content is kept as it is. Where the file's review decision on an item differs from
   *  one made in this browser, this browser's is kept: the summary says how many. */
  async importAll(p: ProjectContents): Promise<ImportSummary> {
    return this.write(['datasets', 'runs', 'steps', 'inits', 'overrides', 'labelTheRest'], 'importing the project', async (tx) => {
      const out: ImportSummary = { datasetsAdded: 0, datasetsHere: 0, runs: 0, decisionsAdded: 0, decisionsKept: 0 };
      for (const d of p.datasets) {
        const existing = await tx.objectStore('datasets').get(d.id);
        if (existing && !sameContent(existing, d))
          throw new StoreError('ConflictError', `This browser already has a different dataset with id "${d.id}" ("${existing.name}"). Delete it first (Your data → Datasets), or import into a fresh browser profile; nothing was changed.`);
        if (existing) out.datasetsHere++;
        else {
          await tx.objectStore('datasets').put(d);
          out.datasetsAdded++;
        }
      }
      for (const r of p.runs) {
        if (await tx.objectStore('runs').get(r.id))
          throw new StoreError('ConflictError', `Run "${r.name}" is already in this browser. Delete it first to import it again; nothing was changed.`);
        await tx.objectStore('runs').add(r);
        out.runs++;
      }
      for (const s of p.steps) await tx.objectStore('steps').put(s);
      for (const i of p.inits) await tx.objectStore('inits').put(i);
      for (const o of p.overrides) {
        const mine = await tx.objectStore('overrides').get([o.datasetId, o.itemId]);
        if (mine) {
          if (mine.label !== o.label) out.decisionsKept++;
          continue;
        }
        await tx.objectStore('overrides').put(o);
        out.decisionsAdded++;
      }
      for (const l of p.labelTheRest) await tx.objectStore('labelTheRest').put(l);
      return out;
    });
  }

  /** About how much each run and dataset takes: its records' JSON sizes, a run's steps counted and
   *  sized by its first and last (steps grow as a run labels more items). One read-only transaction. */
  sizes(): Promise<StoredSizes> {
    return guard('measuring what is stored', async () => {
      const tx = this.db.transaction(['datasets', 'runs', 'steps', 'inits', 'overrides', 'labelTheRest', 'baselines']);
      const out: StoredSizes = { runs: {}, datasets: {} };
      for (const run of await tx.objectStore('runs').getAll()) {
        const range = stepsOf(run.id);
        const steps = tx.objectStore('steps');
        const [count, first, last] = await Promise.all([steps.count(range), steps.get(range), steps.openCursor(range, 'prev')]);
        const perStep = (bytesOf(first) + bytesOf(last?.value)) / 2;
        const [init, rest, baselines] = await Promise.all([
          tx.objectStore('inits').get(run.id),
          tx.objectStore('labelTheRest').get(run.id),
          tx.objectStore('baselines').index('byRun').getAll(run.id),
        ]);
        out.runs[run.id] = Math.round(bytesOf(run) + bytesOf(init) + count * perStep + bytesOf(rest) + bytesOf(baselines));
      }
      let dataset = await tx.objectStore('datasets').openCursor();
      while (dataset) {
        const decisions = await tx.objectStore('overrides').index('byDataset').count(dataset.value.id);
        out.datasets[dataset.value.id] = bytesOf(dataset.value) + decisions * 80; // a decision: two ids, a label and a time
        dataset = await dataset.continue();
      }
      return out;
    });
  }

  /** The run as stored, its init event and its steps after iteration `after` (all by default),
   *  read in one transaction so they belong together; undefined when the run is gone. */
  runLog(id: string, after = 0): Promise<{ run: RunRecord; init: InitEvent | null; steps: StepEvent[] } | undefined> {
    return guard('reading the run', async () => {
      const tx = this.db.transaction(['runs', 'inits', 'steps']);
      const [run, init, steps] = await Promise.all([
        tx.objectStore('runs').get(id),
        tx.objectStore('inits').get(id),
        tx.objectStore('steps').getAll(IDBKeyRange.bound([id, after + 1], [id, Infinity])),
      ]);
      if (!run) return undefined;
      return { run, init: init?.event ?? null, steps: steps.map(({ runId: _runId, ...event }) => event) };
    });
  }

  /** The steps of a run after iteration `after` and up to `upTo`, oldest first (the whole log by default: for plots and replay). */
  stepsAfter(id: string, after = 0, upTo = Infinity): Promise<StepEvent[]> {
    return guard('reading the step log', async () =>
      (await this.db.getAll('steps', IDBKeyRange.bound([id, after + 1], [id, upTo]))).map(({ runId: _runId, ...event }) => event),
    );
  }
}

/** The refusal of a write that does not follow the run as stored (step 0: the initial labels). */
function notNext(run: RunRecord, iteration: number): StoreError {
  const at = run.state === null ? 'has not started' : `is at step ${run.state.iteration}`;
  const what = iteration === 0 ? 'Its initial labels were' : `Step ${iteration} was`;
  return new StoreError('ConflictError', `Run "${run.name}" ${at} in this browser's storage, so something else (another tab or window) is writing to it. ${what} not saved; nothing stored was changed. Reload the page to see the run as stored.`);
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // already committed or aborted
  }
}
