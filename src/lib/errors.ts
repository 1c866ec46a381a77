// Anything thrown, on either side of the worker boundary, as the {name, message} object the
// protocol carries and a person reads.

import type { ErrorInfo } from './protocol';

export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof Error) return { name: e.name, message: e.message || e.name };
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') {
    const name = 'name' in e && typeof e.name === 'string' ? e.name : 'Error';
    return { name, message: e.message };
  }
  return { name: 'Error', message: String(e) };
}
