import { afterEach, describe, expect, it } from 'vitest';
import { startSimServer, type SimServer, type SimServerOptions } from '../../../scripts/sim-server';
import { builtinDatasets, mathDataset } from '../../../src/lib/data/builtin/index';
import { sequencePrompt } from '../../../src/lib/data/prompt';
import { estimateTokens } from '../../../src/lib/model/tokens';
import type { DataItem } from '../../../src/lib/data/types';
import { defaultConfig, type ICMConfig } from '../../../src/lib/icm/config';
import { logOdds, type LabelModel, type Segment } from '../../../src/lib/icm/model';
import { changedLast, readPlan, ReadCache } from '../../../src/lib/icm/plan';
import { drawPool } from '../../../src/lib/icm/pool';
import { commonPrefix } from '../../../src/lib/model/prefix-cache';
import type { Problem } from '../../../src/lib/icm/problem';
import { initialState, step, type RunState, type StepEvent } from '../../../src/lib/icm/search';
import { defaultSimulatedParams, type ServerSpec } from '../../../src/lib/model/params';
import { createSimulatedModel } from '../simulated/model';
import { checkConnection } from '../../../src/lib/server/connection';
import { ServerError } from '../../../src/lib/server/errors';
import type { FetchLike } from '../../../src/lib/server/http';
import { createServerModel } from './model';
import { items, segments } from '../test-fixtures';

const spec = (over: Partial<ServerSpec> = {}): ServerSpec => ({ kind: 'server', baseUrl: 'http://127.0.0.1:8000', model: 'm', topK: 20, concurrency: 4, ...over });

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const vllmAnswer = (top: Record<string, number>, promptTokens?: number) =>
  json({ choices: [{ index: 0, text: ' True', logprobs: { top_logprobs: [top] } }], ...(promptTokens === undefined ? {} : { usage: { prompt_tokens: promptTokens } }) });

interface Sent {
  prompt: string;
  body: Record<string, unknown>;
  headers: Headers;
  signal?: AbortSignal | null;
}

/** A fake server answering every completion with `answer(prompt)`, recording what it got. */
function fakeServer(answer: (prompt: string, sent: Sent) => Response | Promise<Response>): FetchLike & { sent: Sent[] } {
  const sent: Sent[] = [];
  const f = async (_url: string, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    const s: Sent = { prompt: String(body.prompt), body, headers: new Headers(init?.headers), signal: init?.signal };
    sent.push(s);
    return answer(s.prompt, s);
  };
  return Object.assign(f, { sent });
}

/** A response that waits until aborted. */
const hang = (s: Sent) =>
  new Promise<Response>((_, reject) => s.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));

