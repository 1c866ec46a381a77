// The state behind the private-labeling screens (issue 5): the import flow, the review of the
// open run, and the project backup. Progress events from the worker are routed here by the app.

import type { DatasetSummary, ErrorInfo, EventMessage, ExportFile, ReplyMap } from '../protocol';
import { toErrorInfo, type Client } from './client';
import { ImportFlow } from './import-flow.svelte';
import { ReviewSession } from './review.svelte';

export { ImportFlow, defaultExclusive, type ImportPhase, type Preview } from './import-flow.svelte';
export { ReviewSession, type Progress } from './review.svelte';

export interface LabelingHooks {
  datasetSaved(ds: DatasetSummary): void; // a file was imported as a dataset
  projectImported(): Promise<void>; // datasets and runs were restored: ask the worker for them again
}

export type ProjectImportResult = ReplyMap['importProject'];

export class LabelingState {
  readonly imports: ImportFlow;
  review = $state.raw<ReviewSession | null>(null);
  projectBusy = $state(false);
  projectResult = $state.raw<ProjectImportResult | null>(null);
  projectError = $state.raw<ErrorInfo | null>(null);

  #client: Client;
  #hooks: LabelingHooks;

  constructor(client: Client, hooks: LabelingHooks) {
    this.#client = client;
    this.#hooks = hooks;
    this.imports = new ImportFlow(client, (ds) => hooks.datasetSaved(ds));
  }

  /** The review of this run, kept (with its order, filter, undo list and baselines) while the
   *  same run is reviewed; its rows are read again every time it opens. */
  openReview(runId: string, datasetId: string): ReviewSession {
    let session = this.review;
    if (session?.runId !== runId) {
      session = new ReviewSession(this.#client, runId, datasetId);
      this.review = session;
    }
    void session.load();
    return session;
  }

  onEvent(e: EventMessage): void {
    if (e.kind !== 'labelingProgress') return;
    if (this.review?.runId === e.runId) this.review.onProgress(e.task, { done: e.done, total: e.total });
  }

  /** Every dataset, run and label in this browser as one file. */
  async exportProject(): Promise<ExportFile | null> {
    this.projectBusy = true;
    this.projectError = null;
    try {
      return await this.#client.request({ kind: 'exportProject' });
    } catch (e) {
      this.projectError = toErrorInfo(e);
      return null;
    } finally {
      this.projectBusy = false;
    }
  }

  /** Restores a project file; nothing already stored is touched when it is refused. */
  async importProject(file: File): Promise<void> {
    this.projectBusy = true;
    this.projectError = null;
    this.projectResult = null;
    try {
      const reply = await this.#client.request({ kind: 'importProject', text: await file.text() });
      this.projectResult = reply;
      if (reply.ok) await this.#hooks.projectImported();
    } catch (e) {
      this.projectError = toErrorInfo(e);
    } finally {
      this.projectBusy = false;
    }
  }

  /** After a worker restart, a review or import in flight lost its worker-side state. */
  onWorkerLost(): void {
    const r = this.review;
    if (r) {
      r.restRunning = false;
      r.baselinesRunning = false;
    }
  }
}
