import { describe, expect, it, vi } from 'vitest';
import { ServerError } from './errors';
import { abortableSleep, backoffMs, requestJson, retryAfterMs, type FetchLike } from './http';

const URL_ = 'http://127.0.0.1:8000/v1/completions';
const KEY = 'sk-secret-123';
const init: RequestInit = { method: 'POST', headers: { Authorization: `Bearer ${KEY}` }, body: '{}' };

const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

/** A fetch that answers from a script, one entry per call; records the calls. */
function scripted(...answers: (Response | Error | 'hang')[]): FetchLike & { calls: number } {
  const f = Object.assign(
    async (_url: string, req?: RequestInit): Promise<Response> => {
      const a = answers[Math.min(f.calls, answers.length - 1)];
      f.calls++;
      if (a === 'hang')
        return new Promise((_, reject) => req?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
      if (a instanceof Error) throw a;
      return a.clone();
    },
    { calls: 0 },
  );
  return f;
}

/** Records the waits instead of waiting. */
const recordSleeps = () => {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
};

async function failure(p: Promise<unknown>): Promise<ServerError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ServerError);
    expect((e as Error).message).not.toContain(KEY);
    return e as ServerError;
  }
  throw new Error('expected a failure');
}

describe('backoff and Retry-After', () => {
  it('doubles from the base up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, 500, 8000))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });
  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs('0.5', 0)).toBe(500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs('soon', 0)).toBeNull();
    expect(retryAfterMs(null, 0)).toBeNull();
  });
});

