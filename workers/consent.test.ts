// Item texts go to a server on another machine only with the person's consent in this browser,
// and the worker checks it (issue 16, item 1): a run imported from a backup names such a server
// and never passed the set-up screen that asks.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { builtinDatasets } from '../src/lib/data/builtin/index';
import { defaultConfig } from '../src/lib/icm/config';
import type { ServerSpec } from '../src/lib/model/params';
import { hostHarness } from './test-harness';

let db = 0;

function setup() {
  const sent: string[] = [];
  const fetch = async (url: string) => {
    sent.push(url);
    const top = { ' True': Math.log(0.6), ' False': Math.log(0.3) };
    return new Response(JSON.stringify({ choices: [{ index: 0, text: ' True', logprobs: { top_logprobs: [top] } }], usage: { prompt_tokens: 10 } }), { status: 200, headers: { 'Content-Type': 'application/json' } });
  };
  const h = hostHarness({ dbName: `consent-test-${++db}`, builtins: () => builtinDatasets().slice(0, 1), backends: { server: { fetch, retries: 0 } } });
  return { ...h, sent };
}

const remote: ServerSpec = { kind: 'server', baseUrl: 'http://192.0.2.2:4401', model: 'm', topK: 5, concurrency: 2 };

describe('server consent in the worker', () => {
  it('refuses to send item texts to a server on another machine until the person agrees, and remembers it', async () => {
    const h = setup();
    const { datasets } = await h.send({ kind: 'init' });
    const created = await h.send({ kind: 'createRun', datasetId: datasets[0].id, config: { ...defaultConfig, poolSize: 16, iterations: 5 }, model: remote });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const refused = await h.send({ kind: 'step', runId: created.run.id }).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('ConsentError');
    expect((refused as Error).message).toMatch(/send item texts to http:\/\/192\.0\.2\.2:4401.*you have not agreed to that in this browser; nothing was sent/);
    expect(h.sent).toEqual([]);

    expect(await h.send({ kind: 'setConsent', origin: 'http://192.0.2.2:4401', agreed: true })).toEqual({ origins: ['http://192.0.2.2:4401'] });
    await h.send({ kind: 'step', runId: created.run.id });
    expect(h.sent.length).toBeGreaterThan(0);
    expect(h.sent.every((u) => u.startsWith('http://192.0.2.2:4401/'))).toBe(true);
    expect(await h.send({ kind: 'consents' })).toEqual({ origins: ['http://192.0.2.2:4401'] });

    // withdrawn: a run opened from now on is refused again
    await h.send({ kind: 'setConsent', origin: 'http://192.0.2.2:4401', agreed: false });
    const other = await h.send({ kind: 'createRun', datasetId: datasets[0].id, config: { ...defaultConfig, poolSize: 16, iterations: 5, seed: 2 }, model: remote });
    if (!other.ok) throw new Error('no run');
    const again = await h.send({ kind: 'step', runId: other.run.id }).catch((e: Error) => e);
    expect((again as Error).name).toBe('ConsentError');
  });

  it('a server on this machine needs no consent', async () => {
    const h = setup();
    const { datasets } = await h.send({ kind: 'init' });
    const created = await h.send({ kind: 'createRun', datasetId: datasets[0].id, config: { ...defaultConfig, poolSize: 16, iterations: 5 }, model: { ...remote, baseUrl: 'http://127.0.0.1:8000' } });
    if (!created.ok) throw new Error('no run');
    await h.send({ kind: 'step', runId: created.run.id });
    expect(h.sent.length).toBeGreaterThan(0);
  });
});

describe('gold labels and a server (issue 21, item 3)', () => {
  /** Every completion the server was sent, as the demonstrations it carried (parsed back to items). */
  async function baselinesOn(goldToServer: boolean | undefined) {
    const { PromptReader } = await import('../scripts/sim-server');
    const { defaultSimulatedParams } = await import('../src/lib/model/params');
    const ds = builtinDatasets().slice(0, 1);
    const reader = new PromptReader(ds, defaultSimulatedParams);
    const prompts: string[] = [];
    // a server on this machine (no consent asked): what is sent there is still the question
    const fetch = async (_url: string, init?: RequestInit) => {
      prompts.push(String((JSON.parse(String(init?.body)) as { prompt: string }).prompt));
      const top = { ' True': Math.log(0.6), ' False': Math.log(0.3) };
      return new Response(JSON.stringify({ choices: [{ index: 0, text: ' True', logprobs: { top_logprobs: [top] } }], usage: { prompt_tokens: 10 } }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    const h = hostHarness({ dbName: `consent-test-${++db}`, builtins: () => ds, backends: { server: { fetch, retries: 0 } } });
    const { datasets } = await h.send({ kind: 'init' });
    const created = await h.send({ kind: 'createRun', datasetId: datasets[0].id, config: { ...defaultConfig, poolSize: 16, iterations: 3 }, model: { ...remote, baseUrl: 'http://127.0.0.1:8000' } });
    if (!created.ok) throw new Error('no run');
    for (let i = 0; i < 3; i++) await h.send({ kind: 'step', runId: created.run.id });
    prompts.length = 0;
    const report = await h.send({ kind: 'baselines', runId: created.run.id, goldToServer });
    const gold = ds[0].items.map((it) => it.gold);
    // a request whose demonstrations all carry their items' gold labels: gold few-shot's
    const goldDemos = prompts.filter((p) => {
      const demos = (reader.parse(p)?.segments ?? []).filter((s) => s.label !== null);
      return demos.length >= 4 && demos.every((s) => s.label === gold[s.item]);
    });
    return { report, prompts, goldDemos };
  }

  it('without the person’s say-so, no request carries gold-labelled demonstrations, and the report says why that baseline is missing', async () => {
    const r = await baselinesOn(undefined);
    expect(r.prompts.length).toBeGreaterThan(16); // the other baselines did send item texts
    expect(r.goldDemos).toEqual([]);
    expect(r.report.comparison.methods.map((m) => m.name)).toEqual(['ICM', 'Zero-shot', 'Few-shot, random labels', 'Bootstrapped few-shot']);
    expect(r.report.notes).toEqual([expect.stringMatching(/^Few-shot with gold labels was not run: .*the server at http:\/\/127\.0\.0\.1:8000, so it would send them there\. Tick "Send gold labels to the server"/)]);
  });

  it('with it, gold few-shot runs and its requests carry the gold labels (which the check above would catch)', async () => {
    const r = await baselinesOn(true);
    expect(r.report.comparison.methods.map((m) => m.name)).toContain('Few-shot, gold labels');
    expect(r.goldDemos.length).toBeGreaterThanOrEqual(16);
    expect(r.report.notes).toEqual([]);
  });
});
