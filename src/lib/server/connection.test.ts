import { describe, expect, it } from 'vitest';
import { checkConnection, type ConnectionReport } from './connection';
import type { FetchLike } from './http';

const BASE = 'http://127.0.0.1:8000';
const KEY = 'sk-secret-123';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const modelsOk = () => json(200, { object: 'list', data: [{ id: 'meta-llama/Llama-3.1-8B', object: 'model' }] });
const completion = (top: Record<string, number>) =>
  json(200, { choices: [{ index: 0, text: ' True', logprobs: { tokens: [' True'], token_logprobs: [-0.2], top_logprobs: [top] } }], usage: { prompt_tokens: 20 } });
const bothLabels = () => completion({ ' True': -0.4, ' False': -1.2, ' true': -4, ' not': -5 });

interface Route {
  models?: () => Response | Error;
  completions?: (body: Record<string, unknown>, headers: Headers) => Response | Error;
  noCors?: (method: string) => Response | Error; // what a mode: "no-cors" request gets
}

/** A fake server: routes by path; records what it was sent. */
function fakeFetch(route: Route): FetchLike & { sent: { url: string; init?: RequestInit }[] } {
  const sent: { url: string; init?: RequestInit }[] = [];
  const f = async (url: string, init?: RequestInit): Promise<Response> => {
    sent.push({ url, init });
    let r: Response | Error | undefined;
    if (init?.mode === 'no-cors') r = route.noCors?.(init.method ?? 'GET') ?? new TypeError('Failed to fetch');
    else if (url.endsWith('/v1/models')) r = route.models?.();
    else if (url.endsWith('/v1/completions')) r = route.completions?.(JSON.parse(String(init?.body)) as Record<string, unknown>, new Headers(init?.headers));
    if (!r) return json(404, { error: { message: 'File Not Found' } });
    if (r instanceof Error) throw r;
    return r;
  };
  return Object.assign(f, { sent });
}

const status = (r: ConnectionReport) => Object.fromEntries(r.checks.map((c) => [c.name, c.status]));
const msg = (r: ConnectionReport, name: string) => r.checks.find((c) => c.name === name)?.message ?? '';
const noKeyShown = (r: ConnectionReport) => r.checks.forEach((c) => expect(c.message).not.toContain(KEY));

