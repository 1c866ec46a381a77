// JSON (an array of objects, or {"data": [...]}) and JSONL (one object per line). Columns
// are every field name, in the order they first appear; an object without a field leaves
// that cell undefined. Nested objects and arrays are kept as their JSON text, up to MAX_DEPTH
// levels: JSON.stringify recurses, and a few thousand levels overflow the stack (measured in
// V8 at 5 000), so deeper values are refused with a message, measured without recursion.

import { duplicateKey, jsonErrorPlace } from './jsonError';
import { ErrorList, fail, MAX_COLUMNS, tooWide, type Cell, type Result, type Table } from './table';

const BOM = '\uFEFF';

type JsonObject = Record<string, unknown>;

export const MAX_DEPTH = 100;

/** How deeply `v` nests arrays and objects (a scalar is 0), counted up to limit + 1, without recursion. */
function nesting(v: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length > 0) {
    const [x, d] = stack.pop() as [unknown, number];
    if (typeof x !== 'object' || x === null) continue;
    if (d + 1 > deepest) deepest = d + 1;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(x) ? x : Object.values(x)) if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
  }
  return deepest;
}

const tooDeep = (what: string) => `${what} nests objects or arrays more than ${MAX_DEPTH} levels deep; this app reads flat records (a nested value is kept as its JSON text). Flatten the file first.`;

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

/** Rows of `objects` under the union of their field names; too many names is an error. */
function toTable(format: 'json' | 'jsonl', objects: JsonObject[], lines: number[]): Result<Table> {
  const index = new Map<string, number>();
  for (const o of objects) for (const k in o) if (!index.has(k)) index.set(k, index.size);
  if (index.size > MAX_COLUMNS) return fail(tooWide(index.size));
  const columns = [...index.keys()];
  const rows = objects.map((o) => {
    const row = new Array<Cell | undefined>(columns.length);
    for (const k in o) row[index.get(k) as number] = cell(o[k]);
    return row;
  });
  return { ok: true, value: { format, columns, rows, lines } };
}

/** A number JSON.parse cannot keep as written: an integer beyond 2^53 (9007199254740993 →
 *  …992, which merges ids and groups), or one past a double's range (1e400 → Infinity, 1e-400 → 0).
 *  Where the browser passes a number's source text to the reviver (JSON.parse source text
 *  access, Chrome 114+), it is kept as that text; elsewhere the mapping refuses the number (apply.ts). */
function keepDigits(_key: string, v: unknown, context?: { source?: string }): unknown {
  if (typeof v !== 'number' || context?.source === undefined) return v;
  const lost = !Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v)) || (v === 0 && /[1-9]/.test(context.source.split(/[eE]/)[0]));
  return lost ? context.source : v;
}

/** JSON.parse, with keepDigits where the text has a run of 16 digits or a 3-digit exponent. A
 *  reviver makes JSON.parse recurse, so it is only used on values shallow enough to be kept anyway. */
function parseValue(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return /\d{16}|\d[eE][+-]?\d{3}/.test(text) && nesting(value, MAX_DEPTH + 1) <= MAX_DEPTH + 1 ? JSON.parse(text, keepDigits) : value;
}

/** A field named twice in one object: JSON.parse keeps the last value, so the first would be lost without a word. */
const twice = (where: string, key: string) => `${where} has the field ${JSON.stringify(key)} twice; JSON keeps only the last value, so the first would be lost without a word. Remove or rename one, then import the file again.`;

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
    root = parseValue(text);
  } catch (e) {
    return fail(`The file is not valid JSON${jsonErrorPlace(text)}: ${reason(e)}.`);
  }
  const dup = duplicateKey(text);
  if (dup) return fail(twice(dup.item === null ? 'The file' : `Item ${dup.item + 1}`, dup.key), dup.item === null ? null : dup.item + 1, dup.key);
  const items = Array.isArray(root) ? root : isObject(root) && Array.isArray(root.data) ? root.data : null;
  if (items === null)
    return fail(`The file holds ${describe(root)}, not a list of items: expected an array of objects, or an object whose "data" field is one.`);
  if (items.length === 0) return fail('The file has no items: its list is empty.');
  const errors = new ErrorList();
  items.forEach((it, i) => {
    if (!isObject(it)) errors.add(`Item ${i + 1} is ${describe(it)}, not an object with named fields.`, i + 1, null);
    else if (nesting(it, MAX_DEPTH) > MAX_DEPTH) errors.add(tooDeep(`Item ${i + 1}`), i + 1, null);
  });
  if (!errors.empty) return { ok: false, errors: errors.list() };
  return toTable('json', items as JsonObject[], []);
}

/** JSONL, pushed in chunks of any size; blank lines are skipped. Linear in the file's size
 *  however long a line is: each chunk is searched once for line ends, and an unfinished line
 *  is kept as its pieces, joined once when its end arrives (re-joining and re-searching the
 *  whole unfinished line at every chunk made a 20 MB line in 64 KiB chunks take 9 s). */
export class JsonlParser {
  private rest: string[] = []; // the pieces of an unfinished last line
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
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', from)) {
      const piece = chunk.slice(from, nl);
      this.readLine(this.rest.length > 0 ? this.rest.join('') + piece : piece);
      this.rest = [];
      from = nl + 1;
    }
    if (from < chunk.length) this.rest.push(chunk.slice(from));
  }

  finish(): Result<Table> {
    if (this.rest.length > 0) this.readLine(this.rest.join(''));
    this.rest = [];
    if (!this.errors.empty) return { ok: false, errors: this.errors.list() };
    if (this.objects.length === 0) return fail('The file is empty: it has no lines with an object.');
    return toTable('jsonl', this.objects, this.lines);
  }

  private readLine(raw: string): void {
    this.line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = parseValue(text);
    } catch (e) {
      this.errors.add(`Line ${this.line} is not valid JSON: ${reason(e)}.`, this.line, null);
      return;
    }
    if (!isObject(value)) {
      this.errors.add(`Line ${this.line} holds ${describe(value)}, not an object with named fields.`, this.line, null);
      return;
    }
    if (nesting(value, MAX_DEPTH) > MAX_DEPTH) {
      this.errors.add(tooDeep(`Line ${this.line}`), this.line, null);
      return;
    }
    const dup = duplicateKey(text);
    if (dup) {
      this.errors.add(twice(`Line ${this.line}`, dup.key), this.line, dup.key);
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