describe('requestJson', () => {
  it('returns the JSON body of a 200', async () => {
    const f = scripted(jsonResponse(200, { ok: 1 }));
    expect(await requestJson(URL_, init, { fetch: f })).toEqual({ status: 200, json: { ok: 1 }, retries: 0 });
  });

  it('retries 5xx with exponential backoff, then succeeds', async () => {
    const f = scripted(jsonResponse(503, { error: { message: 'busy' } }), jsonResponse(502, {}), jsonResponse(500, {}), jsonResponse(200, { ok: 1 }));
    const { waits, sleep } = recordSleeps();
    const onRetry = vi.fn();
    const res = await requestJson(URL_, init, { fetch: f, sleep, onRetry });
    expect(res.retries).toBe(3);
    expect(f.calls).toBe(4);
    expect(waits).toEqual([500, 1000, 2000]);
    expect(onRetry.mock.calls.map((c) => c[0])).toEqual([
      { attempt: 1, delayMs: 500, reason: 'HTTP 503' },
      { attempt: 2, delayMs: 1000, reason: 'HTTP 502' },
      { attempt: 3, delayMs: 2000, reason: 'HTTP 500' },
    ]);
  });

  it('honours Retry-After on 429, within a cap', async () => {
    const f = scripted(jsonResponse(429, {}, { 'Retry-After': '3' }), jsonResponse(429, {}, { 'Retry-After': '3600' }), jsonResponse(200, {}));
    const { waits, sleep } = recordSleeps();
    await requestJson(URL_, init, { fetch: f, sleep, maxRetryAfterMs: 10_000 });
    expect(waits).toEqual([3000, 10_000]);
  });

  it('gives up after the bounded number of retries, with the status and the server message', async () => {
    const f = scripted(jsonResponse(503, { error: { message: 'Loading model', type: 'unavailable_error', code: 503 } }));
    const { waits, sleep } = recordSleeps();
    const e = await failure(requestJson(URL_, init, { fetch: f, sleep, retries: 2 }));
    expect(f.calls).toBe(3);
    expect(waits).toEqual([500, 1000]);
    expect(e.name).toBe('ServerHttpError');
    expect(e.status).toBe(503);
    expect(e.message).toMatch(/HTTP 503.*"Loading model".*after 2 retries.*Retry/);
  });

  it('does not retry other 4xx; a logprobs refusal says to lower Top-k', async () => {
    const f = scripted(jsonResponse(400, { object: 'error', message: 'Requested sample logprobs of 50, which is greater than max allowed: 20', code: 400 }));
    const e = await failure(requestJson(URL_, init, { fetch: f, sleep: async () => undefined }));
    expect(f.calls).toBe(1);
    expect(e.message).toMatch(/HTTP 400.*greater than max allowed: 20.*Lower Top-k.*--max-logprobs/);
  });

  it("says to start llama-cpp-python with --logits_all true when it refuses logprobs (its real answer)", async () => {
    const body = { error: { message: 'logprobs is not supported for models created with logits_all=False', type: 'internal_server_error', param: null, code: null } };
    const e = await failure(requestJson(URL_, init, { fetch: scripted(jsonResponse(500, body)), retries: 0 }));
    expect(e.message).toMatch(/HTTP 500.*logits_all=False.*--logits_all true/);
    expect(e.message).not.toMatch(/Lower Top-k/);
  });

  it('names the API key on 401, without ever showing it', async () => {
    const e = await failure(requestJson(URL_, init, { fetch: scripted(jsonResponse(401, { error: 'Unauthorized' })) }));
    expect(e.name).toBe('ServerAuthError');
    expect(e.message).toMatch(/refused the request \(HTTP 401\): "Unauthorized"\. Check the API key/);
  });

  it('retries network errors, then says nothing answered (not running, or reset), not CORS, when a no-cors request gets no answer either', async () => {
    const f = scripted(new TypeError('Failed to fetch'));
    const { waits, sleep } = recordSleeps();
    const e = await failure(requestJson(URL_, init, { fetch: f, sleep, retries: 1 }));
    expect(f.calls).toBe(3); // two tries, then the no-cors probe
    expect(waits).toEqual([500]);
    expect(e.name).toBe('ServerUnreachable');
    expect(e.message).toMatch(/^Nothing answered at http:\/\/127\.0\.0\.1:8000 \(Failed to fetch\): either no server is running.*or it closed the connection without answering \(a connection reset.*This is not a CORS refusal/);
    expect(e.message).not.toMatch(/allowed-origins|OLLAMA_ORIGINS|refused this page/);
    expect(e.message).toMatch(/Tried 2 times\.$/);
  });

  it('names CORS, with each server’s flag, only when a no-cors request to the same address gets an answer', async () => {
    const sent: RequestInit[] = [];
    const corsRefused: FetchLike = async (_url, req) => {
      sent.push(req ?? {});
      if (req?.mode === 'no-cors') return new Response(null, { status: 200 });
      throw new TypeError('Failed to fetch');
    };
    const e = await failure(requestJson(URL_, init, { fetch: corsRefused, retries: 0, withKey: true }));
    expect(e.name).toBe('ServerCorsRefused');
    expect(e.message).toMatch(/http:\/\/127\.0\.0\.1:8000 answers a plain request but refused this page's POST to \/v1\/completions \(its CORS preflight, which must allow the Authorization header\)/);
    expect(e.message).toContain(`--allowed-origins '["*"]'`);
    expect(e.message).toContain('OLLAMA_ORIGINS');
    expect(e.message).toContain('llama-server allows every origin');
    // the probe asks nothing: no body, no key, no cookie
    const probe = sent[1];
    expect(probe).toMatchObject({ mode: 'no-cors', method: 'POST', body: '', credentials: 'omit' });
    expect(probe.headers).toBeUndefined();
  });

  it('ends a stalled request with a timeout error, without retrying it', async () => {
    const f = scripted('hang');
    const e = await failure(requestJson(URL_, init, { fetch: f, timeoutMs: 30 }));
    expect(f.calls).toBe(1);
    expect(e.name).toBe('ServerTimeout');
    expect(e.message).toMatch(/http:\/\/127\.0\.0\.1:8000 sent no complete answer within 0 s.*stalled/);
  });

  it('times out a body that stops halfway', async () => {
    const stalling: FetchLike = async (_url, req) => {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"choices": ['));
          req?.signal?.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')));
        },
      });
      return new Response(body, { status: 200 });
    };
    const e = await failure(requestJson(URL_, init, { fetch: stalling, timeoutMs: 30 }));
    expect(e.name).toBe('ServerTimeout');
  });

  it('stops at once when cancelled, in flight or while waiting to retry', async () => {
    const inFlight = new AbortController();
    const p = requestJson(URL_, init, { fetch: scripted('hang'), signal: inFlight.signal });
    inFlight.abort();
    expect((await failure(p)).name).toBe('AbortError');

    const waiting = new AbortController();
    const onRetry = () => setTimeout(() => waiting.abort(), 5);
    const q = requestJson(URL_, init, { fetch: scripted(jsonResponse(503, {})), signal: waiting.signal, baseDelayMs: 60_000, onRetry });
    expect((await failure(q)).name).toBe('AbortError');

    const already = new AbortController();
    already.abort();
    const f = scripted(jsonResponse(200, {}));
    expect((await failure(requestJson(URL_, init, { fetch: f, signal: already.signal }))).name).toBe('AbortError');
    expect(f.calls).toBe(0);
  });

  it('refuses an answer that is not JSON', async () => {
    const f = scripted(new Response('<html>not here</html>', { status: 200 }));
    const e = await failure(requestJson(URL_, init, { fetch: f }));
    expect(e.name).toBe('ServerBadResponse');
  });
});

