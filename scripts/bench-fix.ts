// What ConsistencyFix's repairs cost (issue 26), part of `npm run bench` (`--fix-only` runs only
// this): tokens sent and computed per step and per repair, before and after the changes,
// on pools of 16 whose consistency rules fire (math; the TruthfulQA layout with the answer as key
// and one right answer per group, as bench-honesty.ts's answerKeys):
//   before  each step reads afresh (only the last accepted evaluation's reads are reused), and the
//           server backend orders its reads blind to the prompt the server holds: the code before
//   after   the run keeps its reads, so no read is made twice (search.ts step), and the server
//           backend orders its reads from the prompt its slot holds (server/model.ts cachedPrefix)
// A repair is one step's ConsistencyFix: the candidates it scored (StepEvent.repair); "other" is the
// rest of the step (the proposal read and D̂'s evaluation). Keys, for mode m ∈ {before, after}:
//   fix.<task>.<where>.<m>.sentPerStep / computedPerStep        tokens per step (steps after the seed labels)
//   fix.<task>.<where>.<m>.sentPerRepair / computedPerRepair    tokens per repair (a step whose fix scored candidates)
//   fix.<task>.<where>.<m>.evaluationsPerRepair                 candidates scored per repair
//   fix.<task>.<where>.<m>.sentOtherPerStep / computedOtherPerStep   the rest of a step
//   fix.<task>.<where>.<m>.repairsPerStep                       repairs per step
//   fix.<task>.<where>.computedRatio / sentRatio                after ÷ before, per step
//   fix.<task>.<where>.sameSteps                                1 when both modes took the same steps, else 0
// where = sim: the simulated model behind a one-prompt prefix cache (src/lib/model/prefix-cache.ts)
//   that counts what llama.cpp would compute (whole sequences, not one request per read as a server
//   takes them), blind to it before as the server backend was; seeds 1–3, 20 steps each. Its steps
//   are the same in both modes: a read is a function of the text before it, in any order.
// where = <model> (smollm2): the real model behind llama-cpp-python, through a counting proxy (below),
//   seed 1, a few steps; plus .<m>.requestsPerStep, .<m>.secondsPerStep, .<m>.serverCpuSecondsPerStep
//   and fix.<task>.<model>.loadAverage (the 1-minute load when it ran). A real model's reads can differ
//   in their last bits between a cached and a recomputed prefix, and the proposal read's demonstrations
//   come in another order, so its steps may part: sameSteps says whether they did.
//
// The counting proxy: llama-cpp-python reuses the longest common token prefix of a prompt with the
// one before (Llama.generate: "prefix-match hit") but does not say so in its answers. The proxy sits
// between the app's server backend and the server, tokenizes each prompt with the server's own
// tokenizer (/extras/tokenize), computes that common prefix with the previous prompt (at most all
// but one token: the last is always decoded for its logits), and adds it to the answer as vLLM's
// usage.prompt_tokens_details.cached_tokens, which the backend reads. So "computed" is what the
// server computed by its own rule, counted outside it; "sent" is its usage.prompt_tokens.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { builtinDatasets } from '../src/lib/data/builtin/index';
import { importTruthfulqaLayout } from '../src/lib/data/builtin/truthfulLayout';
import { problemOf } from '../src/lib/data/problem';
import type { Dataset } from '../src/lib/data/types';
import { defaultConfig, type ICMConfig } from '../src/lib/icm/config';
import type { LabelModel } from '../src/lib/icm/model';
import { ReadCache } from '../src/lib/icm/plan';
import { drawPool } from '../src/lib/icm/pool';
import type { Problem } from '../src/lib/icm/problem';
import { initialState, isDone, step, type RunState, type StepEvent } from '../src/lib/icm/search';
import { defaultSimulatedParams } from '../src/lib/model/params';
import { commonPrefix, withPrefixCache } from '../src/lib/model/prefix-cache';
import { simulatedModelFor } from '../workers/backends/simulated/model';
import { serverModelFor, startLlamaServer } from './llama-server';
import type { RealModel } from './real-models';
import { defaultPlan } from '../workers/backends/kinds';