describe('server backend (fake fetch)', () => {
  it('sends the text up to each read point, sums label spellings, counts prompt tokens', async () => {
    const f = fakeServer((prompt) => vllmAnswer({ ' True': Math.log(0.3), ' False': Math.log(0.4), ' true': Math.log(0.1), True: Math.log(0.1) }, prompt.length));
    const model = createServerModel('math', items, spec({ apiKey: 'sk-x' }), { fetch: f, description: 'Is the claim right?' });
    const out = await model.readSequence(segments);

    const text = sequencePrompt('math', items, segments, 'Is the claim right?');
    const cuts = [0, 1, 3].map((k) => sequencePrompt('math', items, segments.slice(0, k + 1).map((s, j) => (j === k ? { ...s, label: null } : s)), 'Is the claim right?'));
    expect(f.sent.map((s) => s.prompt).sort()).toEqual([...cuts].sort());
    for (const c of cuts) expect(text.startsWith(c)).toBe(true);
    expect(f.sent[0].body).toMatchObject({ model: 'm', max_tokens: 1, logprobs: 20 });
    expect(f.sent[0].headers.get('Authorization')).toBe('Bearer sk-x');

    expect(out.reads.map((r) => r.item)).toEqual([0, 1, 3]);
    for (const r of out.reads) {
      expect(Math.exp(r.logTrue)).toBeCloseTo(0.5, 12);
      expect(Math.exp(r.logFalse)).toBeCloseTo(0.4, 12);
    }
    expect(out.tokens).toBe(cuts.reduce((s, c) => s + c.length, 0));
    expect(model.stats()).toMatchObject({ sequences: 1, reads: 3, requests: 3, retries: 0, estimatedTokens: 0 });
    expect(model.warnings()).toEqual([]);
  });

  it("with the chat prompt, puts each item to the model as a ChatML turn and reads the assistant's answer", async () => {
    const f = fakeServer(() => vllmAnswer({ True: Math.log(0.7), ' True': Math.log(0.1), False: Math.log(0.2) }));
    const model = createServerModel('math', items, spec({ prompt: 'chat' }), { fetch: f, description: 'Is the claim right?' });
    const out = await model.readSequence(segments);
    const first = f.sent.map((s) => s.prompt).sort((a, b) => a.length - b.length)[0];
    expect(first.startsWith('<|im_start|>system\nIs the claim right?<|im_end|>\n<|im_start|>user\n')).toBe(true);
    expect(first.endsWith('Is the claim True or False?<|im_end|>\n<|im_start|>assistant\n')).toBe(true);
    // a later read has the earlier demonstrations answered as the assistant, each turn closed
    const last = f.sent.map((s) => s.prompt).sort((a, b) => b.length - a.length)[0];
    expect(last).toMatch(/<\|im_start\|>assistant\n(True|False)<\|im_end\|>\n<\|im_start\|>user\n/);
    expect(last).not.toContain('I think this claim is');
    for (const r of out.reads) expect(Math.exp(r.logTrue)).toBeCloseTo(0.8, 12); // " True" and "True" both spell it
  });

  it('stops a run on impossible log-probabilities instead of scoring them', async () => {
    const f = fakeServer(() => vllmAnswer({ ' True': 50, ' False': 3 }, 10));
    const model = createServerModel('math', items, spec(), { fetch: f });
    await expect(model.readSequence(segments)).rejects.toThrowError(/impossible log-probability: 50/);
  });

  it('keeps at most `concurrency` requests in flight, across sequences', async () => {
    let inFlight = 0;
    let most = 0;
    const f = fakeServer(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return vllmAnswer({ ' True': -1, ' False': -1 }, 10);
    });
    const model = createServerModel('math', items, spec({ concurrency: 2 }), { fetch: f });
    const all: Segment[] = items.map((_, i) => ({ item: i, read: true, label: i < 3 ? true : null }));
    await Promise.all([model.readSequence(all), model.readSequence(all)]);
    expect(f.sent).toHaveLength(8);
    expect(most).toBe(2);
  });

  it('reports labels outside the top-k, and estimates tokens a server does not count', async () => {
    let n = 0;
    const f = fakeServer(() => {
      n++;
      if (n === 1) return vllmAnswer({ ' True': -0.1, ' not': -3 }); // False outside the top-k
      if (n === 2) return vllmAnswer({ ' Yes': -0.1, ' No': -3 }); // neither label
      return vllmAnswer({ ' True': -1, ' False': -1 });
    });
    const model = createServerModel('math', items, spec({ topK: 2, concurrency: 1 }), { fetch: f });
    const out = await model.readSequence(segments);
    // bounded by the least likely listed token, and by the mass the list leaves over
    expect(out.reads[0].logFalse).toBeCloseTo(Math.min(-3, Math.log(1 - Math.exp(-0.1) - Math.exp(-3))), 12);
    expect(logOdds(out.reads[1])).toBe(0); // undecided
    expect(out.tokens).toBeGreaterThan(0);
    expect(model.stats()).toMatchObject({ falseOutsideTopK: 1, trueOutsideTopK: 0, bothOutsideTopK: 1, estimatedTokens: 3 });
    const w = model.warnings().join('\n');
    expect(w).toMatch(/In 1 of 3 reads one label was not among the server's top 2 tokens \(" True" 0×, " False" 1×\)/);
    expect(w).toMatch(/In 1 of 3 reads neither " True" nor " False"/);
    expect(w).toMatch(/estimated from the text length/);
  });

  it('warns when neither label carries real probability (both at e^-9999), and reads those as undecided', async () => {
    let n = 0;
    const f = fakeServer(() => (++n === 1 ? vllmAnswer({ ' The': -0.01, ' True': -9999, ' False': -9999 }) : vllmAnswer({ ' True': -0.2, ' False': -9999 })));
    const model = createServerModel('math', items, spec({ concurrency: 1 }), { fetch: f });
    const out = await model.readSequence([{ item: 0, read: true, label: null }, { item: 1, read: true, label: null }]);
    expect(logOdds(out.reads[0])).toBe(0);
    expect(logOdds(out.reads[1])).toBeCloseTo(-0.2 + 104, 9); // a zero is read at the floor, not as 9 999 nats of evidence
    expect(model.stats().noProbability).toBe(1);
    expect(model.warnings()).toEqual([
      'In 1 of 2 reads neither " True" nor " False" carried any probability: the server listed both at e^-104 or less (vLLM writes e^-9999 for a probability of zero), so those reads count as undecided. ' +
        'The model gives the labels no chance after "I think this claim is": check that it is a base (pretrained) model and that the prompt reaches it unchanged (no chat template).',
      expect.stringMatching(/estimated from the text length/),
    ]);
  });

  it('refuses an answer that lists a label with null instead of a log-probability', async () => {
    const f = fakeServer(() => vllmAnswer({ ' True': null as unknown as number, ' False': -0.1 }));
    const model = createServerModel('math', items, spec({ concurrency: 1 }), { fetch: f });
    await expect(model.readSequence([{ item: 0, read: true, label: null }])).rejects.toMatchObject({
      name: 'ServerBadResponse',
      message: expect.stringMatching(/^m at http:\/\/127\.0\.0\.1:8000 sent a malformed top-k list: null as the log-probability of " True"/),
    });
  });

  it('cancel() stops every request in flight; later reads go out normally', async () => {
    let hanging = true;
    const f = fakeServer((_p, s) => (hanging ? hang(s) : vllmAnswer({ ' True': -1, ' False': -2 }, 5)));
    const model = createServerModel('math', items, spec(), { fetch: f });
    const p = model.readSequence(segments);
    await new Promise((r) => setTimeout(r, 5));
    model.cancel();
    await expect(p).rejects.toMatchObject({ name: 'AbortError', message: expect.stringMatching(/Reading labels from m at http:\/\/127\.0\.0\.1:8000 was cancelled/) });
    expect(f.sent.every((s) => s.signal?.aborted)).toBe(true);
    hanging = false;
    await expect(model.readSequence(segments)).resolves.toMatchObject({ tokens: 15 });
  });

  it('an aborted options.signal cancels for good', async () => {
    const c = new AbortController();
    const f = fakeServer((_p, s) => hang(s));
    const model = createServerModel('math', items, spec(), { fetch: f, signal: c.signal });
    const p = model.readSequence(segments);
    c.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await expect(model.readSequence(segments)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('one failed read stops its siblings and surfaces the server’s message', async () => {
    let n = 0;
    const f = fakeServer((_p, s) => (++n === 2 ? json({ error: { message: 'This model has a context of 4096 tokens' } }, 400) : hang(s)));
    const model = createServerModel('math', items, spec(), { fetch: f });
    const e = await model.readSequence(segments).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ServerError);
    expect((e as Error).message).toMatch(/HTTP 400.*context of 4096 tokens.*lower the pool size/);
    expect(f.sent.filter((s) => !s.signal?.aborted)).toHaveLength(1); // only the one that failed
  });

  it('reads nothing for a sequence without read points', async () => {
    const f = fakeServer(() => vllmAnswer({}));
    const model = createServerModel('math', items, spec(), { fetch: f });
    expect(await model.readSequence([{ item: 0, read: false, label: true }])).toEqual({ reads: [], tokens: 0, computed: 0 });
    expect(f.sent).toHaveLength(0);
  });
});

// ---- Against scripts/sim-server.ts, in-process on an ephemeral port ----------------------------

const servers: SimServer[] = [];
async function sim(opts: SimServerOptions = {}): Promise<SimServer> {
  const s = await startSimServer({ port: 0, ...opts });
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const simSpec = (s: SimServer, over: Partial<ServerSpec> = {}): ServerSpec => spec({ baseUrl: s.url, model: 'sim-base', ...over });

/** The simulated model the sim server answers from, addressed by pool index. */
function reference(kind: Parameters<typeof createSimulatedModel>[0], datasetItems: DataItem[], pool: number[]): LabelModel {
  const m = createSimulatedModel(kind, datasetItems, defaultSimulatedParams);
  return {
    async readSequence(segs) {
      const r = await m.readSequence(segs.map((s) => ({ ...s, item: pool[s.item] })));
      const readItems = segs.filter((s) => s.read).map((s) => s.item);
      return { ...r, reads: r.reads.map((x, k) => ({ ...x, item: readItems[k] })) };
    },
  };
}

describe('server backend: what the server holds (issue 26)', () => {
  const answer = () => vllmAnswer({ ' True': -1, ' False': -2 }, 10);
  const demo = (item: number, label: boolean): Segment => ({ item, read: false, label });
  const target = (item: number): Segment => ({ item, read: true, label: null });

  it('knows the prompt its one slot holds: the last one sent', async () => {
    const model = createServerModel('math', items, spec({ concurrency: 1 }), { fetch: fakeServer(answer) });
    const b = [demo(0, true), demo(1, false), target(3)];
    expect(model.cachedPrefix?.(b)).toBe(0); // nothing sent yet
    await model.readSequence([demo(0, true), demo(1, false), target(2)]);
    const shared = model.cachedPrefix?.(b) ?? 0;
    expect(shared).toBeGreaterThan(0); // items 0 and 1 with their labels
    expect(shared).toBeGreaterThanOrEqual(estimateTokens(sequencePrompt('math', items, [demo(0, true), demo(1, false)])));
    expect(shared).toBeLessThan(estimateTokens(sequencePrompt('math', items, b)));
    expect(model.cachedPrefix?.([demo(0, false), target(3)])).toBeLessThan(shared); // parts at item 0's label
    await model.readSequence([demo(3, true), target(0)]);
    expect(model.cachedPrefix?.(b)).toBeLessThanOrEqual(estimateTokens('Question: What is ')); // the slot holds the new prompt, "Question: What is" in common
  });

  it('with several requests in flight, one held prompt per slot', async () => {
    const model = createServerModel('math', items, spec({ concurrency: 2 }), { fetch: fakeServer(answer) });
    await Promise.all([model.readSequence([demo(0, true), target(2)]), model.readSequence([demo(3, true), target(1)])]);
    const [first, second, neither] = [[demo(0, true), target(1)], [demo(3, true), target(0)], [demo(2, false), target(0)]].map((s) => model.cachedPrefix?.(s) ?? 0);
    expect(first).toBeGreaterThan(neither + 10); // item 0's prompt and label
    expect(second).toBeGreaterThan(neither + 10); // item 3's
  });

  it('an evaluation of U starts with the sequence that starts like the held prompt, so the server computes less', async () => {
    const ds = mathDataset();
    const pool = drawPool(ds.items, 16, 1).map((d) => ds.items[d]);
    const labels = pool.map((_, i) => i % 3 === 0);
    const changed = labels.map((l, i) => (i === 5 ? !l : l)); // an item of the second block
    const plan = { plan: 'treeBlocks' as const, blocks: 2 };
    // a one-slot prefix-caching server that says what it reused (vLLM's usage.prompt_tokens_details)
    const caching = () => {
      let previous = '';
      const f = fakeServer((prompt) => {
        const reused = estimateTokens(prompt.slice(0, Math.min(commonPrefix(previous, prompt), prompt.length - 1)));
        previous = prompt;
        return json({ choices: [{ logprobs: { top_logprobs: [{ ' True': -1, ' False': -2 }] } }], usage: { prompt_tokens: estimateTokens(prompt), prompt_tokens_details: { cached_tokens: reused } } });
      });
      return f;
    };
    const measure = async (follow: boolean) => {
      const f = caching();
      const server = createServerModel(ds.kind, pool, spec({ concurrency: 1 }), { fetch: f });
      const model = follow ? server : { ...server, cachedPrefix: undefined };
      await readPlan(labels, plan, model);
      const sent = f.sent.length;
      const second = await readPlan(changed, plan, model, new ReadCache(), changedLast([], labels, changed));
      const [last, first] = [f.sent[sent - 1].prompt, f.sent[sent].prompt];
      return { shared: commonPrefix(last, first), computed: second.computed, tokens: second.tokens, logOdds: second.logOdds };
    };
    const [followed, blind] = [await measure(true), await measure(false)];
    expect(followed.shared).toBeGreaterThan(blind.shared); // it starts where the server is
    expect(followed.tokens).toBe(blind.tokens); // the same prompts, in another order
    expect(followed.computed).toBeLessThan(blind.computed);
    expect(followed.logOdds).toEqual(blind.logOdds);
  });

  it('says when the server does not report what its prefix cache served, and counts it where it does', async () => {
    const unreported = createServerModel('math', items, spec(), { fetch: fakeServer(() => vllmAnswer({ ' True': -1, ' False': -2 }, 20)) });
    const a = await unreported.readSequence(segments);
    expect(a).toMatchObject({ tokens: 60, computed: 60, computedUnknown: true });
    expect(unreported.stats()).toMatchObject({ unreportedCache: 3, cachedTokens: 0 });

    const vllm = createServerModel('math', items, spec(), {
      fetch: fakeServer(() => json({ choices: [{ logprobs: { top_logprobs: [{ ' True': -1, ' False': -2 }] } }], usage: { prompt_tokens: 20, prompt_tokens_details: { cached_tokens: 15 } } })),
    });
    const b = await vllm.readSequence(segments);
    expect(b).toEqual({ reads: expect.any(Array), tokens: 60, computed: 15 });
    expect(vllm.stats()).toMatchObject({ unreportedCache: 0, cachedTokens: 45 });

    const llama = createServerModel('math', items, spec(), {
      fetch: fakeServer(() => json({ choices: [{ logprobs: { content: [{ token: ' True', logprob: -1, top_logprobs: [{ token: ' True', logprob: -1 }, { token: ' False', logprob: -2 }] }] } }], usage: { prompt_tokens: 20 }, timings: { cache_n: 0 } })),
    });
    expect(await llama.readSequence(segments)).toEqual({ reads: expect.any(Array), tokens: 60, computed: 60 }); // reported: nothing reused
  });
});

describe('server backend against the simulated server', () => {
  it('reads what the simulated model reads, for every built-in task and both answer shapes', async () => {
    for (const shape of ['vllm', 'llama.cpp'] as const) {
      const s = await sim({ shape });
      for (const ds of builtinDatasets()) {
        const pool = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => (k * 7) % ds.items.length);
        const poolItems = pool.map((d) => ds.items[d]);
        const remote = createServerModel(ds.kind, poolItems, simSpec(s), { description: ds.description });
        const local = reference(ds.kind, ds.items, pool);
        const seq: Segment[] = poolItems.map((_, i) => ({ item: i, read: i % 3 !== 1, label: i === poolItems.length - 1 ? null : i % 2 === 0 }));
        const [a, b] = await Promise.all([remote.readSequence(seq), local.readSequence(seq)]);
        expect(a.reads.map((r) => r.item)).toEqual(b.reads.map((r) => r.item));
        a.reads.forEach((r, k) => expect(logOdds(r)).toBeCloseTo(logOdds(b.reads[k]), 9));
        expect(remote.warnings()).toEqual([]);
      }
    }
  }, 30_000);

  it('runs ICM steps through the server with the same reads, scores and decisions as the simulated model', async () => {
    const s = await sim();
    const ds = mathDataset();
    const config: ICMConfig = { ...defaultConfig, poolSize: 16, seed: 5 };
    const pool = drawPool(ds.items.map(({ group, key }) => ({ group, key })), config.poolSize, config.seed);
    const poolItems = pool.map((d) => ds.items[d]);
    const problem: Problem = { items: poolItems.map(({ group, key }) => ({ group, key })), comparison: false };
    const remote = createServerModel(ds.kind, poolItems, simSpec(s), { description: ds.description });
    const local = reference(ds.kind, ds.items, pool);

    async function run(model: LabelModel): Promise<{ state: RunState; events: StepEvent[] }> {
      let { state } = await initialState(problem, config, model);
      const events: StepEvent[] = [];
      for (let k = 0; k < 4; k++) {
        const r = await step(problem, state, config, model);
        state = r.state;
        events.push(r.event);
      }
      return { state, events };
    }
    const [a, b] = [await run(remote), await run(local)];
    expect(a.state.labels).toEqual(b.state.labels);
    expect(a.state.U).toBeCloseTo(b.state.U, 6);
    a.state.logOdds.forEach((x, i) => (x === null ? expect(b.state.logOdds[i]).toBeNull() : expect(x).toBeCloseTo(b.state.logOdds[i] ?? NaN, 9)));
    a.events.forEach((e, k) => {
      const f = b.events[k];
      expect([e.item, e.proposal, e.changed, e.accepted, e.evaluations]).toEqual([f.item, f.proposal, f.changed, f.accepted, f.evaluations]);
      expect(e.deltaU).toBeCloseTo(f.deltaU, 6);
    });
    expect(a.events.some((e) => e.changed)).toBe(true); // the steps did something
    expect(remote.stats().tokens).toBeGreaterThan(0);
    expect(remote.stats().requests).toBe(remote.stats().reads);
    expect(s.counts().answered).toBe(remote.stats().reads);
  }, 30_000);

  it('retries through 503s and carries on', async () => {
    const s = await sim({ failFirst: 3 });
    const retries: number[] = [];
    const model = createServerModel('math', items, simSpec(s, { concurrency: 1 }), { baseDelayMs: 1, onRetry: (r) => retries.push(r.attempt) });
    const out = await model.readSequence([{ item: 0, read: true, label: null }]);
    expect(out.reads).toHaveLength(1);
    expect(retries).toEqual([1, 2, 3]);
    expect(model.stats()).toMatchObject({ retries: 3, requests: 4 });
    expect(s.counts()).toMatchObject({ received: 4, failed: 3, answered: 1 });
  });

  it('ends a stalled server in a clear timeout error', async () => {
    const s = await sim({ stallAfter: 1 });
    const model = createServerModel('math', items, simSpec(s, { concurrency: 1 }), { timeoutMs: 200 });
    await model.readSequence([{ item: 0, read: true, label: null }]);
    const e = await model.readSequence([{ item: 1, read: true, label: null }]).catch((x: unknown) => x);
    expect(e).toMatchObject({ name: 'ServerTimeout' });
    expect((e as Error).message).toMatch(new RegExp(`${s.url.replace(/[.]/g, '\\.')} sent no complete answer within 0\\.2 s.*press Retry`));
  });

  it("takes the request timeout from the spec's timeoutS", async () => {
    const s = await sim({ stallAfter: 0 });
    const model = createServerModel('math', items, simSpec(s, { concurrency: 1, timeoutS: 1 }), { timeoutMs: 60_000 });
    const e = await model.readSequence([{ item: 0, read: true, label: null }]).catch((x: unknown) => x);
    expect(e).toMatchObject({ name: 'ServerTimeout' });
    expect((e as Error).message).toMatch(/within 1 s/);
  });

  it('passes the connection check, and names a wrong key or model', async () => {
    const s = await sim({ apiKey: 'sk-right' });
    const ok = await checkConnection(s.url, 'sim-base', 'sk-right', undefined, { topK: 20 });
    expect(ok.checks.map((c) => [c.name, c.status])).toEqual([
      ['reachable', 'ok'],
      ['cors', 'ok'],
      ['auth', 'ok'],
      ['model', 'ok'],
      ['logprobs', 'ok'],
      ['labels', 'ok'],
    ]);
    expect(ok.models).toEqual(['sim-base']);

    const wrongKey = await checkConnection(s.url, 'sim-base', 'sk-wrong');
    expect(wrongKey.checks.find((c) => c.name === 'auth')).toMatchObject({ ok: false, status: 'fail' });
    expect(JSON.stringify(wrongKey)).not.toContain('sk-wrong');

    const wrongModel = await checkConnection(s.url, 'llama', 'sk-right');
    expect(wrongModel.checks.find((c) => c.name === 'model')?.message).toMatch(/It serves: "sim-base"/);

    const tooMany = await checkConnection(s.url, 'sim-base', 'sk-right', undefined, { topK: 50 });
    expect(tooMany.checks.find((c) => c.name === 'logprobs')?.message).toMatch(/greater than max allowed: 20.*Lower Top-k/);
  });

  it('reports an unreachable server', async () => {
    const s = await sim();
    const url = s.url;
    await s.close();
    servers.length = 0;
    const r = await checkConnection(url, 'sim-base');
    expect(r.checks[0]).toMatchObject({ name: 'reachable', status: 'fail' });
    expect(r.checks[0].message).toMatch(/Nothing answered at http:\/\/127\.0\.0\.1:\d+ \(fetch failed, ECONNREFUSED\): either no server is running/);
  });

  it('never follows a redirect: the server it points to gets no item text, and the run stops saying so', async () => {
    const elsewhere = await sim();
    const s = await sim({ redirectTo: elsewhere.url });
    const check = await checkConnection(s.url, 'sim-base');
    expect(check.checks[0]).toMatchObject({ name: 'reachable', status: 'fail' });
    expect(check.checks[0].message).toMatch(new RegExp(`answered /v1/models with HTTP 307, a redirect to ${elsewhere.url.replace(/[.]/g, '\\.')}/v1/models\\. The app follows no redirect`));
    const model = createServerModel('math', items, simSpec(s, { concurrency: 2 }), { baseDelayMs: 1 });
    const e = await model.readSequence([{ item: 0, read: false, label: true }, { item: 1, read: true, label: null }]).catch((x: unknown) => x);
    expect(e).toMatchObject({ name: 'ServerRedirect', status: 307 });
    expect(s.counts().requests).toBeGreaterThan(0);
    expect(elsewhere.counts().requests).toBe(0);
  });

  it('a server that resets connections mid-run is not called a CORS refusal', async () => {
    const s = await sim({ resetAfter: 1 });
    const model = createServerModel('math', items, simSpec(s, { concurrency: 1 }), { baseDelayMs: 1, retries: 1 });
    await model.readSequence([{ item: 0, read: true, label: null }]);
    const e = await model.readSequence([{ item: 1, read: true, label: null }]).catch((x: unknown) => x);
    expect(e).toMatchObject({ name: 'ServerUnreachable' });
    expect((e as Error).message).toMatch(/closed the connection without answering \(a connection reset.*This is not a CORS refusal/);
    expect(s.counts().reset).toBe(3); // two tries and the no-cors probe
  });
});

describe('the simulated server itself', () => {
  it('maps a prompt back to built-in items, skipping the description', async () => {
    const { PromptReader } = await import('../../../scripts/sim-server');
    const ds = mathDataset();
    const reader = new PromptReader([ds], defaultSimulatedParams);
    const seq: Segment[] = [
      { item: 4, read: false, label: true },
      { item: 9, read: false, label: false },
      { item: 2, read: true, label: null },
    ];
    expect(reader.parse(sequencePrompt(ds.kind, ds.items, seq, ds.description))).toEqual({ ds: 0, segments: seq });
    expect(reader.parse('Question: unknown\nClaim: x\nI think this claim is')).toBeNull();
    expect(await reader.pTrue('Question: unknown\nClaim: x\nI think this claim is')).toBe(0.5);
    expect(await reader.pTrue('Hello')).toBeNull();
  });

  it('spreads P(True) over label spellings and other tokens, summing to 1', async () => {
    const { nextTokenDistribution } = await import('../../../scripts/sim-server');
    const d = nextTokenDistribution(0.8);
    expect(d.reduce((s, [, q]) => s + q, 0)).toBeCloseTo(1, 12);
    const mass = (w: string) => d.filter(([t]) => t.trim().toLowerCase() === w).reduce((s, [, q]) => s + q, 0);
    expect(mass('true') / (mass('true') + mass('false'))).toBeCloseTo(0.8, 12);
    expect(d.map(([t]) => t)).toContain(' true');
    expect(nextTokenDistribution(null).every(([t]) => !['true', 'false'].includes(t.trim().toLowerCase()))).toBe(true);
  });

  it('reads its flags', async () => {
    const { parseArgs } = await import('../../../scripts/sim-server');
    expect(parseArgs(['--port', '0', '--fail-first', '2', '--stall-after', '5', '--no-cors', '--model', 'x', '--llama-cpp', '--api-key', 'k', '--redirect-to', 'http://127.0.0.1:9', '--reset-after', '3', '--labels', 'underflow'])).toEqual({
      ok: true,
      options: { port: 0, failFirst: 2, stallAfter: 5, cors: false, model: 'x', shape: 'llama.cpp', apiKey: 'k', redirectTo: 'http://127.0.0.1:9', resetAfter: 3, labels: 'underflow' },
    });
    expect(parseArgs(['--labels', 'zero'])).toEqual({ ok: false, message: '--labels needs null or underflow.' });
    expect(parseArgs(['--port', 'x'])).toEqual({ ok: false, message: '--port needs a whole number ≥ 0.' });
    expect(parseArgs(['--bogus'])).toMatchObject({ ok: false, message: expect.stringMatching(/Unknown option --bogus/) });
  });

  it('sends CORS headers and answers preflights, unless --no-cors', async () => {
    const open = await sim();
    const pre = await fetch(`${open.url}/v1/completions`, { method: 'OPTIONS', headers: { 'Access-Control-Request-Headers': 'content-type,authorization' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type,authorization');
    expect((await fetch(`${open.url}/v1/models`)).headers.get('access-control-allow-origin')).toBe('*');
    const closed = await sim({ cors: false });
    expect((await fetch(`${closed.url}/v1/models`)).headers.get('access-control-allow-origin')).toBeNull();
  });
});
