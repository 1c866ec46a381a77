// One JSON request to a server, the way a long run needs it: a timeout per attempt (a stalled
// server ends in a clear error instead of a hung step), retries with exponential backoff on 429,
// 5xx and network failures (honouring Retry-After, a bounded number of times), and
// cancellation through an AbortSignal (pause). Timeouts are not retried: a stalled server would
// only stall again, and the person is better told at once.
//
// Redirects are never followed (redirect: 'manual'): a server on this machine that answers 307 to
// another host would otherwise have the browser send that host every item text. The answer is
// refused, saying so. A request that fails without an answer is followed by one request without
// CORS (mode 'no-cors', no body, no credentials), which settles whether anything answers there at
// all: if it does, the browser refused this page (CORS); if not, nothing is listening or the
// connection was reset, and the message says that instead. That probe is the one request that may
// follow a redirect (the browser allows 'no-cors' only with 'follow'); it carries no text.

import { corsRefusedMessage, httpError, originOf, redirectError, ServerError, unreachableMessage } from './errors';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
  fetch?: FetchLike;
  timeoutMs?: number; // per attempt, headers and body (default 120 s)
  retries?: number; // retries after the first attempt on 429, 5xx and network errors (default 4)
  baseDelayMs?: number; // first backoff, doubled each retry (default 500 ms)
  maxDelayMs?: number; // longest backoff (default 16 s)
  maxRetryAfterMs?: number; // longest wait a Retry-After header may ask for (default 60 s)
  signal?: AbortSignal; // aborting it cancels the request and any wait
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number; // ms since epoch, for Retry-After dates
  onRetry?: (retry: RetryInfo) => void;
  pageProtocol?: string; // "https:" when the page is served over https (mixed-content hint)
  withKey?: boolean; // the request carries an API key (the CORS message names the Authorization header)
}

export interface RetryInfo {
  attempt: number; // 1-based: the retry about to be made
  delayMs: number;
  reason: string; // e.g. "HTTP 503", "network error"
}

export interface JsonResponse {
  status: number;
  json: unknown;
  retries: number; // retries it took
}

export const defaultHttp = {
  timeoutMs: 120_000,
  retries: 4,
  baseDelayMs: 500,
  maxDelayMs: 16_000,
  maxRetryAfterMs: 60_000,
};

/** fetch, called through globalThis (a bare `fetch` reference loses its receiver in browsers). */
export const globalFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

export const abortError = (what = 'The request'): ServerError => new ServerError('AbortError', `${what} was cancelled.`);

/** Resolves after `ms`, or rejects with an AbortError when `signal` aborts first. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const s = header.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Exponential backoff before retry `attempt` (1-based). */
export const backoffMs = (attempt: number, base: number, max: number): number => Math.min(max, base * 2 ** (attempt - 1));

const retryable = (status: number) => status === 429 || status >= 500;

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/**
 * Sends one request and returns its JSON body. Rejects with a ServerError: AbortError when
 * `signal` aborts, ServerTimeout, ServerUnreachable, ServerCorsRefused or ServerHttpError after
 * the retries, ServerAuthError, ServerRedirect, ServerBadResponse for an answer that is not JSON.
 */
export async function requestJson(url: string, init: RequestInit, opts: HttpOptions = {}): Promise<JsonResponse> {
  const o = { ...defaultHttp, ...opts };
  const fetchImpl = opts.fetch ?? globalFetch;
  const sleep = opts.sleep ?? abortableSleep;
  const now = opts.now ?? Date.now;
  const signal = opts.signal;
  let retries = 0;
  for (;;) {
    if (signal?.aborted) throw abortError();
    const attempt = await attemptOnce(fetchImpl, url, init, o.timeoutMs, signal);
    if (attempt.kind === 'ok') return { status: attempt.status, json: attempt.json, retries };
    if (attempt.kind === 'fatal') throw attempt.error;
    if (retries >= o.retries) throw attempt.error === null ? await noAnswer(fetchImpl, url, init, attempt.detail, retries, o.timeoutMs, opts) : attempt.error(retries);
    retries++;
    const asked = attempt.retryAfter === null ? null : retryAfterMs(attempt.retryAfter, now());
    const delayMs = Math.max(backoffMs(retries, o.baseDelayMs, o.maxDelayMs), Math.min(asked ?? 0, o.maxRetryAfterMs));
    opts.onRetry?.({ attempt: retries, delayMs, reason: attempt.reason });
    await sleep(delayMs, signal);
  }
}

