// What every import parser returns: the file's rows as a table of cells, or errors that name
// the row and the field, so a person can find and fix the line in their file.

export type ImportFormat = 'csv' | 'tsv' | 'json' | 'jsonl';

/** One value as the file had it. CSV and TSV give strings; JSON gives strings, numbers,
 *  booleans and nulls (nested objects and arrays arrive as their JSON text). */
export type Cell = string | number | boolean | null;

export interface Table {
  format: ImportFormat;
  columns: string[];
  rows: (Cell | undefined)[][]; // rows[r][c] is column c of row r; undefined: a JSON object without that field
  lines: number[]; // 1-based line on which row r starts (CSV, TSV, JSONL); empty for a JSON array
  notes?: string[]; // what a person should know about how the file was read (it may have been cut short)
}

export interface ImportError {
  message: string; // a whole sentence naming the row and the field
  row: number | null; // 1-based data row (header excluded), or the JSONL line, or the JSON item; null: the whole file
  field: string | null;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: ImportError[] };

export const fail = (message: string, row: number | null = null, field: string | null = null): { ok: false; errors: ImportError[] } => ({
  ok: false,
  errors: [{ message, row, field }],
});

/** How a person finds row r (0-based) of the table in their file. */
export function rowName(table: Pick<Table, 'format' | 'lines'>, r: number): string {
  if (table.format === 'jsonl') return `Line ${table.lines[r]}`;
  if (table.format === 'json') return `Item ${r + 1}`;
  const line = table.lines[r];
  return line === r + 2 ? `Row ${r + 1}` : `Row ${r + 1} (line ${line})`;
}

/** The number that rowName shows first, as ImportError.row. */
export const rowNumber = (table: Pick<Table, 'format' | 'lines'>, r: number): number => (table.format === 'jsonl' ? table.lines[r] : r + 1);

/** The widest file read. An item needs at most seven columns; past a few thousand the mapping
 *  screen's lists and sample table stall the tab (1 M columns crashed it), so wider files are
 *  refused with a message rather than half-shown. */
export const MAX_COLUMNS = 1000;

export const tooWide = (n: number | string): string =>
  `The file has ${typeof n === 'number' ? n.toLocaleString('en-US') : n} columns; this app reads at most ${MAX_COLUMNS.toLocaleString('en-US')}. Keep only the columns an item needs (question, claim or responses, group, key, gold label, id) and import that.`;

/** Stop collecting after this many errors: a file with a systematic problem would list every row. */
export const MAX_ERRORS = 20;

/** Collects errors up to MAX_ERRORS and counts the rest. */
export class ErrorList {
  readonly errors: ImportError[] = [];
  private more = 0;
  add(message: string, row: number | null, field: string | null): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push({ message, row, field });
    else this.more++;
  }
  get full(): boolean {
    return this.errors.length >= MAX_ERRORS;
  }
  get empty(): boolean {
    return this.errors.length === 0;
  }
  /** The errors, with one closing line counting those left out. */
  list(): ImportError[] {
    if (this.more === 0) return this.errors;
    return [...this.errors, { message: `…and ${this.more} more problem${this.more === 1 ? '' : 's'} like these.`, row: null, field: null }];
  }
}

const NUL_FIX = 'A text file has none: the file may be binary, or UTF-16 without its byte-order mark. Save it as UTF-8 text and import it again.';

/**
 * The table, or an error for every cell (and column name) holding a NUL character: a text file
 * has none, so the file is binary, or UTF-16 read without its byte-order mark, and its text
 * would be garbage. `seen`: the raw text had one; a parse that failed then says so first, as the
 * likely cause of its other errors.
 */
export function withoutNul(result: Result<Table>, seen: boolean): Result<Table> {
  if (!result.ok) return seen ? { ok: false, errors: [{ message: `The file holds NUL characters (byte 0). ${NUL_FIX}`, row: null, field: null }, ...result.errors] } : result;
  if (!seen) return result;
  const t = result.value;
  const errors = new ErrorList();
  t.columns.forEach((name, c) => name.includes('\0') && errors.add(`The header: column ${c + 1} holds a NUL character (byte 0). ${NUL_FIX}`, null, null));
  for (let r = 0; r < t.rows.length && !errors.full; r++)
    t.rows[r].forEach((cell, c) => typeof cell === 'string' && cell.includes('\0') && errors.add(`${rowName(t, r)}: field "${t.columns[c]}" holds a NUL character (byte 0). ${NUL_FIX}`, rowNumber(t, r), t.columns[c]));
  return errors.empty ? result : { ok: false, errors: errors.list() };
}