type Record_ = (key: string, value: number) => void;
const MODES = ['before', 'after'] as const;
type Mode = (typeof MODES)[number];
const POOL = 16;
const SERVER_PLAN = defaultPlan('server'); // the app's plan for a server (and llama.cpp)
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The tasks, named as in the keys. */
export const fixTasks = (): { task: string; ds: Dataset }[] => [
  { task: 'math', ds: builtinDatasets().find((d) => d.id === 'builtin-math') as Dataset },
  { task: 'truthfulqaLayout', ds: importTruthfulqaLayout({ key: { kind: 'answerWords' }, exclusive: true }) },
  // imported as-is (no exclusive answers): no rule fires, no repair; what is left is the step's own reads
  { task: 'truthfulqaLayoutAsIs', ds: importTruthfulqaLayout() },
];

const configFor = (seed: number, steps: number): ICMConfig => ({ ...defaultConfig, ...SERVER_PLAN, poolSize: POOL, seed, iterations: steps });

/** A pool's problem and config, and its state after the seed labels (read as `after` reads, into `reads`). */
async function started(ds: Dataset, seed: number, steps: number, model: LabelModel, reads: ReadCache): Promise<{ problem: Problem; config: ICMConfig; state: RunState }> {
  const problem = problemOf(ds, drawPool(ds.items, POOL, seed));
  const config = configFor(seed, steps);
  return { problem, config, state: (await initialState(problem, config, model, reads)).state };
}

/**
 * The run's next `steps` steps from `start`, as the mode takes them (`reads`: what the run has read
 * so far, kept in mode after); the events and the seconds they took. Both modes start from the same
 * state, so they draw the same numbers and, reading the same values, take the same steps.
 */
async function runSteps(start: { problem: Problem; config: ICMConfig; state: RunState }, model: LabelModel, mode: Mode, reads: ReadCache): Promise<{ events: StepEvent[]; seconds: number }> {
  // before: a read cache per step, and the model as the plans saw a server before, blind to what it holds
  const m: LabelModel = mode === 'after' ? model : { readSequence: (s) => model.readSequence(s), segmentTokens: model.segmentTokens };
  const kept = mode === 'after' ? reads : undefined;
  let state = start.state;
  const events: StepEvent[] = [];
  const t0 = performance.now();
  while (!isDone(state, start.config)) {
    const r = await step(start.problem, state, start.config, m, kept);
    state = r.state;
    events.push(r.event);
  }
  return { events, seconds: (performance.now() - t0) / 1000 };
}

/** Per-step and per-repair figures of a mode's events. */
function figures(events: StepEvent[]): Record<string, number> {
  const sum = (f: (e: StepEvent) => number) => events.reduce((a, e) => a + f(e), 0);
  const repairs = events.filter((e) => (e.repair?.evaluations ?? 0) > 0);
  const steps = Math.max(1, events.length);
  const per = (n: number, d: number) => round(n / Math.max(1, d));
  const sent = sum((e) => e.tokens);
  const computed = sum((e) => e.computed ?? e.tokens);
  const repairSent = sum((e) => e.repair?.tokens ?? 0);
  const repairComputed = sum((e) => e.repair?.computed ?? 0);
  return {
    sentPerStep: per(sent, steps),
    computedPerStep: per(computed, steps),
    sentPerRepair: per(repairSent, repairs.length),
    computedPerRepair: per(repairComputed, repairs.length),
    evaluationsPerRepair: per(sum((e) => e.repair?.evaluations ?? 0), repairs.length),
    sentOtherPerStep: per(sent - repairSent, steps),
    computedOtherPerStep: per(computed - repairComputed, steps),
    repairsPerStep: round(repairs.length / steps, 2),
  };
}

/** What the steps decided, to tell whether two modes took the same steps. */
const decisions = (events: StepEvent[]) => JSON.stringify(events.map((e) => [e.item, e.proposal, e.fixes, e.accepted, round(e.deltaU, 6)]));

function recordModes(prefix: string, byMode: Record<Mode, { events: StepEvent[] }>, record: Record_): void {
  const fig = { before: figures(byMode.before.events), after: figures(byMode.after.events) };
  for (const mode of MODES) for (const [k, v] of Object.entries(fig[mode])) record(`${prefix}.${mode}.${k}`, v);
  record(`${prefix}.sentRatio`, round(fig.after.sentPerStep / Math.max(1, fig.before.sentPerStep), 3));
  record(`${prefix}.computedRatio`, round(fig.after.computedPerStep / Math.max(1, fig.before.computedPerStep), 3));
  record(`${prefix}.sameSteps`, decisions(byMode.before.events) === decisions(byMode.after.events) ? 1 : 0);
}

