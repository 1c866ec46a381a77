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

export { toErrorInfo } from '../errors'; // whatever a rejected request carries, as a message a person can read
