// Anything thrown inside the worker, as the {name, message} object that crosses the boundary.

import type { ErrorInfo } from '../src/lib/protocol';

export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof Error) return { name: e.name, message: e.message || e.name };
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') {
    const name = 'name' in e && typeof e.name === 'string' ? e.name : 'Error';
    return { name, message: e.message };
  }
  return { name: 'Error', message: String(e) };
}

/** A failure the host explains itself (unknown run, missing dataset). */
export class HostError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}