describe('redirects', () => {
  // two real servers on this machine: A answers every request with 307 to B (Node's fetch follows
  // redirects unless told not to, as browsers do)
  async function twoServers() {
    const { createServer } = await import('node:http');
    const hitsB: string[] = [];
    const b = createServer((req, res) => {
      hitsB.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"data":[{"id":"m"}]}');
    });
    const listen = (s: typeof b) => new Promise<number>((done) => s.listen(0, '127.0.0.1', () => done((s.address() as { port: number }).port)));
    const portB = await listen(b);
    const a = createServer((req, res) => {
      res.writeHead(307, { Location: `http://127.0.0.1:${portB}${req.url}?token=abc` });
      res.end();
    });
    const portA = await listen(a);
    const close = () => Promise.all([a, b].map((s) => new Promise((done) => s.close(done))));
    return { urlA: `http://127.0.0.1:${portA}`, portB, hitsB, close };
  }

  it('never follows one: the other address gets nothing, and the message says what the server did', async () => {
    const s = await twoServers();
    try {
      const e = await failure(requestJson(`${s.urlA}/v1/completions`, { ...init, body: '{"prompt":"Question: a secret item text"}' }, { retries: 2 }));
      expect(e.name).toBe('ServerRedirect');
      expect(e.status).toBe(307);
      expect(e.message).toBe(
        `The server at ${s.urlA} answered /v1/completions with HTTP 307, a redirect to http://127.0.0.1:${s.portB}/v1/completions. The app follows no redirect (one could carry item texts to another machine), so nothing was sent there. ` +
          "If the server's API really is at another address, enter that address as the Server URL (and check the connection again).",
      );
      expect(e.message).not.toContain('token=abc'); // a query may hold a secret
      expect(s.hitsB).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('asks for no redirect to be followed, and refuses the opaque answer a browser gives', async () => {
    const sent: RequestInit[] = [];
    // what a browser's fetch returns for a redirect under redirect: 'manual'
    const opaque: FetchLike = async (_url, req) => {
      sent.push(req ?? {});
      return Object.defineProperties(new Response(null, { status: 200 }), { type: { value: 'opaqueredirect' }, status: { value: 0 } });
    };
    const e = await failure(requestJson(URL_, init, { fetch: opaque }));
    expect(sent).toHaveLength(1); // not retried
    expect(sent[0].redirect).toBe('manual');
    expect(e.name).toBe('ServerRedirect');
    expect(e.message).toMatch(/^The server at http:\/\/127\.0\.0\.1:8000 answered \/v1\/completions with a redirect \(the browser does not show where it points\)\. The app follows no redirect/);
  });
});

describe('abortableSleep', () => {
  it('resolves after the delay, or rejects when aborted', async () => {
    await abortableSleep(1);
    const c = new AbortController();
    const p = abortableSleep(60_000, c.signal);
    c.abort();
    await expect(p).rejects.toThrow(/cancelled/);
  });
});
