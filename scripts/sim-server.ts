// npm run sim-server: a small local server that speaks the OpenAI completions API the way vLLM
// (or, with --llama-cpp, llama.cpp's llama-server) does, answering from the simulated model
// (src/lib/model/simulated.ts) of the built-in tasks. It is not a language model: it exists so
// the app's server backend can be tried and tested without a GPU. Node only, no dependencies.
//
// How it answers a completion: the prompt is split at the segment separator; a leading task
// description is skipped; every other part is an item's prompt (src/lib/data/prompt.ts
// itemPrompt) followed by " True" or " False", except the last, which ends at the read point.
// Each part is looked up among the built-in items, and the simulated model of that dataset (built
// over all its items) reads the sequence. Its P(True) is spread over several spellings of each
// label (" True", " true", "True", …) next to a few other tokens, so clients must sum spellings
// as the official code does; the top `logprobs` of them are returned. A prompt it does not
// recognise but that ends like an item's prompt gets P(True) = 0.5.
//
// Options:
//   --port N          port (default 8088; 0 picks a free one)
//   --host H          interface (default 127.0.0.1)
//   --model NAME      the served model's name (default sim-base)
//   --llama-cpp       answer in llama-server's shape instead of vLLM's
//   --fail-first N    answer 503 to the first N completions
//   --stall-after N   after N answered completions, never answer another one
//   --no-cors         send no CORS headers (a browser page cannot read the answers)
//   --api-key KEY     require "Authorization: Bearer KEY" on /v1/*
//   --max-logprobs N  refuse larger logprobs requests with 400, as vLLM does (default 20)
//   --redirect-to URL answer every request with 307 to URL + the request's path (CORS headers kept,
//                     so a browser page sees the redirect): the app must never follow it
//   --reset-after N   after N answered completions, close every connection without answering (a reset)
//   --labels null|underflow  a broken answer: the label spellings' log-probabilities as null (a
//                     malformed top-k list, to be refused), or all at -9999 (vLLM's zero: no real probability)

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinDatasets } from '../src/lib/data/builtin/index';
import { itemPrompt, labelText, readContext, segmentSeparator } from '../src/lib/data/prompt';
import { estimateTokens } from '../src/lib/model/tokens';
import type { Dataset } from '../src/lib/data/types';
import type { LabelModel, Segment } from '../src/lib/icm/model';
import { defaultSimulatedParams, type SimulatedParams } from '../src/lib/model/params';
import { createSimulatedModel } from '../workers/backends/simulated/model';


export interface SimServerOptions {
  port?: number;
  host?: string;
  model?: string;
  shape?: 'vllm' | 'llama.cpp';
  failFirst?: number;
  stallAfter?: number; // undefined: never stall
  cors?: boolean;
  apiKey?: string;
  maxLogprobs?: number;
  redirectTo?: string; // answer every request (but a CORS preflight) with 307 to this URL + its path
  resetAfter?: number; // after this many answered completions, reset every connection; undefined: never
  labels?: 'null' | 'underflow'; // the label spellings' log-probabilities written as null, or as -9999 (see --labels)
  onPrompt?: (prompt: string) => void; // sees every completion prompt (tests: what was sent)
  params?: SimulatedParams;
  datasets?: Dataset[];
}

export interface SimServer {
  url: string; // http://host:port (the API is under /v1)
  port: number;
  /** Requests of any kind (preflights included); completions received, answered, failed on purpose, left stalled, and connections reset. */
  counts(): { requests: number; received: number; answered: number; failed: number; stalled: number; reset: number };
  close(): Promise<void>;
}

// How P(label) is spread over tokens: 96% over label spellings, 4% over other tokens.
const LABEL_MASS = 0.96;
const SPELLINGS: [(word: string) => string, number][] = [
  [(w) => ` ${w}`, 0.9], // " True" / " False"
  [(w) => ` ${w.toLowerCase()}`, 0.06], // " true" / " false"
  [(w) => w, 0.04], // "True" / "False"
];
const OTHERS: [string, number][] = [
  [' correct', 0.015],
  [' not', 0.01],
  [' wrong', 0.008],
  ['\n', 0.005],
  [' a', 0.002],
];

