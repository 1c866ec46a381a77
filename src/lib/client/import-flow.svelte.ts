// Importing a file of one's own: choose it (the worker parses it), map its fields (starting
// from the worker's guess; the paper's layout needs no changes), preview the exact text the
// model will read for any row, then save it as a dataset. Nothing is stored unless every row
// maps; the errors name the row and the field.

import type { TaskKind } from '../data/types';
import { validateMapping, type FieldMapping, type MappingErrors } from '../data/import/mapping';
import { formatFromName } from '../data/import/parse';
import type { ImportError } from '../data/import/table';
import type { DatasetSummary, ErrorInfo, ImportDraft } from '../protocol';
import { toErrorInfo, type Client } from './client';
import { Latest } from './latest';

export type ImportPhase = 'choose' | 'reading' | 'mapping' | 'saving' | 'saved';

export type Preview = { ok: true; text: string } | { ok: false; errors: ImportError[] };

const emptyMapping = (): FieldMapping => ({ kind: 'factual', question: null, claim: null, response2: null, group: null, key: { kind: 'claimText' }, gold: null, id: null });

/** Whether different keys in a group exclude each other, before a person says: yes, except for the
 *  paper's factual layout (TruthfulQA-style questions often have several right answers). */
export const defaultExclusive = (draft: Pick<ImportDraft, 'guess'>): boolean => !(draft.guess.paperLayout && draft.guess.mapping.kind === 'factual');

export class ImportFlow {
  phase = $state<ImportPhase>('choose');
  fileName = $state('');
  draft = $state.raw<ImportDraft | null>(null);
  mapping = $state<FieldMapping>(emptyMapping());
  name = $state('');
  exclusive = $state(true);
  previewRow = $state(1); // 1-based data row
  preview = $state.raw<Preview | null>(null);
  errors = $state.raw<ImportError[]>([]); // why the file could not be read or saved
  failure = $state.raw<ErrorInfo | null>(null); // a request that failed outright
  saved = $state.raw<{ dataset: DatasetSummary; notes: string[] } | null>(null);

  /** Messages for beside each mapping field, checked as the person edits (the worker checks again). */
  mappingErrors = $derived.by((): MappingErrors => (this.draft ? validateMapping(this.draft.columns, this.mapping) : {}));
  mappingOk = $derived(Object.keys(this.mappingErrors).length === 0);

  #client: Client;
  #onSaved: (ds: DatasetSummary) => void;
  #preview = new Latest();
  #file = new Latest();

  constructor(client: Client, onSaved: (ds: DatasetSummary) => void = () => {}) {
    this.#client = client;
    this.#onSaved = onSaved;
  }

  /** Reads a file the person chose or dropped; on success the mapping step starts from the guess. */
  async choose(file: File): Promise<void> {
    const current = this.#file.take();
    this.reset();
    this.fileName = file.name;
    if (formatFromName(file.name) === null) {
      this.errors = [{ message: `"${file.name}" is not a CSV, TSV, JSON or JSONL file (by its name). Choose a file ending in .csv, .tsv, .json or .jsonl.`, row: null, field: null }];
      return;
    }
    this.phase = 'reading';
    try {
      const reply = await this.#client.request({ kind: 'importFile', file });
      if (!current()) return;
      if (!reply.ok) {
        this.errors = reply.errors;
        this.phase = 'choose';
        return;
      }
      const { draft } = reply;
      this.draft = draft;
      this.mapping = structuredClone(draft.guess.mapping);
      this.name = draft.fileName.replace(/\.[^.]+$/, '');
      this.exclusive = defaultExclusive(draft);
      this.phase = 'mapping';
      await this.refreshPreview();
    } catch (e) {
      if (!current()) return;
      this.failure = toErrorInfo(e);
      this.phase = 'choose';
    }
  }

  setKind(kind: TaskKind): void {
    this.mapping.kind = kind;
    // comparison keys are always the ordering; a claim task needs a key rule of its own
    if (kind === 'comparison') this.mapping.key = { kind: 'perItem' };
    else if (this.mapping.key.kind === 'perItem' && this.draft?.guess.mapping.key.kind !== 'perItem') this.mapping.key = structuredClone(this.draft?.guess.mapping.key ?? { kind: 'claimText' });
  }

  /** Asks the worker for the exact text the model reads for `previewRow` under the current mapping. */
  async refreshPreview(): Promise<void> {
    const draft = this.draft;
    if (!draft) return;
    const current = this.#preview.take();
    const row = Math.max(0, Math.min(draft.rows - 1, Math.round(this.previewRow) - 1));
    if (!this.mappingOk) {
      this.preview = null;
      return;
    }
    try {
      const reply = await this.#client.request({ kind: 'previewImport', draftId: draft.draftId, mapping: $state.snapshot(this.mapping), row });
      if (current()) this.preview = reply;
    } catch (e) {
      if (current()) this.failure = toErrorInfo(e);
    }
  }

  /** Saves the dataset when every row maps; otherwise lists what to fix, by row and field. */
  async save(): Promise<void> {
    const draft = this.draft;
    if (!draft || !this.mappingOk || this.phase === 'saving') return;
    this.phase = 'saving';
    this.errors = [];
    this.failure = null;
    try {
      const exclusive = this.mapping.kind === 'comparison' ? true : this.exclusive;
      const reply = await this.#client.request({ kind: 'saveImport', draftId: draft.draftId, mapping: $state.snapshot(this.mapping), name: this.name, exclusive });
      if (!reply.ok) {
        this.errors = reply.errors;
        this.phase = 'mapping';
        return;
      }
      this.saved = { dataset: reply.dataset, notes: reply.notes };
      this.phase = 'saved';
      this.#onSaved(reply.dataset);
    } catch (e) {
      this.failure = toErrorInfo(e);
      this.phase = 'mapping';
    }
  }

  /** Back to choosing a file. */
  reset(): void {
    this.#preview.drop();
    this.phase = 'choose';
    this.fileName = '';
    this.draft = null;
    this.mapping = emptyMapping();
    this.name = '';
    this.exclusive = true;
    this.previewRow = 1;
    this.preview = null;
    this.errors = [];
    this.failure = null;
    this.saved = null;
  }
}