/** The simulated model's figures: deterministic, seconds to run. */
export async function fixBenchSimulated(record: Record_, quick: boolean): Promise<void> {
  const seeds = quick ? [1] : [1, 2, 3];
  for (const { task, ds } of fixTasks()) {
    const byMode = { before: { events: [] as StepEvent[] }, after: { events: [] as StepEvent[] } };
    for (const seed of seeds) {
      const modelFor = () => withPrefixCache(simulatedModelFor(ds.kind, ds.items, drawPool(ds.items, POOL, seed), defaultSimulatedParams));
      const reads = new ReadCache();
      const start = await started(ds, seed, 20, modelFor(), reads);
      for (const mode of MODES) byMode[mode].events.push(...(await runSteps(start, modelFor(), mode, reads)).events);
    }
    recordModes(`fix.${task}.sim`, byMode, record);
  }
}

/** A proxy to llama-cpp-python that adds the tokens its prefix cache reused to each answer (see the top of this file). */
async function countingProxy(upstream: string): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let previous: number[] = [];
  let requests = 0;
  let queue: Promise<unknown> = Promise.resolve(); // the server answers one at a time; so does the count
  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  const post = async (path: string, json: unknown) => {
    const res = await fetch(`${upstream}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(json) });
    return { status: res.status, text: await res.text() };
  };
  async function completion(text: string): Promise<{ status: number; text: string }> {
    const request = JSON.parse(text) as { prompt: string };
    const tokens = (JSON.parse((await post('/extras/tokenize', { input: request.prompt })).text) as { tokens: number[] }).tokens;
    const res = await post('/v1/completions', request);
    if (res.status !== 200) return res;
    requests++;
    const reused = Math.min(commonPrefix(previous, tokens), tokens.length - 1);
    previous = tokens;
    const answer = JSON.parse(res.text) as { usage?: Record<string, unknown> };
    answer.usage = { ...answer.usage, prompt_tokens_details: { cached_tokens: reused } };
    return { status: 200, text: JSON.stringify(answer) };
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        const text = await body(req);
        const path = (req.url ?? '/').split('?')[0];
        const out =
          req.method === 'POST' && path === '/v1/completions'
            ? await (queue = queue.then(() => completion(text), () => completion(text)))
            : await fetch(`${upstream}${req.url ?? '/'}`, { method: req.method, headers: { 'Content-Type': 'application/json' }, body: req.method === 'GET' ? undefined : text }).then(async (r) => ({ status: r.status, text: await r.text() }));
        res.writeHead(out.status, { 'Content-Type': 'application/json' });
        res.end(out.text);
      } catch (e) {
        res.writeHead(502, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { message: String(e) } }));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** CPU seconds a process has used (Linux /proc), or null. */
function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

/** The real model's figures: a llama-cpp-python server through the counting proxy, seed 1. */
export async function fixBenchReal(python: string, model: RealModel, record: Record_, opts: { steps: Record<string, number> }): Promise<void> {
  const server = await startLlamaServer(python, model, { nCtx: 4096 });
  try {
    for (const { task, ds } of fixTasks().filter((t) => (opts.steps[t.task] ?? 0) > 0)) {
      const prefix = `fix.${task}.${model.id}`;
      const items = drawPool(ds.items, POOL, 1).map((i) => ds.items[i]);
      const reads = new ReadCache();
      const proxy = await countingProxy(server.url);
      try {
        const modelFor = () => serverModelFor({ ...server, url: proxy.url }, ds, items, 3600);
        const start = await started(ds, 1, opts.steps[task], modelFor(), reads);
        const byMode = {} as Record<Mode, { events: StepEvent[] }>;
        for (const mode of MODES) {
          const [requests, cpu] = [proxy.requests(), cpuSeconds(server.pid)];
          const run = await runSteps(start, modelFor(), mode, reads);
          byMode[mode] = run;
          const steps = Math.max(1, run.events.length);
          record(`${prefix}.${mode}.requestsPerStep`, round((proxy.requests() - requests) / steps));
          record(`${prefix}.${mode}.secondsPerStep`, round(run.seconds / steps));
          const cpuAfter = cpuSeconds(server.pid);
          if (cpu !== null && cpuAfter !== null) record(`${prefix}.${mode}.serverCpuSecondsPerStep`, round((cpuAfter - cpu) / steps));
        }
        recordModes(prefix, byMode, record);
        record(`${prefix}.loadAverage`, round(loadavg()[0], 2));
      } finally {
        await proxy.close();
      }
    }
  } finally {
    await server.close();
  }
}
