// Reading the next-token top-k log-probabilities out of a /v1/completions answer, in the two
// shapes servers return:
//
// vLLM (and OpenAI's legacy completions): choices[0].logprobs = { tokens, token_logprobs,
//   top_logprobs: [ { "<token>": logprob, … } ], text_offset } — one object per generated token.
// llama-server (tools/server/server-task.cpp, to_json_oaicompat): choices[0].logprobs =
//   { content: [ { id, token, bytes, logprob, top_logprobs: [ { id, token, bytes, logprob } ] } ] }.
//
// Token counts: usage.prompt_tokens (all three servers send it); tokens served from a prefix
// cache, when reported: usage.prompt_tokens_details.cached_tokens (vLLM with
// --enable-prompt-tokens-details) or timings.cache_n (llama-server).

import { ServerError } from './errors';

export interface TopToken {
  token: string; // the token's text as the server decoded it, e.g. " True"
  logprob: number; // nats
}

export type ResponseShape = 'vllm' | 'llama.cpp';

export interface ParsedCompletion {
  shape: ResponseShape;
  top: TopToken[]; // the next token's top-k, as listed (the sampled token may be added by vLLM)
  promptTokens: number | null;
  cachedTokens: number | null;
}

const isObject = (x: unknown): x is object => typeof x === 'object' && x !== null;
const get = (x: unknown, key: string): unknown => (isObject(x) ? Reflect.get(x, key) : undefined);
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

// A top-k entry that is not a token with a number is a malformed answer, refused: skipping it
// would read a label the server did list (" True": null) as one outside the top-k, bounded far
// below the other, and a run would label everything by that bound.
const malformed = (server: string, what: string) =>
  new ServerError(
    'ServerBadResponse',
    `${server} sent a malformed top-k list: ${what}. Each entry must be a token with its log-probability, a number (JSON has no minus infinity; vLLM writes -9999 for an impossible token). Check the server and its version.`,
  );

const shown = (x: unknown): string => (x === undefined ? 'nothing' : (JSON.stringify(x) ?? String(x)).slice(0, 40));

/** vLLM's / OpenAI's { token: logprob } object. */
function fromRecord(rec: unknown, server: string): TopToken[] | null {
  if (!isObject(rec) || Array.isArray(rec)) return null;
  const out: TopToken[] = [];
  for (const [token, logprob] of Object.entries(rec)) {
    if (!finite(logprob)) throw malformed(server, `${shown(logprob)} as the log-probability of ${JSON.stringify(token)}`);
    out.push({ token, logprob });
  }
  return out;
}

/** llama-server's [{ token, logprob }] list. */
function fromList(list: unknown, server: string): TopToken[] | null {
  if (!Array.isArray(list)) return null;
  const out: TopToken[] = [];
  list.forEach((e, i) => {
    const token = get(e, 'token');
    const logprob = get(e, 'logprob');
    if (typeof token !== 'string') throw malformed(server, `entry ${i + 1} has ${shown(token)} as its token`);
    if (!finite(logprob)) throw malformed(server, `${shown(logprob)} as the log-probability of ${JSON.stringify(token)}`);
    out.push({ token, logprob });
  });
  return out;
}

// A log-probability is at most 0 (a little above from rounding); one far below any a float32
// softmax gives (about -104 nats for the smallest normal float, llama.cpp sends -inf or nothing
// for masked tokens) is a server fault too, and ±1e308 would turn U into NaN.
const LOGPROB_MAX = 1e-3; // nats
const LOGPROB_MIN = -1e4; // nats
const fmt = (x: number) => (Math.abs(x) >= 1e4 ? x.toExponential(1) : String(Math.round(x * 1000) / 1000));

/** Throws when the top-k could not come from a probability distribution: a log-probability
 *  above 0 or absurdly small, or probabilities that add up to more than 1. */
function checkPossible(top: TopToken[], server: string): TopToken[] {
  const act = 'It must send log-probabilities of the next token (log-softmax of the logits, each ≤ 0), not raw logits or scores; check the server and its model.';
  for (const t of top) {
    if (t.logprob > LOGPROB_MAX)
      throw new ServerError('ServerBadResponse', `${server} sent an impossible log-probability: ${fmt(t.logprob)} for ${JSON.stringify(t.token)} (a probability above 1). ${act}`);
    if (t.logprob < LOGPROB_MIN)
      throw new ServerError('ServerBadResponse', `${server} sent an absurdly small log-probability: ${fmt(t.logprob)} for ${JSON.stringify(t.token)}. ${act}`);
  }
  const total = top.reduce((sum, t) => sum + Math.exp(t.logprob), 0);
  if (total > 1 + 1e-2)
    throw new ServerError('ServerBadResponse', `${server} sent top-k log-probabilities whose probabilities add up to ${fmt(total)}, more than 1. ${act}`);
  return top;
}

const count = (x: unknown): number | null => (finite(x) && x >= 0 ? x : null);

/**
 * The top-k of the first generated token. Throws ServerError('ServerBadResponse') with what to
 * do when the answer has no log-probabilities in either shape, or impossible ones.
 */
export function parseCompletion(json: unknown, server = 'The server'): ParsedCompletion {
  const choice = get(get(json, 'choices'), '0');
  if (!isObject(choice))
    throw new ServerError('ServerBadResponse', `${server} answered without a completion (no choices[0]); is it an OpenAI-compatible /v1/completions endpoint?`);
  const logprobs = get(choice, 'logprobs');
  if (!isObject(logprobs))
    throw new ServerError(
      'ServerBadResponse',
      `${server} answered without log-probabilities. This app needs /v1/completions with "logprobs" (vLLM, llama.cpp's llama-server; Ollama only in versions whose /v1/completions returns them).`,
    );
  const usage = get(json, 'usage');
  const promptTokens = count(get(usage, 'prompt_tokens'));

  const content = get(logprobs, 'content');
  if (Array.isArray(content)) {
    const top = fromList(get(content[0], 'top_logprobs'), server);
    if (top && top.length > 0)
      return { shape: 'llama.cpp', top: checkPossible(top, server), promptTokens, cachedTokens: count(get(get(json, 'timings'), 'cache_n')) };
    if (get(content[0], 'top_probs') !== undefined)
      throw new ServerError('ServerBadResponse', `${server} sent post-sampling probabilities (top_probs); start it without post_sampling_probs so it reports the model's own log-probabilities.`);
  }
  const first = get(get(logprobs, 'top_logprobs'), '0');
  const top = fromRecord(first, server) ?? fromList(first, server);
  if (top && top.length > 0)
    return { shape: 'vllm', top: checkPossible(top, server), promptTokens, cachedTokens: count(get(get(usage, 'prompt_tokens_details'), 'cached_tokens')) };
  throw new ServerError('ServerBadResponse', `${server} sent log-probabilities but no top-k list for the next token; ask for logprobs ≥ 1 (the Top-k setting).`);
}

/** The ids in a /v1/models answer ({ data: [{ id }] }, llama-server also { models: [{ model }] }). */
export function parseModelIds(json: unknown): string[] | null {
  const ids: string[] = [];
  const data = get(json, 'data');
  if (Array.isArray(data)) for (const m of data) if (typeof get(m, 'id') === 'string') ids.push(String(get(m, 'id')));
  const models = get(json, 'models');
  if (Array.isArray(models))
    for (const m of models) {
      const id = get(m, 'model') ?? get(m, 'name');
      if (typeof id === 'string' && !ids.includes(id)) ids.push(id);
    }
  return Array.isArray(data) || Array.isArray(models) ? ids : null;
}