/** The next-token distribution for P(True) = p: [token, probability], most likely first. */
export function nextTokenDistribution(p: number | null): [string, number][] {
  const out: [string, number][] = [];
  const labelMass = p === null ? 0 : LABEL_MASS;
  if (p !== null)
    for (const [spell, share] of SPELLINGS) {
      out.push([spell('True'), labelMass * share * p]);
      out.push([spell('False'), labelMass * share * (1 - p)]);
    }
  const othersTotal = OTHERS.reduce((s, [, q]) => s + q, 0);
  for (const [tok, q] of OTHERS) out.push([tok, ((1 - labelMass) * q) / othersTotal]);
  return out.filter(([, q]) => q > 0).sort((a, b) => b[1] - a[1]);
}

interface Located {
  ds: number;
  item: number;
}

/** Maps prompt texts back to built-in items, and reads sequences with each dataset's simulated model. */
export class PromptReader {
  private index = new Map<string, Located[]>();
  private descriptions = new Set<string>();
  private models = new Map<number, LabelModel>();

  constructor(
    private readonly datasets: Dataset[],
    private readonly params: SimulatedParams,
  ) {
    datasets.forEach((ds, d) => {
      this.descriptions.add(ds.description);
      ds.items.forEach((it, i) => {
        const text = itemPrompt(ds.kind, it);
        this.index.set(text, [...(this.index.get(text) ?? []), { ds: d, item: i }]);
      });
    });
  }

  /** The dataset and its segments (dataset indices), or null when the prompt is not built-in items. */
  parse(prompt: string): { ds: number; segments: Segment[] } | null {
    const parts = prompt.split(segmentSeparator);
    if (parts.length > 1 && this.descriptions.has(parts[0])) parts.shift();
    const found: { at: Located[]; label: boolean | null }[] = [];
    for (let k = 0; k < parts.length; k++) {
      let text = parts[k];
      let label: boolean | null = null;
      if (k < parts.length - 1) {
        if (text.endsWith(labelText(true))) label = true;
        else if (text.endsWith(labelText(false))) label = false;
        else return null;
        text = text.slice(0, text.length - labelText(label).length);
      }
      const at = this.index.get(text);
      if (!at) return null;
      found.push({ at, label });
    }
    // the one dataset every part belongs to
    const ds = found[0]?.at.map((l) => l.ds).find((d) => found.every((f) => f.at.some((l) => l.ds === d)));
    if (ds === undefined) return null;
    const segments = found.map((f, k): Segment => {
      const loc = f.at.find((l) => l.ds === ds);
      return { item: loc ? loc.item : -1, read: k === found.length - 1, label: f.label };
    });
    return { ds, segments };
  }

  /** P(True) at the end of `prompt`: the simulated model's, 0.5 for an unknown claim, null otherwise. */
  async pTrue(prompt: string): Promise<number | null> {
    const parsed = this.parse(prompt);
    if (!parsed) return prompt.endsWith(readContext) ? 0.5 : null;
    let model = this.models.get(parsed.ds);
    if (!model) {
      const ds = this.datasets[parsed.ds];
      model = createSimulatedModel(ds.kind, ds.items, this.params);
      this.models.set(parsed.ds, model);
    }
    const { reads } = await model.readSequence(parsed.segments);
    return Math.exp(reads[0].logTrue); // the simulated model normalises over the two labels
  }
}

const json = (res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...extra });
  res.end(JSON.stringify(body));
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The log-probability written for a token of probability q: its log, unless `labels` breaks the labels' spellings. */
type LogprobOf = (token: string, q: number) => number | null;
const honest: LogprobOf = (_token, q) => Math.log(q);
const broken = (labels: 'null' | 'underflow'): LogprobOf => (token, q) =>
  /^\s*(true|false)\s*$/i.test(token) ? (labels === 'null' ? null : -9999) : Math.log(q);

function vllmCompletion(model: string, prompt: string, top: [string, number][], promptTokens: number, lp: LogprobOf = honest) {
  const [token, p] = top[0];
  return {
    id: `cmpl-sim-${Date.now().toString(36)}`,
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        text: token,
        logprobs: {
          text_offset: [prompt.length],
          token_logprobs: [lp(token, p)],
          tokens: [token],
          top_logprobs: [Object.fromEntries(top.map(([t, q]) => [t, lp(t, q)]))],
        },
        finish_reason: 'length',
        stop_reason: null,
      },
    ],
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens + 1, completion_tokens: 1 },
  };
}

