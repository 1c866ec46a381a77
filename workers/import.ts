// Importing a file in the worker: parse it, keep it as a draft while the person maps its fields,
// preview one row as the model will read it, and store the mapped dataset.

import { applyMapping, fail, formatFromName, guessMapping, parseChunks, previewText, sniffFormat, type ImportFormat, type Result, type Table } from '../src/lib/data/import';
import type { Dataset } from '../src/lib/data/types';
import type { ReplyMap } from '../src/lib/protocol';
import { HostError } from './errors';
import type { Handlers, Req } from './handlers';
import type { LabelingContext } from './labeling';

const SAMPLE_ROWS = 5;

const decoded = (file: File, encoding: string, format: ImportFormat) =>
  parseChunks(file.stream().pipeThrough(new TextDecoderStream(encoding, { fatal: true })) as unknown as AsyncIterable<string>, format);

/** The file parsed as UTF-8 (UTF-16 when it starts with that byte-order mark). Text that is not
 *  valid UTF-8 is read again as Windows-1252, the usual spreadsheet export encoding (of which
 *  Latin-1 is a part), and a note says so: replacing each bad byte with U+FFFD turned "Québec"
 *  into "Qu\uFFFDbec" without a word. */
async function readFile(file: File, format: ImportFormat): Promise<{ parsed: Result<Table>; notes: string[] }> {
  const bom = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  const utf16 = bom[0] === 0xff && bom[1] === 0xfe ? 'utf-16le' : bom[0] === 0xfe && bom[1] === 0xff ? 'utf-16be' : null;
  try {
    return { parsed: await decoded(file, utf16 ?? 'utf-8', format), notes: [] };
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    if (utf16) return { parsed: fail(`The file starts like ${utf16.toUpperCase()} text but is not valid ${utf16.toUpperCase()}; save it as UTF-8 and import it again.`), notes: [] };
  }
  const parsed = await decoded(file, 'windows-1252', format);
  return { parsed, notes: ['The file is not UTF-8 text, so it was read as Windows-1252 (Latin-1). Check accented letters in the preview; if they look wrong, save the file as UTF-8 and import it again.'] };
}

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
    const { parsed, notes } = await readFile(req.file, format);
    if (!parsed.ok) return parsed;
    const table = parsed.value;
    const draftId = ctx.newId();
    drafts.set(draftId, { fileName: req.file.name, table });
    const guess = guessMapping(table.columns, table.rows.slice(0, 50));
    const sample = table.rows.slice(0, SAMPLE_ROWS).map((row) => row.map((c) => c ?? null));
    return { ok: true, draft: { draftId, fileName: req.file.name, format, columns: table.columns, sample, rows: table.rows.length, guess, notes: [...notes, ...(table.notes ?? [])] } };
  }

  function preview(req: Req<'previewImport'>): ReplyMap['previewImport'] {
    const r = previewText(draft(req.draftId).table, req.mapping, req.row);
    return r.ok ? { ok: true, text: r.value } : r;
  }

  async function saveImport(req: Req<'saveImport'>): Promise<ReplyMap['saveImport']> {
    const d = draft(req.draftId);
    const id = `import-${ctx.newId()}`;
    const mapped = applyMapping(d.table, req.mapping, { id, name: req.name.trim() || d.fileName, exclusive: req.exclusive });
    if (!mapped.ok) return mapped;
    const { dataset } = mapped.value;
    await (await ctx.store()).putDataset(dataset); // nothing is stored unless the whole file mapped
    drafts.delete(req.draftId);
    return { ok: true, dataset: ctx.datasetAdded(dataset), notes: mapped.value.notes };
  }

  return { importFile, previewImport: preview, saveImport };
}
