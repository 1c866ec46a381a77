// Unwrapping parse results in the import tests.
import type { Result, Table } from './table';

export function table(r: Result<Table>): Table {
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}

export function errors(r: Result<Table>) {
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}