type Attempt =
  | { kind: 'ok'; status: number; json: unknown }
  | { kind: 'retry'; error: (retries: number) => ServerError; reason: string; retryAfter: string | null }
  | { kind: 'retry'; error: null; detail: string; reason: string; retryAfter: null } // fetch rejected: noAnswer tells why
  | { kind: 'fatal'; error: ServerError };

async function attemptOnce(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Attempt> {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const failed = (e: unknown): Attempt => {
    if (signal?.aborted) return { kind: 'fatal', error: abortError() };
    if (timedOut)
      return {
        kind: 'fatal',
        error: new ServerError(
          'ServerTimeout',
          `${originOf(url)} sent no complete answer within ${seconds(timeoutMs)} s: the server may be stalled or overloaded. Check that it is running (and its log), then press Retry.`,
        ),
      };
    return { kind: 'retry', error: null, detail: e instanceof Error ? networkDetail(e) : String(e), reason: 'network error', retryAfter: null };
  };
  try {
    let res: Response;
    let text: string;
    try {
      res = await fetchImpl(url, { ...init, redirect: 'manual', signal: controller.signal });
      // a browser gives an opaque answer for any redirect; Node's fetch the 3xx itself
      if (res.type === 'opaqueredirect' || REDIRECTS.has(res.status)) return { kind: 'fatal', error: redirectError(url, res.status || null, res.headers.get('Location')) };
      text = await res.text(); // under the same timeout: a server may stall mid-body
    } catch (e) {
      return failed(e);
    }
    const body = parseJson(text);
    if (res.ok) {
      if (!body.ok)
        return { kind: 'fatal', error: new ServerError('ServerBadResponse', `${originOf(url)} answered with something that is not JSON; is the URL an OpenAI-compatible API?`, res.status) };
      return { kind: 'ok', status: res.status, json: body.value };
    }
    const json = body.ok ? body.value : null;
    if (retryable(res.status))
      return { kind: 'retry', error: (n) => httpError(url, res.status, json, n), reason: `HTTP ${res.status}`, retryAfter: res.headers.get('Retry-After') };
    return { kind: 'fatal', error: httpError(url, res.status, json, 0) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const tried = (n: number) => (n > 0 ? ` Tried ${n + 1} times.` : '');

/**
 * Why a request got no answer: asks once more without CORS. An answer (opaque) means the server
 * is there and the browser refused this page its answers (CORS); none means nothing answers at
 * that address, or the connection was reset. The probe sends no body and no credentials.
 */
async function noAnswer(fetchImpl: FetchLike, url: string, init: RequestInit, detail: string, retries: number, timeoutMs: number, opts: HttpOptions): Promise<ServerError> {
  const method = (init.method ?? 'GET').toUpperCase();
  const answers = await answersAtAll(fetchImpl, url, Math.min(timeoutMs, 10_000), opts.signal, method === 'GET' ? 'GET' : 'POST');
  if (opts.signal?.aborted) return abortError();
  if (answers) return new ServerError('ServerCorsRefused', corsRefusedMessage(url, method, opts.withKey ?? false) + tried(retries));
  return new ServerError('ServerUnreachable', unreachableMessage(url, detail, opts.pageProtocol) + tried(retries));
}

/** Whether anything answers at `url`, CORS aside: a no-cors request resolves (opaque) for any
 *  answer. A POST sends an empty body, so the server is asked nothing. */
export async function answersAtAll(fetchImpl: FetchLike, url: string, timeoutMs: number, signal?: AbortSignal, method: 'GET' | 'POST' = 'GET'): Promise<boolean> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  const timer = setTimeout(stop, timeoutMs);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const init: RequestInit = { method, mode: 'no-cors', credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store', signal: controller.signal };
    await fetchImpl(url, method === 'POST' ? { ...init, body: '' } : init);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
}

const seconds = (ms: number): string => (ms >= 10_000 ? String(Math.round(ms / 1000)) : String(Math.round(ms / 100) / 10));

/** "fetch failed (ECONNREFUSED)" from Node's fetch, "Failed to fetch" from browsers. */
function networkDetail(e: Error): string {
  const cause: unknown = Reflect.get(e, 'cause');
  const code = typeof cause === 'object' && cause !== null ? Reflect.get(cause, 'code') : undefined;
  return typeof code === 'string' ? `${e.message}, ${code}` : e.message;
}
