// CSV and TSV (RFC 4180): fields separated by a comma (or a tab), records by CRLF, LF or CR;
// a field in double quotes may hold separators, line breaks and doubled quotes ("").
// The first record is the header. A UTF-8 byte-order mark is dropped, blank lines are
// skipped. Departures, for files people actually have: a quote inside an unquoted field is
// kept as text; text after a closing quote is an error (it means the quoting is broken).
//
// Incremental: push() takes the file in chunks of any size (a quote or a CRLF may be split
// across two), so a large file can be read from File.stream() without holding it twice.
// One pass, O(n) in the file's length.
//
// A quote error names the row, the line and the field. A file whose last field is unquoted and
// not followed by a line break may have been cut inside that field (an interrupted download): it
// is read, with a note that says which field to check.

import { ErrorList, MAX_COLUMNS, tooWide, type ImportError, type ImportFormat, type Result, type Table } from './table';

const QUOTE = 34;
const CR = 13;
const LF = 10;
const BOM = '\uFEFF';

// parser states
const S = {
  FieldStart: 0, // at the start of a field
  Unquoted: 1, // inside an unquoted field
  Quoted: 2, // inside a quoted field
  QuoteInQuoted: 3, // just read a quote inside a quoted field: a closing quote, or the first of ""
  AfterCR: 4, // just read a CR that ended a record: an LF right after it belongs to it
} as const;
type State = (typeof S)[keyof typeof S];

export class DelimitedParser {
  private readonly sep: number;
  private state: State = S.FieldStart;
  private field = ''; // the current field's text so far, carried across chunks
  private record: string[] = [];
  private line = 1; // current line, 1-based
  private recordLine = 1; // line on which the current record started
  private quoteLine = 1; // line of the quote that opened the current quoted field
  private started = false;
  private columns: string[] | null = null;
  private readonly rows: string[][] = [];
  private readonly lines: number[] = [];
  private dataRows = 0; // data records read, good or bad: the next one is row dataRows + 1
  private readonly errors = new ErrorList();
  private broken: ImportError | null = null; // a fault after which nothing more can be read
  private readonly notes: string[] = [];

  constructor(private readonly format: Extract<ImportFormat, 'csv' | 'tsv'>) {
    this.sep = format === 'tsv' ? 9 : 44;
  }

  push(chunk: string): void {
    if (this.broken) return;
    let i = 0;
    if (!this.started) {
      this.started = true;
      if (chunk.startsWith(BOM)) i = 1;
    }
    const n = chunk.length;
    const sep = this.sep;
    let start = i; // where the current field's text begins in this chunk
    for (; i < n; i++) {
      const c = chunk.charCodeAt(i);
      switch (this.state) {
        case S.FieldStart:
          if (c === QUOTE) {
            this.state = S.Quoted;
            this.quoteLine = this.line;
            start = i + 1;
          } else if (c === sep) this.endField('');
          else if (c === CR || c === LF) this.endLine(c, '');
          else {
            this.state = S.Unquoted;
            start = i;
          }
          break;
        case S.Unquoted:
          if (c === sep) {
            this.endField(this.field + chunk.slice(start, i));
            this.state = S.FieldStart;
          } else if (c === CR || c === LF) this.endLine(c, this.field + chunk.slice(start, i));
          break;
        case S.Quoted:
          if (c === QUOTE) {
            this.field += chunk.slice(start, i);
            this.state = S.QuoteInQuoted;
          } else if (c === LF) this.line++;
          break;
        case S.QuoteInQuoted:
          if (c === QUOTE) {
            this.field += '"';
            this.state = S.Quoted;
            start = i + 1;
          } else if (c === sep) {
            this.endField(this.field);
            this.state = S.FieldStart;
          } else if (c === CR || c === LF) this.endLine(c, this.field);
          else {
            this.breakOff(`has text after a closing quote on line ${this.line}. Put the whole field in quotes and double any quote inside it ("").`);
            return;
          }
          break;
        case S.AfterCR:
          this.line++;
          this.recordLine = this.line;
          this.state = S.FieldStart;
          if (c !== LF) i--; // a lone CR: read this character again as the start of the next record
          break;
      }
      if (this.broken) return;
    }
    if (this.state === S.Unquoted || this.state === S.Quoted) this.field += chunk.slice(start);
  }

