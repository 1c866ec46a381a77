// Importing a file in the worker: parse it, keep it as a draft while the person maps its fields,
// preview one row as the model will read it, and store the mapped dataset.

import { applyMapping, formatFromName, guessMapping, parseChunks, previewText, sniffFormat, type Table } from '../src/lib/data/import';
import type { Dataset } from '../src/lib/data/types';
import type { ReplyMap } from '../src/lib/protocol';
import { HostError } from './errors';
import type { Handlers, Req } from './handlers';
import type { LabelingContext } from './labeling';

const SAMPLE_ROWS = 5;

export function createImport(ctx: LabelingContext): Pick<Handlers, 'importFile' | 'previewImport' | 'saveImport'> {
  const drafts = new Map<string, { fileName: string; table: Table }>(); // parsed files awaiting a mapping

  function draft(id: string): { fileName: string; table: Table } {
    const d = drafts.get(id);
    if (!d) throw new HostError('NotFoundError', 'This import is no longer open (the page was reloaded). Choose the file again.');
    return d;
  }

  async function importFile(req: Req<'importFile'>): Promise<ReplyMap['importFile']> {
    const head = await req.file.slice(0, 2048).text();
    const format = formatFromName(req.file.name) ?? sniffFormat(head);
    const chunks = req.file.stream().pipeThrough(new TextDecoderStream());
    const parsed = await parseChunks(chunks as unknown as AsyncIterable<string>, format);
    if (!parsed.ok) return parsed;
    const table = parsed.value;
    const draftId = ctx.newId();
    drafts.set(draftId, { fileName: req.file.name, table });
    const guess = guessMapping(table.columns, table.rows.slice(0, 50));
    return { ok: true, draft: { draftId, fileName: req.file.name, format, columns: table.columns, sample: table.rows.slice(0, SAMPLE_ROWS).map((row) => row.map((c) => c ?? null)), rows: table.rows.length, guess } };
  }

  function preview(req: Req<'previewImport'>): ReplyMap['previewImport'] {
    const r = previewText(draft(req.draftId).table, req.mapping, req.row);
    return r.ok ? { ok: true, text: r.value } : r;
  }

  async function saveImport(req: Req<'saveImport'>): Promise<ReplyMap['saveImport']> {
    const d = draft(req.draftId);
    const id = `import-${ctx.newId()}`;
    const mapped = applyMapping(d.table, req.mapping, { id, name: req.name.trim() || d.fileName });
    if (!mapped.ok) return mapped;
    const dataset: Dataset = { ...mapped.value.dataset, exclusive: req.exclusive };
    await (await ctx.store()).putDataset(dataset); // nothing is stored unless the whole file mapped
    drafts.delete(req.draftId);
    return { ok: true, dataset: ctx.datasetAdded(dataset), notes: mapped.value.notes };
  }

  return { importFile, previewImport: preview, saveImport };
}
