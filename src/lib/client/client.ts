// What the app needs from the worker client, and how a rejected request becomes a message.
// Kept apart from app.svelte.ts so the app's state classes can share it without importing
// each other.

import type { ErrorInfo, EventMessage, ReplyMap, Request, RequestKind } from '../protocol';

/** The part of WorkerClient the app uses, so tests can drive the app with a fake worker. */
export interface Client {
  request<K extends RequestKind>(req: Extract<Request, { kind: K }>): Promise<ReplyMap[K]>;
  onEvent(fn: (e: EventMessage) => void): () => void;
  onCrash(fn: (e: ErrorInfo) => void): () => void;
  restart(): void;
}

/** Whatever a rejected request carries, as a message a person can read. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof Error) return { name: e.name, message: e.message };
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') {
    const name = 'name' in e && typeof e.name === 'string' ? e.name : 'Error';
    return { name, message: e.message };
  }
  return { name: 'Error', message: String(e) };
}