  /** The table, once the whole file has been pushed. */
  finish(): Result<Table> {
    if (!this.broken) {
      switch (this.state) {
        case S.Quoted:
          this.breakOff(
            `has a quote on line ${this.quoteLine} that is never closed before the file ends. If the file was cut short (an interrupted download or copy), import the whole file; otherwise close the quote, or double it ("") if it is part of the text.`,
          );
          break;
        case S.Unquoted: {
          const rows = this.rows.length;
          const column = this.columns?.[this.record.length] ?? null;
          const last = this.field;
          this.endField(last);
          this.endRecord();
          // the last row was whole and read: say which field to check, in case the file was cut in it
          if (this.rows.length > rows && column !== null) {
            const tail = last.length > 40 ? `…${last.slice(-40)}` : last;
            this.notes.push(`The file does not end with a line break, so it may have been cut short: check that field "${column}" of its last row (row ${this.dataRows}, line ${this.recordLine}) is whole. It ends "${tail}".`);
          }
          break;
        }
        case S.QuoteInQuoted:
          this.endField(this.field);
          this.endRecord();
          break;
        case S.FieldStart:
          if (this.record.length > 0) {
            this.endField('');
            this.endRecord();
          }
          break;
        case S.AfterCR:
          break;
      }
    }
    if (this.broken) return { ok: false, errors: [...this.errors.list(), this.broken] };
    if (this.columns === null) return { ok: false, errors: [{ message: 'The file is empty: it has no header and no rows.', row: null, field: null }] };
    if (!this.errors.empty) return { ok: false, errors: this.errors.list() };
    if (this.rows.length === 0)
      return { ok: false, errors: [{ message: 'The file has a header row but no data rows below it.', row: null, field: null }] };
    return { ok: true, value: { format: this.format, columns: this.columns, rows: this.rows, lines: this.lines, ...(this.notes.length ? { notes: this.notes } : {}) } };
  }

  private endField(text: string): void {
    this.record.push(text);
    this.field = '';
    if (this.columns === null && this.record.length > MAX_COLUMNS) this.broken = { message: tooWide(`more than ${MAX_COLUMNS.toLocaleString('en-US')}`), row: null, field: null };
  }

  /** A CR or LF outside quotes ends the field and the record. */
  private endLine(c: number, text: string): void {
    this.endField(text);
    this.endRecord();
    if (c === CR) this.state = S.AfterCR;
    else {
      this.line++;
      this.recordLine = this.line;
      this.state = S.FieldStart;
    }
  }

  private endRecord(): void {
    const record = this.record;
    this.record = [];
    if (record.length === 1 && record[0] === '') return; // a blank line
    if (this.columns === null) {
      this.columns = this.header(record);
      return;
    }
    this.dataRows++;
    const cols = this.columns;
    if (record.length !== cols.length) {
      const where = this.recordLine === this.dataRows + 1 ? `Row ${this.dataRows}` : `Row ${this.dataRows} (line ${this.recordLine})`;
      if (record.length < cols.length) {
        const missing = cols[record.length];
        this.errors.add(`${where} has ${record.length} field${record.length === 1 ? '' : 's'} but the header has ${cols.length}: field "${missing}" and any after it are missing.`, this.dataRows, missing);
      } else this.errors.add(`${where} has ${record.length} fields but the header has ${cols.length}: there are extra fields after "${cols[cols.length - 1]}". Quote any field that contains a ${this.format === 'tsv' ? 'tab' : 'comma'}.`, this.dataRows, null);
      return;
    }
    this.rows.push(record);
    this.lines.push(this.recordLine);
  }

  /** Column names: trimmed; an empty one is called "column N"; a repeated one is an error. */
  private header(record: string[]): string[] {
    const columns = record.map((name, c) => name.trim() || `column ${c + 1}`);
    const seen = new Map<string, number>();
    columns.forEach((name, c) => {
      const first = seen.get(name);
      if (first === undefined) seen.set(name, c);
      else this.errors.add(`The header names column "${name}" twice (columns ${first + 1} and ${c + 1}): rename one of them.`, null, name);
    });
    return columns;
  }

  /** A quote fault in the field being read, named by row, line and field. */
  private breakOff(what: string): void {
    const row = this.columns === null ? null : this.dataRows + 1;
    const c = this.record.length; // the field being read is the next one of its record
    const field = this.columns?.[c] ?? null;
    let where: string;
    if (row === null) where = `The header, column ${c + 1},`;
    else if (field !== null) where = `Row ${row} (from line ${this.recordLine}), field "${field}",`;
    else where = `Row ${row} (from line ${this.recordLine}), field ${c + 1} (the header has ${this.columns?.length ?? 0}),`;
    this.broken = { message: `${where} ${what}`, row, field };
  }
}

/** Parses a whole CSV or TSV text. */
export function parseDelimited(text: string, format: 'csv' | 'tsv'): Result<Table> {
  const parser = new DelimitedParser(format);
  parser.push(text);
  return parser.finish();
}
