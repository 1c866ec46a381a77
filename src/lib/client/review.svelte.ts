// One run's review: every dataset item with its label from each source, the order and filter
// a person chose, their keyboard decisions with undo, and the two long jobs that fill in the
// table (label the rest; baselines). Decisions are saved as overrides on the dataset, so later
// runs keep them; the table updates at once and the write follows, in order.

import { untrack } from 'svelte';
import type { BaselineMethod } from '../eval/baselines';
import type { BaselineReport, ErrorInfo, ExportFile, ExportFormat, ReviewRow } from '../protocol';
import { toErrorInfo, type Client } from './client';
import { actionLabel, defaultQuery, groupRanks, orderRows, overrideOf, withOverride, type ReviewAction, type ReviewQuery } from './review-view';

export interface Progress {
  done: number;
  total: number;
}

interface UndoEntry {
  pos: number; // position in rows (= dataset index)
  before: ReviewRow; // the row as it was, override or not
  load: number; // the load it was read in: a later load may have changed the row's other labels
}

export class ReviewSession {
  rows = $state.raw<ReviewRow[]>([]);
  methods = $state.raw<string[]>([]); // baseline names with labels in the rows
  loaded = $state(false);
  loading = $state(false);
  query = $state<ReviewQuery>({ ...defaultQuery });
  cursor = $state(0); // position in `view` of the selected row
  status = $state(''); // what the last action did, for the live region
  error = $state.raw<ErrorInfo | null>(null);
  undoCount = $state(0);

  rest = $state.raw<Progress | null>(null); // label the rest: progress of the job in flight or last run
  restRunning = $state(false);
  restStopping = $state(false);
  baselineProgress = $state.raw<Partial<Record<BaselineMethod, Progress>>>({});
  baselinesRunning = $state(false);
  goldToServer = $state(false); // the person agreed to send the pool's gold labels to the run's server (few-shot with gold labels)
  report = $state.raw<BaselineReport | null>(null);

  #loads = $state(0); // bumped per load: the order is recomputed on a load or a query change, not on a decision
  #ranks: Int32Array | null = null; // each row's group order, computed on the first sort by group after a load
  #undo: UndoEntry[] = [];
  #writes: Promise<unknown> = Promise.resolve(); // overrides are written one after another, in the order made