describe('checkConnection', () => {
  it('passes every check against a working vLLM-like server, and probes as the run will', async () => {
    const f = fakeFetch({ models: modelsOk, completions: bothLabels });
    const r = await checkConnection(BASE, 'meta-llama/Llama-3.1-8B', KEY, f, { topK: 4 });
    expect(r.ok).toBe(true);
    expect(status(r)).toEqual({ reachable: 'ok', cors: 'ok', auth: 'ok', model: 'ok', logprobs: 'ok', labels: 'ok' });
    expect(r.checks.every((c) => c.ok)).toBe(true);
    expect(r.models).toEqual(['meta-llama/Llama-3.1-8B']);
    expect(msg(r, 'labels')).toMatch(/" True" and " False" are both among the top 4.*P = \d+\.\d%/);
    const probe = f.sent.find((s) => s.url.endsWith('/completions'));
    expect(JSON.parse(String(probe?.init?.body))).toMatchObject({ model: 'meta-llama/Llama-3.1-8B', max_tokens: 1, logprobs: 4 });
    expect(new Headers(probe?.init?.headers).get('Authorization')).toBe(`Bearer ${KEY}`);
    noKeyShown(r);
  });

  it('tells a CORS refusal from a server that is not running', async () => {
    const cors = await checkConnection(BASE, 'm', undefined, fakeFetch({ models: () => new TypeError('Failed to fetch'), noCors: () => new Response(null, { status: 200 }) }));
    expect(status(cors)).toEqual({ reachable: 'ok', cors: 'fail', auth: 'skipped', model: 'skipped', logprobs: 'skipped', labels: 'skipped' });
    expect(msg(cors, 'cors')).toMatch(/does not let this page read its answers \(CORS\)/);
    expect(msg(cors, 'cors')).toContain(`--allowed-origins '["*"]'`);
    expect(msg(cors, 'cors')).toContain('OLLAMA_ORIGINS');
    expect(cors.ok).toBe(false);

    const down = await checkConnection(BASE, 'm', undefined, fakeFetch({ models: () => new TypeError('Failed to fetch') }));
    expect(status(down)).toMatchObject({ reachable: 'fail', cors: 'skipped' });
    expect(msg(down, 'reachable')).toMatch(/Nothing answered at http:\/\/127\.0\.0\.1:8000.*no server is running at that address/);
  });

  it('does not call a connection reset on the model list a possible CORS refusal', async () => {
    // the server resets every connection: the no-cors request gets no answer either
    const r = await checkConnection(BASE, 'm', undefined, fakeFetch({ models: () => new TypeError('Failed to fetch'), noCors: () => new TypeError('Failed to fetch') }));
    expect(status(r)).toMatchObject({ reachable: 'fail', cors: 'skipped' });
    expect(msg(r, 'reachable')).toMatch(/closed the connection without answering \(a connection reset.*This is not a CORS refusal/);
    expect(msg(r, 'reachable')).not.toMatch(/refused this page|allowed-origins|OLLAMA_ORIGINS/);
  });

  it('refuses a redirect and sends nothing where it points', async () => {
    const sent: { url: string; init?: RequestInit }[] = [];
    // a browser's answer to a redirect under redirect: 'manual'; under 'follow' it would go on to the other host
    const redirecting: FetchLike = async (url, init) => {
      sent.push({ url, init });
      if (init?.redirect !== 'manual') {
        sent.push({ url: 'http://192.0.2.7:9000/v1/models' });
        return json(200, { data: [{ id: 'm' }] });
      }
      return Object.defineProperties(new Response(null, { status: 200 }), { type: { value: 'opaqueredirect' }, status: { value: 0 } });
    };
    const r = await checkConnection(BASE, 'm', undefined, redirecting);
    expect(status(r)).toEqual({ reachable: 'fail', cors: 'skipped', auth: 'skipped', model: 'skipped', logprobs: 'skipped', labels: 'skipped' });
    expect(msg(r, 'reachable')).toMatch(/^The server at http:\/\/127\.0\.0\.1:8000 answered \/v1\/models with a redirect.*follows no redirect.*nothing was sent there/);
    expect(sent.map((s) => s.url)).toEqual([`${BASE}/v1/models`]);
  });

  it('warns an https page that plain-http servers other than localhost are refused', async () => {
    const r = await checkConnection('http://gpu.example.org:8000', 'm', undefined, fakeFetch({ models: () => new TypeError('Failed to fetch') }), { pageProtocol: 'https:' });
    expect(msg(r, 'reachable')).toMatch(/served over https/);
  });

  it('lists the served models when the name is not among them', async () => {
    const f = fakeFetch({
      models: () => json(200, { object: 'list', data: [{ id: 'Qwen/Qwen2.5-7B' }, { id: 'meta-llama/Llama-3.1-8B' }] }),
      completions: (b) => json(404, { error: { message: `The model \`${String(b.model)}\` does not exist.` } }),
    });
    const r = await checkConnection(BASE, 'llama', undefined, f);
    expect(status(r)).toMatchObject({ reachable: 'ok', auth: 'ok', model: 'fail', logprobs: 'skipped' });
    expect(msg(r, 'model')).toBe('"llama" is not served here. It serves: "Qwen/Qwen2.5-7B", "meta-llama/Llama-3.1-8B". Use one of those names.');
    expect(r.models).toEqual(['Qwen/Qwen2.5-7B', 'meta-llama/Llama-3.1-8B']);
  });

  it('accepts an unlisted name that the server completes with (llama-server serves one model)', async () => {
    const r = await checkConnection(BASE, 'llama', undefined, fakeFetch({ models: () => json(200, { data: [{ id: 'llama-3.1-8b.gguf' }] }), completions: bothLabels }));
    expect(status(r).model).toBe('warn');
    expect(r.ok).toBe(true);
  });

  it('reports a refused key, on the model list or on the probe', async () => {
    const onList = await checkConnection(BASE, 'm', KEY, fakeFetch({ models: () => json(401, { error: 'Unauthorized' }) }));
    expect(status(onList)).toMatchObject({ reachable: 'ok', cors: 'ok', auth: 'fail', model: 'skipped' });
    expect(msg(onList, 'auth')).toMatch(/HTTP 401.*Check the API key/);
    noKeyShown(onList);

    // llama-server: /v1/models is public even with --api-key
    const onProbe = await checkConnection(BASE, 'm', 'wrong', fakeFetch({ models: () => json(200, { data: [{ id: 'm' }] }), completions: () => json(401, { error: { message: 'Invalid API Key' } }) }));
    expect(status(onProbe)).toMatchObject({ auth: 'fail', logprobs: 'skipped' });
  });

  it('reports a POST refused by the CORS preflight after a plain GET went through', async () => {
    const f = fakeFetch({ models: () => json(200, { data: [{ id: 'm' }] }), completions: () => new TypeError('Failed to fetch'), noCors: () => new Response(null, { status: 200 }) });
    const r = await checkConnection(BASE, 'm', KEY, f);
    expect(status(r)).toMatchObject({ reachable: 'ok', cors: 'fail', logprobs: 'skipped' });
    expect(msg(r, 'cors')).toMatch(/preflight, which must allow the Authorization header/);
    const probe = f.sent.find((x) => x.init?.mode === 'no-cors');
    expect(probe?.init?.method).toBe('POST');
    expect(probe?.init?.body).toBe(''); // asks the server nothing
  });

  it('tells a connection reset on the probe from a refused CORS preflight', async () => {
    const reset = fakeFetch({ models: () => json(200, { data: [{ id: 'm' }] }), completions: () => new TypeError('Failed to fetch'), noCors: (method) => (method === 'POST' ? new TypeError('Failed to fetch') : new Response(null)) });
    const r = await checkConnection(BASE, 'm', KEY, reset);
    expect(status(r)).toMatchObject({ reachable: 'ok', cors: 'ok', model: 'ok', logprobs: 'fail', labels: 'skipped' });
    expect(msg(r, 'logprobs')).toMatch(/closed the connection on the probe completion without answering \(connection reset\).*not a CORS refusal/);
  });

  it('says when the server returns no log-probabilities', async () => {
    const r = await checkConnection(BASE, 'm', undefined, fakeFetch({ models: () => json(200, { data: [{ id: 'm' }] }), completions: () => json(200, { choices: [{ text: ' True', index: 0, finish_reason: 'length' }] }) }));
    expect(status(r)).toMatchObject({ model: 'ok', logprobs: 'fail', labels: 'skipped' });
    expect(msg(r, 'logprobs')).toMatch(/without log-probabilities/);
  });

  it('fails the log-probabilities check when the server sends impossible ones', async () => {
    const r = await checkConnection(BASE, 'm', undefined, fakeFetch({ models: () => json(200, { data: [{ id: 'm' }] }), completions: () => completion({ ' True': 50, ' False': 3 }) }));
    expect(r.ok).toBe(false);
    expect(status(r)).toMatchObject({ model: 'ok', logprobs: 'fail', labels: 'skipped' });
    expect(msg(r, 'logprobs')).toMatch(/impossible log-probability: 50/);
  });

  it('says when Top-k is more than the server allows', async () => {
    const f = fakeFetch({
      models: () => json(200, { data: [{ id: 'm' }] }),
      completions: () => json(400, { error: { message: 'Requested sample logprobs of 50, which is greater than max allowed: 20' } }),
    });
    const r = await checkConnection(BASE, 'm', undefined, f, { topK: 50 });
    expect(msg(r, 'logprobs')).toMatch(/Lower Top-k/);
  });

  it('fails when neither label is in the top-k, and warns when one is missing', async () => {
    const none = await checkConnection(BASE, 'm', undefined, fakeFetch({ models: () => json(200, { data: [{ id: 'm' }] }), completions: () => completion({ ' Yes': -0.1, ' No': -2.5 }) }));
    expect(status(none)).toMatchObject({ logprobs: 'ok', labels: 'fail' });
    expect(msg(none, 'labels')).toMatch(/base \(pretrained\) model/);

    const one = await checkConnection(BASE, 'm', undefined, fakeFetch({ models: () => json(200, { data: [{ id: 'm' }] }), completions: () => completion({ ' True': -0.01, ' not': -5 }) }));
    expect(status(one).labels).toBe('warn');
    expect(one.ok).toBe(true);
    expect(msg(one, 'labels')).toMatch(/" True" is among the top 20.*" False" is not/);
  });

  it('fails the label check when both labels are listed without real probability (e^-9999)', async () => {
    const r = await checkConnection(BASE, 'm', undefined, fakeFetch({ models: () => json(200, { data: [{ id: 'm' }] }), completions: () => completion({ '\n': -0.001, ' True': -9999, ' False': -9999 }) }));
    expect(status(r)).toMatchObject({ logprobs: 'ok', labels: 'fail' });
    expect(msg(r, 'labels')).toMatch(/lists " True" and " False" with no real probability.*every read would be undecided/);
  });

  it('goes on to the probe when the model list cannot be read', async () => {
    const r = await checkConnection(BASE, 'm', undefined, fakeFetch({ models: () => json(500, { error: { message: 'oops' } }), completions: bothLabels }));
    expect(status(r)).toEqual({ reachable: 'ok', cors: 'ok', auth: 'ok', model: 'ok', logprobs: 'ok', labels: 'ok' });
  });
});
