// The app's IndexedDB database (idb), wrapped so nothing else touches IndexedDB. Every write
// that belongs together is one transaction: a step and the run state after it commit or
// fail together, so a reload always finds a state that matches its step log.

import { openDB, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Dataset } from '../data/types';
import type { InitEvent, RunState, StepEvent } from '../icm/search';
import { guard, storageError, StoreError } from './errors';
import { DB_NAME, DB_VERSION, type IcmSchema, type InitRecord, type RunRecord } from './schema';

type Names = StoreNames<IcmSchema>;
type WriteTx<S extends Names[]> = IDBPTransaction<IcmSchema, S, 'readwrite'>;

/** Fields of a run that change without a step. */
export type RunPatch = Partial<Pick<RunRecord, 'status' | 'error'>>;

// Every key [runId, iteration] of one run.
const stepsOf = (runId: string) => IDBKeyRange.bound([runId, -Infinity], [runId, Infinity]);

export class Store {
  private constructor(private db: IDBPDatabase<IcmSchema>) {}

  static async open(name: string = DB_NAME): Promise<Store> {
    const db = await guard('opening the database', () =>
      openDB<IcmSchema>(name, DB_VERSION, {
        upgrade(db) {
          db.createObjectStore('datasets', { keyPath: 'id' });
          db.createObjectStore('runs', { keyPath: 'id' });
          db.createObjectStore('steps', { keyPath: ['runId', 'iteration'] }).createIndex('byRun', 'runId');
          db.createObjectStore('inits', { keyPath: 'runId' });
        },
      }),
    );
    // Another tab wants a newer schema: step aside rather than block it forever.
    db.addEventListener('versionchange', () => db.close());
    return new Store(db);
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
      return result;
    } catch (e) {
      if (tx) abortQuietly(tx); // a body that failed half-way must not commit its first writes
      // a full quota aborts the transaction at commit; its error says why, its requests only "aborted"
      throw storageError(tx?.error ?? e, doing);
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

  /** Read-modify-write of the run record inside `tx`, so concurrent patches never drop a field. */
  private async update<S extends Names[]>(tx: WriteTx<S>, id: string, change: (run: RunRecord) => RunRecord): Promise<RunRecord> {
    const runs = tx.objectStore('runs');
    const run = await runs.get(id);
    if (!run) throw new StoreError('NotFoundError', `Run ${id} no longer exists; it may have been deleted in another tab.`);
    const next = change(run);
    await runs.put(next);
    return next;
  }

  patchRun(id: string, patch: RunPatch): Promise<RunRecord> {
    return this.write(['runs'], 'saving the run status', (tx) => this.update(tx, id, (run) => ({ ...run, ...patch })));
  }

  /** The run's initial state (seed labels + ConsistencyFix) and its init event, together. */
  saveInit(id: string, event: InitEvent, state: RunState): Promise<RunRecord> {
    return this.write(['runs', 'inits'], 'saving the initial labels', async (tx) => {
      await tx.objectStore('inits').put({ runId: id, event });
      return this.update(tx, id, (run) => ({ ...run, state }));
    });
  }

  /** One search step and the state after it, in one transaction: durable before the next step starts. */
  saveStep(id: string, event: StepEvent, state: RunState): Promise<RunRecord> {
    return this.write(['runs', 'steps'], `saving step ${event.iteration}`, async (tx) => {
      await tx.objectStore('steps').put({ ...event, runId: id });
      return this.update(tx, id, (run) => ({ ...run, state }));
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
    await this.write(['runs', 'steps', 'inits'], 'deleting the run', async (tx) => {
      await tx.objectStore('steps').delete(stepsOf(id));
      await tx.objectStore('inits').delete(id);
      await tx.objectStore('runs').delete(id);
    });
  }

  async getInit(id: string): Promise<InitEvent | undefined> {
    const rec: InitRecord | undefined = await guard('reading the run', () => this.db.get('inits', id));
    return rec?.event;
  }

  stepCount(id: string): Promise<number> {
    return guard('reading the step log', () => this.db.countFromIndex('steps', 'byRun', id));
  }

  /** The steps of a run after iteration `after`, oldest first (the whole log by default: for plots and replay). */
  stepsAfter(id: string, after = 0): Promise<StepEvent[]> {
    return guard('reading the step log', async () =>
      (await this.db.getAll('steps', IDBKeyRange.bound([id, after + 1], [id, Infinity]))).map(({ runId: _runId, ...event }) => event),
    );
  }

  /** The last `n` steps of a run, oldest first. */
  recentSteps(id: string, n: number): Promise<StepEvent[]> {
    return guard('reading the step log', async () => {
      const out: StepEvent[] = [];
      let cursor = await this.db.transaction('steps').store.openCursor(stepsOf(id), 'prev');
      while (cursor && out.length < n) {
        const { runId: _runId, ...event } = cursor.value;
        out.push(event);
        cursor = await cursor.continue();
      }
      return out.reverse();
    });
  }
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // already committed or aborted
  }
}