  /** Row positions on screen, in order. A decision does not reorder the table (rows would jump
   *  away under the cursor); a new sort, filter or load does. */
  view = $derived.by(() => {
    const q: ReviewQuery = { ...this.query };
    void this.#loads;
    return untrack(() => orderRows(this.rows, q, q.sort === 'group' ? (this.#ranks ??= groupRanks(this.rows)) : undefined));
  });

  selected = $derived(this.view.length === 0 ? null : this.view[Math.min(this.cursor, this.view.length - 1)]);
  unlabeled = $derived(this.rows.reduce((n, r) => n + (r.label === null ? 1 : 0), 0));
  human = $derived(this.rows.reduce((n, r) => n + (r.provenance === 'human' ? 1 : 0), 0));
  fromRest = $derived(this.rows.reduce((n, r) => n + (r.provenance === 'label-the-rest' ? 1 : 0), 0));
  hasGold = $derived(this.rows.some((r) => r.gold !== null));

  readonly runId: string;
  readonly datasetId: string;
  #client: Client;

  constructor(client: Client, runId: string, datasetId: string) {
    this.#client = client;
    this.runId = runId;
    this.datasetId = datasetId;
  }

  /** (Re)reads every row from the worker; the selected item stays selected where it can. */
  async load(): Promise<void> {
    this.loading = true;
    const keep = this.selected;
    try {
      const reply = await this.#client.request({ kind: 'review', runId: this.runId });
      this.rows = reply.rows;
      this.#ranks = null;
      this.methods = reply.methods;
      this.#loads++;
      this.loaded = true;
      const at = keep === null ? -1 : this.view.indexOf(keep);
      this.cursor = at >= 0 ? at : Math.min(this.cursor, Math.max(0, this.view.length - 1));
    } catch (e) {
      this.error = toErrorInfo(e);
    } finally {
      this.loading = false;
    }
  }

  setQuery(patch: Partial<ReviewQuery>): void {
    const keep = this.selected;
    Object.assign(this.query, patch);
    const at = keep === null ? -1 : this.view.indexOf(keep);
    this.cursor = Math.max(0, at);
  }

  move(delta: number): void {
    if (this.view.length === 0) return;
    this.cursor = Math.max(0, Math.min(this.view.length - 1, this.cursor + delta));
  }

  select(viewPos: number): void {
    this.cursor = Math.max(0, Math.min(this.view.length - 1, viewPos));
  }

  accept(): void {
    this.#decide('accept');
  }

  flip(): void {
    this.#decide('flip');
  }

  /** Labels the selected item True or False, whatever label it has (or none). */
  set(label: boolean): void {
    this.#decide(label ? 'true' : 'false');
  }

  skip(): void {
    this.status = 'Skipped.';
    this.move(1);
  }

  /** Reverts the last decision: the item gets back the override it had before (or none). */
  undo(): void {
    const last = this.#undo.pop();
    this.undoCount = this.#undo.length;
    if (!last) {
      this.status = 'Nothing to undo.';
      return;
    }
    const current = this.rows[last.pos];
    this.rows = replaced(this.rows, last.pos, last.before);
    const at = this.view.indexOf(last.pos);
    if (at >= 0) this.cursor = at;
    this.status = `Undone: item ${last.before.id} is back to ${labelWord(last.before.label)}${last.before.provenance === 'human' ? ' (your earlier label)' : ''}.`;
    this.#write(last.before.id, overrideOf(last.before), () => {
      // the write failed: the store still has the decision, so the table and the undo list do too
      this.rows = replaced(this.rows, last.pos, current);
      this.#undo.push(last);
      this.undoCount = this.#undo.length;
    });
    // the row as remembered predates the last load (say, label the rest has labeled it since): read it again
    if (last.load !== this.#loads) void this.#writes.then(() => this.load());
  }

  #decide(action: ReviewAction): void {
    const pos = this.selected;
    if (pos === null) return;
    const row = this.rows[pos];
    const label = actionLabel(row, action);
    if (label === null) {
      this.status = `Item ${row.id} has no label yet to ${action}: press t to label it True or n for False (or label the rest first).`;
      return;
    }
    const after = withOverride(row, label, this.methods);
    this.#undo.push({ pos, before: row, load: this.#loads });
    this.undoCount = this.#undo.length;
    this.rows = replaced(this.rows, pos, after);
    this.status = `${action === 'accept' ? 'Accepted' : action === 'flip' ? 'Flipped' : 'Labeled'}: item ${row.id} is ${labelWord(label)}.`;
    this.move(1);
    this.#write(row.id, label, () => {
      // the write failed: show the row as the store still has it
      this.rows = replaced(this.rows, pos, row);
      this.#undo = this.#undo.filter((u) => u.pos !== pos);
      this.undoCount = this.#undo.length;
    });
  }

  #write(itemId: string, label: boolean | null, revert: () => void): void {
    this.#writes = this.#writes.then(() =>
      this.#client.request({ kind: 'setOverride', datasetId: this.datasetId, itemId, label }).catch((e: unknown) => {
        this.error = toErrorInfo(e);
        revert();
      }),
    );
  }

  /** Resolves when every decision made so far is stored. */
  settled(): Promise<unknown> {
    return this.#writes;
  }

  /** Predicts every item outside the run's pool with the run's labels as demonstrations; resumes where a stop left off. */
  async labelRest(): Promise<void> {
    if (this.restRunning) return;
    this.restRunning = true;
    this.error = null;
    try {
      await this.#writes; // the person's labels are demonstrations too
      const r = await this.#client.request({ kind: 'labelRest', runId: this.runId });
      this.rest = { done: r.done, total: r.total };
      this.status = r.stopped ? `Stopped after ${r.done} of ${r.total} items; Resume carries on from there.` : `Labeled the rest: ${r.total} items.`;
    } catch (e) {
      this.error = toErrorInfo(e);
    } finally {
      this.restRunning = false;
      this.restStopping = false;
    }
    await this.load();
  }

  async stopRest(): Promise<void> {
    this.restStopping = true;
    try {
      await this.#client.request({ kind: 'stopLabelRest', runId: this.runId });
    } catch (e) {
      this.error = toErrorInfo(e);
    }
  }

  /** Zero-shot, random-label few-shot, bootstrapped and gold few-shot on the run's pool, beside ICM;
   *  on a server, gold few-shot only when the person ticked goldToServer. */
  async runBaselines(): Promise<void> {
    if (this.baselinesRunning) return;
    this.baselinesRunning = true;
    this.baselineProgress = {};
    this.error = null;
    try {
      this.report = await this.#client.request({ kind: 'baselines', runId: this.runId, goldToServer: this.goldToServer });
      this.status = 'Baselines done.';
    } catch (e) {
      this.error = toErrorInfo(e);
    } finally {
      this.baselinesRunning = false;
    }
    await this.load();
  }

  onProgress(task: 'labelRest' | BaselineMethod, p: Progress): void {
    if (task === 'labelRest') this.rest = p;
    else this.baselineProgress = { ...this.baselineProgress, [task]: p };
  }

  async exportRun(format: ExportFormat): Promise<ExportFile | null> {
    this.error = null;
    try {
      await this.#writes; // the file has every decision made
      return await this.#client.request({ kind: 'exportRun', runId: this.runId, format });
    } catch (e) {
      this.error = toErrorInfo(e);
      return null;
    }
  }

  dismissError(): void {
    this.error = null;
  }
}

/** A copy of `rows` with one row replaced (the array is replaced wholesale, as $state.raw needs). */
function replaced(rows: ReviewRow[], pos: number, row: ReviewRow): ReviewRow[] {
  const copy = rows.slice();
  copy[pos] = row;
  return copy;
}

const labelWord = (label: boolean | null) => (label === null ? 'unlabeled' : label ? 'True' : 'False');