function llamaCompletion(model: string, top: [string, number][], promptTokens: number, lp: LogprobOf = honest) {
  const bytes = (t: string) => Array.from(Buffer.from(t, 'utf8'));
  const entry = ([t, q]: [string, number], id: number) => ({ id, token: t, bytes: bytes(t), logprob: lp(t, q) });
  return {
    choices: [
      {
        text: top[0][0],
        index: 0,
        logprobs: { content: [{ ...entry(top[0], 1000), top_logprobs: top.map((x, i) => entry(x, 1000 + i)) }] },
        finish_reason: 'length',
      },
    ],
    created: Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: 'sim',
    object: 'text_completion',
    usage: { completion_tokens: 1, prompt_tokens: promptTokens, total_tokens: promptTokens + 1 },
    id: `chatcmpl-sim-${Date.now().toString(36)}`,
    timings: { cache_n: 0, prompt_n: promptTokens, predicted_n: 1 },
  };
}

export async function startSimServer(opts: SimServerOptions = {}): Promise<SimServer> {
  const model = opts.model ?? 'sim-base';
  const shape = opts.shape ?? 'vllm';
  const cors = opts.cors ?? true;
  const maxLogprobs = opts.maxLogprobs ?? 20;
  const reader = new PromptReader(opts.datasets ?? builtinDatasets(), opts.params ?? defaultSimulatedParams);
  const counts = { requests: 0, received: 0, answered: 0, failed: 0, stalled: 0, reset: 0 };
  const stalled = new Set<ServerResponse>();

  const corsHeaders = (req: IncomingMessage): Record<string, string> =>
    cors
      ? {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'Content-Type, Authorization',
          'Access-Control-Max-Age': '600',
        }
      : {};

  const error = (status: number, message: string, type: string) => ({ error: { message, type, param: null, code: status } });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counts.requests++;
    if (opts.resetAfter !== undefined && counts.answered >= opts.resetAfter) {
      counts.reset++;
      req.socket.destroy(); // no answer at all: the browser sees a failed fetch, as for a crashed server
      return;
    }
    for (const [k, v] of Object.entries(corsHeaders(req))) res.setHeader(k, v);
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (opts.redirectTo) {
      res.writeHead(307, { Location: `${opts.redirectTo.replace(/\/$/, '')}${req.url ?? '/'}` });
      res.end();
      return;
    }
    if (opts.apiKey && path.startsWith('/v1/') && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      if (shape === 'vllm') json(res, 401, { error: 'Unauthorized' });
      else json(res, 401, error(401, 'Invalid API Key', 'authentication_error'));
      return;
    }
    if (req.method === 'GET' && path === '/health') return json(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/v1/models') {
      const created = Math.floor(Date.now() / 1000);
      const entry =
        shape === 'vllm'
          ? { id: model, object: 'model', created, owned_by: 'vllm', root: model, parent: null, max_model_len: 32768, permission: [] }
          : { id: model, object: 'model', created, owned_by: 'llamacpp', meta: { n_ctx_train: 32768 } };
      return json(res, 200, { object: 'list', data: [entry] });
    }
    if (req.method === 'POST' && path === '/v1/completions') {
      counts.received++;
      const text = await readBody(req);
      if (counts.received <= (opts.failFirst ?? 0)) {
        counts.failed++;
        return json(res, 503, error(503, 'The simulated server is failing on purpose (--fail-first).', 'ServiceUnavailableError'));
      }
      if (opts.stallAfter !== undefined && counts.answered >= opts.stallAfter) {
        counts.stalled++;
        stalled.add(res); // never answered; closed with the server
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return json(res, 400, error(400, 'The request body is not JSON.', 'BadRequestError'));
      }
      const prompt: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'prompt') : undefined;
      const asked: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'model') : undefined;
      const logprobs: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'logprobs') : undefined;
      if (typeof prompt !== 'string') return json(res, 400, error(400, 'prompt must be a string.', 'BadRequestError'));
      opts.onPrompt?.(prompt);
      if (shape === 'vllm' && asked !== model) return json(res, 404, error(404, `The model \`${String(asked)}\` does not exist.`, 'NotFoundError'));
      const k = typeof logprobs === 'number' ? logprobs : 0;
      if (k > maxLogprobs) return json(res, 400, error(400, `Requested sample logprobs of ${k}, which is greater than max allowed: ${maxLogprobs}`, 'BadRequestError'));
      const dist = nextTokenDistribution(await reader.pTrue(prompt));
      const top = dist.slice(0, Math.max(1, k));
      const promptTokens = estimateTokens(prompt) + 1; // + BOS
      counts.answered++;
      if (k <= 0) {
        // no logprobs asked: answer like vLLM does, with none
        return json(res, 200, { ...vllmCompletion(model, prompt, top, promptTokens), choices: [{ index: 0, text: top[0][0], logprobs: null, finish_reason: 'length' }] });
      }
      const lp = opts.labels ? broken(opts.labels) : honest;
      return json(res, 200, shape === 'vllm' ? vllmCompletion(model, prompt, top, promptTokens, lp) : llamaCompletion(model, top, promptTokens, lp));
    }
    json(res, 404, error(404, 'File Not Found', 'not_found_error'));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, error(500, e instanceof Error ? e.message : String(e), 'InternalServerError'));
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 8088, opts.host ?? '127.0.0.1', () => done());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    counts: () => ({ ...counts }),
    close: () =>
      new Promise<void>((done) => {
        for (const res of stalled) res.destroy();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Options from command-line flags; an error message for a bad one. */
export function parseArgs(argv: string[]): { ok: true; options: SimServerOptions } | { ok: false; message: string } {
  const o: SimServerOptions = {};
  const count = (flag: string, v: string | undefined): number | string => {
    const n = Number(v);
    return v !== undefined && Number.isInteger(n) && n >= 0 ? n : `${flag} needs a whole number ≥ 0.`;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => argv[++i];
    switch (flag) {
      case '--port':
      case '--fail-first':
      case '--stall-after':
      case '--reset-after':
      case '--max-logprobs': {
        const n = count(flag, next());
        if (typeof n === 'string') return { ok: false, message: n };
        if (flag === '--port') o.port = n;
        else if (flag === '--fail-first') o.failFirst = n;
        else if (flag === '--stall-after') o.stallAfter = n;
        else if (flag === '--reset-after') o.resetAfter = n;
        else o.maxLogprobs = n;
        break;
      }
      case '--host':
      case '--model':
      case '--api-key':
      case '--redirect-to': {
        const v = next();
        if (!v) return { ok: false, message: `${flag} needs a value.` };
        if (flag === '--host') o.host = v;
        else if (flag === '--model') o.model = v;
        else if (flag === '--redirect-to') o.redirectTo = v;
        else o.apiKey = v;
        break;
      }
      case '--labels': {
        const v = next();
        if (v !== 'null' && v !== 'underflow') return { ok: false, message: '--labels needs null or underflow.' };
        o.labels = v;
        break;
      }
      case '--llama-cpp':
        o.shape = 'llama.cpp';
        break;
      case '--no-cors':
        o.cors = false;
        break;
      default:
        return { ok: false, message: `Unknown option ${flag}. Options: --port N, --host H, --model NAME, --llama-cpp, --fail-first N, --stall-after N, --reset-after N, --no-cors, --api-key KEY, --max-logprobs N, --redirect-to URL, --labels null|underflow.` };
    }
  }
  return { ok: true, options: o };
}

async function main(): Promise<void> {
  const parsed = parseArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(parsed.message);
    process.exit(2);
  }
  const o = parsed.options;
  const server = await startSimServer(o);
  const notes = [
    o.shape === 'llama.cpp' ? "llama-server's answer shape" : "vLLM's answer shape",
    o.failFirst ? `the first ${o.failFirst} completions fail with 503` : '',
    o.stallAfter !== undefined ? `stalls after ${o.stallAfter} completions` : '',
    o.cors === false ? 'no CORS headers' : '',
    o.apiKey ? 'requires an API key' : '',
    o.redirectTo ? `answers every request with 307 to ${o.redirectTo}` : '',
    o.resetAfter !== undefined ? `resets every connection after ${o.resetAfter} completions` : '',
  ].filter(Boolean);
  console.log(`Simulated completions server (the simulated model, not a language model): ${server.url}/v1, model "${o.model ?? 'sim-base'}"; ${notes.join('; ')}.`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void main();
