// The run worker's entry: the host does the work; this file only wires it to the worker's
// messages and reports anything that escapes it as a 'fatal' event.

import type { RequestMessage, WorkerMessage } from '../src/lib/protocol';
import { toErrorInfo } from './errors';
import { createHost } from './host';

const post = (m: WorkerMessage) => postMessage(m);
const host = createHost(post);

onmessage = (e: MessageEvent<RequestMessage>) => void host.handle(e.data);

const fatal = (detail: unknown) => {
  const { name, message } = toErrorInfo(detail);
  post({ kind: 'fatal', error: { name, message: `The run worker failed: ${message}. Press Retry to restart it; every saved step is kept.` } });
};
addEventListener('error', (e: ErrorEvent) => fatal(e.error ?? e.message));
addEventListener('unhandledrejection', (e: PromiseRejectionEvent) => fatal(e.reason));
