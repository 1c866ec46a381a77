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
