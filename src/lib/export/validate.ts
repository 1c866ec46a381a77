// A small strict validator for data read back from a file: each schema checks a value's
// shape and range, names every fault by its path ("runs[2].config.alpha: …"), and rejects fields
// it does not know. Schemas are typed against the app's own types (object<T> must list every
// field of T), so a field added to a type without its schema fails to compile. A file's names
// are never looked up on an object's prototype: "__proto__", "constructor" or "valueOf" is an
// unknown field, tag or number like any other (Object.hasOwn, never `in`).

export const INVALID: unique symbol = Symbol('invalid');
type Invalid = typeof INVALID;

export class Issues {
  readonly list: string[] = [];
  constructor(private readonly limit = 20) {}
  add(path: string, message: string): void {
    if (this.list.length < this.limit) this.list.push(`${path || 'The file'}: ${message}`);
    else if (this.list.length === this.limit) this.list.push('…and more problems like these.');
  }
  get full(): boolean {
    return this.list.length > this.limit;
  }
}

/** Checks `v` at `path`; returns the value (numbers written as "Infinity" and the like become numbers) or INVALID. */
export type Schema<T> = ((v: unknown, path: string, issues: Issues) => T | Invalid) & { optional?: true };

function found(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v).slice(0, 40)}`;
}

export const str: Schema<string> = (v, path, issues) => (typeof v === 'string' ? v : (issues.add(path, `expected text, found ${found(v)}`), INVALID));

export const bool: Schema<boolean> = (v, path, issues) => (typeof v === 'boolean' ? v : (issues.add(path, `expected true or false, found ${found(v)}`), INVALID));

// JSON cannot hold ±Infinity; the export writes them as these strings (and NaN as "NaN", which no
// field accepts: the app never stores one on purpose)
const INFINITE: Record<string, number> = { Infinity: Infinity, '-Infinity': -Infinity };

/** A finite number. */
export const num: Schema<number> = (v, path, issues) => {
  if (typeof v === 'number') return v;
  issues.add(path, v === 'NaN' || (typeof v === 'string' && Object.hasOwn(INFINITE, v)) ? `is ${v}; it must be a finite number` : `expected a number, found ${found(v)}`);
  return INVALID;
};

/** A number that may be ±Infinity (written "Infinity" / "-Infinity"): a score or log-odds where a model gave a label probability 0. Never NaN. */
export const extended: Schema<number> = (v, path, issues) => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && Object.hasOwn(INFINITE, v)) return INFINITE[v];
  issues.add(path, `expected a number${v === 'NaN' ? ', found "NaN" (not a number)' : `, found ${found(v)}`}`);
  return INVALID;
};

export const int: Schema<number> = (v, path, issues) => {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  issues.add(path, `expected a whole number, found ${found(v)}`);
  return INVALID;
};

/** A number in [min, max] (whole when `integer`); `rule` says so in the message. */
export function between(min: number, max: number, integer = false, rule = `between ${min} and ${max}`): Schema<number> {
  return (v, path, issues) => {
    const x = (integer ? int : num)(v, path, issues);
    if (x === INVALID) return INVALID;
    if (x >= min && x <= max) return x;
    issues.add(path, `is ${x}; it must be ${rule}`);
    return INVALID;
  };
}

/** A count: a whole number ≥ 0. */
export const count = between(0, Number.MAX_SAFE_INTEGER, true, 'a whole number, at least 0');

/** A moment as ms since 1970, one a Date can show (not "Invalid Date"). */
export const date: Schema<number> = (v, path, issues) => {
  const x = num(v, path, issues);
  if (x === INVALID) return INVALID;
  if (x >= 0 && x <= 8.64e15) return x;
  issues.add(path, `is ${x}, not a date (milliseconds since 1970, at most 8.64e15)`);
  return INVALID;
};

/** A date written as text (an ISO date and time). */
export const dateText: Schema<string> = (v, path, issues) => {
  const t = str(v, path, issues);
  if (t === INVALID) return INVALID;
  if (!Number.isNaN(Date.parse(t))) return t;
  issues.add(path, `is "${t.slice(0, 40)}", not a date`);
  return INVALID;
};

export function literal<const L extends readonly (string | number | boolean)[]>(...values: L): Schema<L[number]> {
  return (v, path, issues) => {
    if (values.includes(v as L[number])) return v as L[number];
    issues.add(path, `expected ${values.map((x) => JSON.stringify(x)).join(' or ')}, found ${found(v)}`);
    return INVALID;
  };
}

export function nullable<T>(s: Schema<T>): Schema<T | null> {
  return (v, path, issues) => (v === null ? null : s(v, path, issues));
}

/** A field that may be absent. */
export function optional<T>(s: Schema<T>): Schema<T | undefined> {
  const schema: Schema<T | undefined> = (v, path, issues) => (v === undefined ? undefined : s(v, path, issues));
  schema.optional = true;
  return schema;
}

export function array<T>(s: Schema<T>): Schema<T[]> {
  return (v, path, issues) => {
    if (!Array.isArray(v)) {
      issues.add(path, `expected a list, found ${found(v)}`);
      return INVALID;
    }
    const out: T[] = new Array(v.length);
    let ok = true;
    for (let i = 0; i < v.length && !issues.full; i++) {
      const x = s(v[i], `${path}[${i}]`, issues);
      if (x === INVALID) ok = false;
      else out[i] = x;
    }
    return ok && !issues.full ? out : INVALID;
  };
}

export function tuple<A, B>(a: Schema<A>, b: Schema<B>): Schema<[A, B]> {
  return (v, path, issues) => {
    if (!Array.isArray(v) || v.length !== 2) {
      issues.add(path, `expected a list of 2, found ${found(v)}`);
      return INVALID;
    }
    const x = a(v[0], `${path}[0]`, issues);
    const y = b(v[1], `${path}[1]`, issues);
    return x === INVALID || y === INVALID ? INVALID : [x, y];
  };
}

/** A list of exactly four values (an Rng state). */
export function quad<T>(s: Schema<T>): Schema<[T, T, T, T]> {
  return (v, path, issues) => {
    if (!Array.isArray(v) || v.length !== 4) {
      issues.add(path, `expected a list of 4, found ${found(v)}`);
      return INVALID;
    }
    const xs = v.map((x, i) => s(x, `${path}[${i}]`, issues));
    return xs.some((x) => x === INVALID) ? INVALID : (xs as [T, T, T, T]);
  };
}

export type Shape<T> = { [K in keyof T]-?: Schema<T[K]> };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An object with exactly these fields (optional ones may be absent); any other field is an error. */
export function object<T>(shape: Shape<T>): Schema<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  return (v, path, issues) => {
    if (!isRecord(v)) {
      issues.add(path, `expected an object, found ${found(v)}`);
      return INVALID;
    }
    let ok = true;
    const out: Partial<T> = {};
    for (const k of keys) {
      const s = shape[k] as Schema<T[typeof k]>;
      const at = path ? `${path}.${k}` : k;
      if (!Object.hasOwn(v, k) && !s.optional) {
        issues.add(at, 'is missing');
        ok = false;
        continue;
      }
      const x = s(Object.hasOwn(v, k) ? v[k] : undefined, at, issues);
      if (x === INVALID) ok = false;
      else if (x !== undefined) out[k] = x;
    }
    for (const k of Object.keys(v))
      if (!Object.hasOwn(shape, k)) {
        issues.add(path ? `${path}.${k}` : k, 'is not a field this file format has');
        ok = false;
      }
    return ok ? (out as T) : INVALID;
  };
}

/** One of several object schemas, chosen by the text field `tag`. */
export function tagged<T extends object>(tag: string, variants: Record<string, Schema<T>>): Schema<T> {
  return (v, path, issues) => {
    const t = isRecord(v) && Object.hasOwn(v, tag) ? v[tag] : undefined;
    const s = typeof t === 'string' && Object.hasOwn(variants, t) ? variants[t] : undefined;
    if (s) return s(v, path, issues);
    issues.add(path ? `${path}.${tag}` : tag, `expected ${Object.keys(variants).map((k) => JSON.stringify(k)).join(' or ')}, found ${found(t)}`);
    return INVALID;
  };
}
