// JSON (an array of objects, or {"data": [...]}) and JSONL (one object per line). Columns
// are every field name, in the order they first appear; an object without a field leaves
// that cell undefined. Nested objects and arrays are kept as their JSON text.

import { jsonErrorPlace } from './jsonError';
import { ErrorList, fail, type Cell, type Result, type Table } from './table';

const BOM = '\uFEFF';

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? 'a boolean' : typeof v;
}

function cell(v: unknown): Cell {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v) ?? null;
}

/** Rows of `objects` under the union of their field names. */
function toTable(format: 'json' | 'jsonl', objects: JsonObject[], lines: number[]): Table {
  const index = new Map<string, number>();
  for (const o of objects) for (const k in o) if (!index.has(k)) index.set(k, index.size);
  const columns = [...index.keys()];
  const rows = objects.map((o) => {
    const row = new Array<Cell | undefined>(columns.length);
    for (const k in o) row[index.get(k) as number] = cell(o[k]);
    return row;
  });
  return { format, columns, rows, lines };
}

/** JSON.parse's message without the copy of the text V8 puts in it, nor its position (said separately). */
const reason = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e))
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/,? *in JSON at position \d+.*$/s, '')
    .replace(/^JSON\.parse: /, '');

export function parseJson(text: string): Result<Table> {
  if (text.startsWith(BOM)) text = text.slice(1);
  if (text.trim() === '') return fail('The file is empty.');
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    return fail(`The file is not valid JSON${jsonErrorPlace(text)}: ${reason(e)}.`);
  }
  const items = Array.isArray(root) ? root : isObject(root) && Array.isArray(root.data) ? root.data : null;
  if (items === null)
    return fail(`The file holds ${describe(root)}, not a list of items: expected an array of objects, or an object whose "data" field is one.`);
  if (items.length === 0) return fail('The file has no items: its list is empty.');
  const errors = new ErrorList();
  items.forEach((it, i) => {
    if (!isObject(it)) errors.add(`Item ${i + 1} is ${describe(it)}, not an object with named fields.`, i + 1, null);
  });
  if (!errors.empty) return { ok: false, errors: errors.list() };
  return { ok: true, value: toTable('json', items as JsonObject[], []) };
}

/** JSONL, pushed in chunks of any size; blank lines are skipped. */
export class JsonlParser {
  private rest = ''; // an unfinished last line
  private line = 0; // lines completed
  private started = false;
  private readonly objects: JsonObject[] = [];
  private readonly lines: number[] = [];
  private readonly errors = new ErrorList();

  push(chunk: string): void {
    if (!this.started) {
      this.started = true;
      if (chunk.startsWith(BOM)) chunk = chunk.slice(1);
    }
    let text = this.rest + chunk;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      this.readLine(text.slice(from, nl));
      from = nl + 1;
    }
    this.rest = text.slice(from);
    text = '';
  }

  finish(): Result<Table> {
    if (this.rest !== '') this.readLine(this.rest);
    this.rest = '';
    if (!this.errors.empty) return { ok: false, errors: this.errors.list() };
    if (this.objects.length === 0) return fail('The file is empty: it has no lines with an object.');
    return { ok: true, value: toTable('jsonl', this.objects, this.lines) };
  }

  private readLine(raw: string): void {
    this.line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.errors.add(`Line ${this.line} is not valid JSON: ${reason(e)}.`, this.line, null);
      return;
    }
    if (!isObject(value)) {
      this.errors.add(`Line ${this.line} holds ${describe(value)}, not an object with named fields.`, this.line, null);
      return;
    }
    this.objects.push(value);
    this.lines.push(this.line);
  }
}

export function parseJsonl(text: string): Result<Table> {
  const parser = new JsonlParser();
  parser.push(text);
  return parser.finish();
}
