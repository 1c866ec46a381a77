import { afterEach, describe, expect, it } from 'vitest';
import { checkKey, isThisMachine, ServerConnection, type CheckFn } from './server.svelte';
import { defaultServerSpec, type ServerSpec } from '../model/params';
import type { ConnectionReport } from '../server/connection';
import type { FetchLike } from '../server/http';
import { startSimServer, type SimServer } from '../../../scripts/sim-server';

const spec = (over: Partial<ServerSpec> = {}): ServerSpec => ({ ...defaultServerSpec, model: 'm', ...over });

const passed: ConnectionReport = {
  ok: true,
  models: ['m', 'n'],
  checks: [{ name: 'reachable', ok: true, status: 'ok', message: 'answers' }],
};
const failed: ConnectionReport = { ok: false, models: [], checks: [{ name: 'reachable', ok: false, status: 'fail', message: 'nothing answers' }] };

/** A fake check that records what it was asked. */
function fakeCheck(report: ConnectionReport = passed) {
  const calls: { baseUrl: string; model: string; apiKey?: string; topK?: number }[] = [];
  const check: CheckFn = async (baseUrl, model, apiKey, _fetch, opts = {}) => {
    calls.push({ baseUrl, model, apiKey, topK: opts.topK });
    return report;
  };
  return { check, calls };
}

const noFetch: FetchLike = () => Promise.reject(new Error('no request expected'));

describe('isThisMachine', () => {
  it('is true for localhost, 127.x and [::1] only', () => {
    for (const url of ['http://127.0.0.1:8000', 'http://localhost:11434/v1', 'http://127.1.2.3', 'http://[::1]:8080', 'http://app.localhost:1'])
      expect(isThisMachine(url), url).toBe(true);
    for (const url of ['http://192.168.1.5:8000', 'https://gpu.example.org', 'http://10.0.0.2', 'http://127.0.0.1.example.org', 'not a url'])
      expect(isThisMachine(url), url).toBe(false);
  });
});

describe('checkKey', () => {
  it('changes with the URL root, model, key and top-k, not with concurrency or timeout', () => {
    const k = checkKey(spec());
    expect(checkKey(spec({ baseUrl: 'http://127.0.0.1:8000/v1/' }))).toBe(k);
    expect(checkKey(spec({ concurrency: 9, timeoutS: 5 }))).toBe(k);
    for (const over of [{ baseUrl: 'http://127.0.0.1:8001' }, { model: 'other' }, { apiKey: 'sk' }, { topK: 5 }]) expect(checkKey(spec(over))).not.toBe(k);
  });
});

describe('ServerConnection', () => {
  it('goes unchecked → passed, and is stale once the checked settings change', async () => {
    const { check, calls } = fakeCheck();
    const conn = new ServerConnection({ check, fetch: noFetch });
    expect(conn.phase(spec())).toBe('unchecked');
    const p = conn.check(spec({ topK: 7, apiKey: 'sk-1' }));
    expect(conn.phase(spec())).toBe('checking');
    expect(await p).toBe('m');
    expect(calls).toEqual([{ baseUrl: 'http://127.0.0.1:8000', model: 'm', apiKey: 'sk-1', topK: 7 }]);
    expect(conn.phase(spec({ topK: 7, apiKey: 'sk-1' }))).toBe('passed');
    expect(conn.phase(spec({ topK: 7, apiKey: 'sk-1', concurrency: 16 }))).toBe('passed');
    expect(conn.phase(spec({ topK: 7, apiKey: 'sk-2' }))).toBe('stale');
    expect(conn.served('http://127.0.0.1:8000/v1')).toEqual(['m', 'n']);
    expect(conn.served('http://127.0.0.1:8001')).toEqual([]);
  });

  it('reports a failed check as failed', async () => {
    const conn = new ServerConnection({ check: fakeCheck(failed).check, fetch: noFetch });
    await conn.check(spec());
    expect(conn.phase(spec())).toBe('failed');
  });

  it('sends nothing to another machine until the person agrees, for that origin only', async () => {
    const { check, calls } = fakeCheck();
    const conn = new ServerConnection({ check, fetch: noFetch });
    const remote = spec({ baseUrl: 'https://gpu.example.org/v1' });
    expect(conn.needsConsent(remote.baseUrl)).toBe(true);
    expect(conn.needsConsent('http://localhost:8000')).toBe(false);
    expect(await conn.check(remote)).toBeNull();
    expect(calls).toEqual([]);
    conn.setConsent('https://gpu.example.org/other/path', true); // same origin
    expect(conn.needsConsent(remote.baseUrl)).toBe(false);
    expect(conn.needsConsent('https://gpu.example.org:8443')).toBe(true);
    await conn.check(remote);
    expect(calls).toHaveLength(1);
    conn.setConsent(remote.baseUrl, false);
    expect(conn.needsConsent(remote.baseUrl)).toBe(true);
  });

  it('only the newest check sets the report; cancel() keeps the last one', async () => {
    let release: (r: ConnectionReport) => void = () => undefined;
    const slow: CheckFn = (_b, _m, _k, _f, opts = {}) =>
      new Promise((resolve, reject) => {
        release = resolve;
        opts.signal?.addEventListener('abort', () => reject(Object.assign(new Error('cancelled'), { name: 'AbortError' })));
      });
    const conn = new ServerConnection({ check: slow, fetch: noFetch });
    const first = conn.check(spec());
    conn.cancel();
    expect(conn.checking).toBe(false);
    expect(await first).toBeNull();
    expect(conn.report).toBeNull();
    const second = conn.check(spec());
    release(passed);
    expect(await second).toBe('m');
    expect(conn.phase(spec())).toBe('passed');
  });
});

describe('ServerConnection against the simulated server', () => {
  let sim: SimServer | null = null;
  afterEach(async () => {
    await sim?.close();
    sim = null;
  });

  it('without a model name, checks the first served model and passes', async () => {
    sim = await startSimServer({ port: 0, model: 'sim-base' });
    const conn = new ServerConnection();
    const s = spec({ baseUrl: sim.url, model: '' });
    expect(await conn.check(s)).toBe('sim-base');
    expect(conn.report?.checks.map((c) => c.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(conn.phase({ ...s, model: 'sim-base' })).toBe('passed');
    expect(conn.phase(s)).toBe('stale'); // the draft fills the name in
  });

  it('shows a 503 as a failed check with the server’s message', async () => {
    sim = await startSimServer({ port: 0, failFirst: 1 });
    const conn = new ServerConnection();
    await conn.check(spec({ baseUrl: sim.url, model: 'sim-base' }));
    const logprobs = conn.report?.checks.find((c) => c.name === 'logprobs');
    expect(logprobs?.status).toBe('fail');
    expect(logprobs?.message).toMatch(/HTTP 503.*failing on purpose/);
    await conn.check(spec({ baseUrl: sim.url, model: 'sim-base' }));
    expect(conn.report?.ok).toBe(true);
  });
});
