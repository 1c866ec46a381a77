// The connection check before a run on a completions server: is it reachable, may this page
// read its answers (CORS), is the key accepted, is the model served, does it return
// log-probabilities, and are the label tokens among them. Each check is a line the screen
// shows; a failed one says what to change, with the server flags for vLLM, llama.cpp's
// llama-server and Ollama (src/lib/server/errors.ts says where they come from).
//
// Telling "not running" from "CORS refused" in a browser: both make fetch reject with the same
// TypeError. requestJson settles it with a second request in mode "no-cors" (ServerCorsRefused
// when something answers it, ServerUnreachable when nothing does); a redirect is never followed
// (ServerRedirect), so a server that points elsewhere gets its answer refused, and nothing is sent there.

import { itemPrompt } from '../data/prompt';
import { originOf, ServerError } from './errors';
import { globalFetch, requestJson, type FetchLike } from './http';
import { labelLogprobs, LOGPROB_FLOOR } from './labels';
import { completionBody, completionsUrl, modelsUrl, requestHeaders } from './request';
import { parseCompletion, parseModelIds, type ParsedCompletion } from './response';

export type CheckName = 'reachable' | 'cors' | 'auth' | 'model' | 'logprobs' | 'labels';
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skipped';

export interface ConnectionCheck {
  name: CheckName;
  ok: boolean; // status is 'ok' or 'warn'
  status: CheckStatus;
  message: string;
}

export interface ConnectionReport {
  ok: boolean; // every check passed (warnings allowed)
  checks: ConnectionCheck[]; // always all six, in the order above
  models: string[]; // the ids /v1/models listed (empty when it could not be read)
}

export interface CheckOptions {
  topK?: number; // as the run will ask (default 20)
  probePrompt?: string; // text up to a read point; default a generic claim (the UI can pass a dataset item)
  timeoutMs?: number; // for GET /v1/models (default 10 s)
  probeTimeoutMs?: number; // for the probe completion (default 60 s: a first request may load the model)
  pageProtocol?: string; // the page's location.protocol; read from globalThis when absent
  signal?: AbortSignal;
}

export const checkLabels: Record<CheckName, string> = {
  reachable: 'Server reachable',
  cors: 'Cross-origin requests allowed',
  auth: 'API key',
  model: 'Model served',
  logprobs: 'Log-probabilities returned',
  labels: 'Label tokens in the top-k',
};

const ORDER: CheckName[] = ['reachable', 'cors', 'auth', 'model', 'logprobs', 'labels'];

/** A claim a base model answers with " True" or " False". */
export const defaultProbePrompt = itemPrompt('factual', { id: 'probe', group: 'probe', key: 'Paris', question: 'What is the capital of France?', claim: 'Paris' });

function pageProtocolOf(opts: CheckOptions): string | undefined {
  if (opts.pageProtocol) return opts.pageProtocol;
  const loc: unknown = Reflect.get(globalThis, 'location');
  const p: unknown = typeof loc === 'object' && loc !== null ? Reflect.get(loc, 'protocol') : undefined;
  return typeof p === 'string' ? p : undefined;
}

/**
 * Checks a server before a run. Never throws for a server problem: every outcome is a check
 * in the report. The API key is sent in the Authorization header only.
 */
export async function checkConnection(
  baseUrl: string,
  model: string,
  apiKey?: string,
  fetchImpl: FetchLike = globalFetch,
  opts: CheckOptions = {},
): Promise<ConnectionReport> {
  const topK = opts.topK ?? 20;
  const pageProtocol = pageProtocolOf(opts);
  const origin = originOf(modelsUrl(baseUrl));
  const results = new Map<CheckName, ConnectionCheck>();
  const set = (name: CheckName, status: CheckStatus, message: string) => {
    results.set(name, { name, ok: status === 'ok' || status === 'warn', status, message });
  };
  const report = (models: string[]): ConnectionReport => {
    const checks = ORDER.map((name) => results.get(name) ?? { name, ok: false, status: 'skipped' as const, message: 'Not checked: an earlier check failed.' });
    return { ok: checks.every((c) => c.ok), checks, models };
  };
  const http = { fetch: fetchImpl, retries: 0, signal: opts.signal, pageProtocol, withKey: apiKey !== undefined && apiKey !== '' };

  // 1. GET /v1/models: reachable, CORS, key, model list.
  let models: string[] = [];
  try {
    const res = await requestJson(modelsUrl(baseUrl), { method: 'GET', headers: requestHeaders(apiKey, false) }, { ...http, timeoutMs: opts.timeoutMs ?? 10_000 });
    set('reachable', 'ok', `${origin} answers.`);
    set('cors', 'ok', 'The server lets this page read its answers.');
    const ids = parseModelIds(res.json);
    if (ids === null) set('model', 'fail', `${modelsUrl(baseUrl)} did not list models: is this the URL of an OpenAI-compatible API?`);
    else {
      models = ids;
      if (ids.includes(model)) set('model', 'ok', `"${model}" is served.`);
      else if (ids.length === 0) set('model', 'fail', 'The server lists no models yet; wait until it has loaded one, then check again.');
      else set('model', 'fail', `"${model}" is not served here. It serves: ${ids.slice(0, 10).map((m) => `"${m}"`).join(', ')}${ids.length > 10 ? ', …' : ''}. Use one of those names.`);
    }
  } catch (e) {
    if (isAbort(e)) throw e;
    if (e instanceof ServerError && e.name === 'ServerCorsRefused') {
      set('reachable', 'ok', `${origin} answers.`);
      set('cors', 'fail', e.message);
      return report(models);
    }
    if (e instanceof ServerError && (e.name === 'ServerUnreachable' || e.name === 'ServerRedirect' || e.name === 'ServerTimeout')) {
      set('reachable', 'fail', e.message);
      return report(models);
    }
    // it answered with an error status: reachable, and CORS let us read it
    set('reachable', 'ok', `${origin} answers.`);
    set('cors', 'ok', 'The server lets this page read its answers.');
    if (e instanceof ServerError && e.name === 'ServerAuthError') {
      set('auth', 'fail', e.message);
      return report(models);
    }
    set('model', 'warn', `Could not list the served models (${message(e)}); the probe below tries "${model}" directly.`);
  }
  set('auth', 'ok', apiKey ? 'The key was accepted.' : 'No key needed.');

  // 2. A probe completion: logprobs, label tokens, and the model name for real.
  let parsed: ParsedCompletion;
  try {
    const res = await requestJson(
      completionsUrl(baseUrl),
      { method: 'POST', headers: requestHeaders(apiKey), body: JSON.stringify(completionBody(model, opts.probePrompt ?? defaultProbePrompt, topK)) },
      { ...http, timeoutMs: opts.probeTimeoutMs ?? 60_000 },
    );
    parsed = parseCompletion(res.json, `${origin}`);
  } catch (e) {
    if (isAbort(e)) throw e;
    // GET went through but the POST did not: a refused CORS preflight (JSON body, Authorization),
    // or a connection the server reset, which requestJson's no-cors probe told apart
    if (e instanceof ServerError && e.name === 'ServerCorsRefused') set('cors', 'fail', e.message);
    else if (e instanceof ServerError && e.name === 'ServerUnreachable')
      set(
        'logprobs',
        'fail',
        `${origin} answered a plain GET, but closed the connection on the probe completion without answering (connection reset): the server failed while handling it, or something in between (a proxy, a firewall) cut it. This is not a CORS refusal. Look at the server's log, then check again.`,
      );
    else if (e instanceof ServerError && e.name === 'ServerAuthError') set('auth', 'fail', e.message);
    else if (e instanceof ServerError && e.status === 404 && results.get('model')?.status === 'fail') {
      // the listing already says which names it serves
    } else if (e instanceof ServerError && e.status === 404 && results.get('model')?.status === 'warn') set('model', 'fail', e.message);
    else set('logprobs', 'fail', message(e));
    return report(models);
  }
  const listed = results.get('model')?.status;
  if (listed === 'warn') set('model', 'ok', `The server completes with "${model}".`);
  // llama-server serves one model whatever name a request gives
  else if (listed === 'fail')
    set('model', 'warn', `"${model}" is not among the served names (${models.map((m) => `"${m}"`).join(', ')}), but the server completes with it; it probably serves one model whatever the name. Prefer the listed name.`);
  const fewer = parsed.top.length < topK ? ` (it listed ${parsed.top.length} of the ${topK} asked)` : '';
  set('logprobs', 'ok', `The server returns the top log-probabilities of the next token${fewer}, in ${parsed.shape === 'vllm' ? "vLLM's" : "llama.cpp's"} shape.`);

  const labels = labelLogprobs(parsed.top, topK);
  const pct = (lp: number) => `${(100 * Math.exp(lp)).toFixed(lp > Math.log(0.001) ? 1 : 3)}%`;
  if (labels.noProbability && !(labels.missingTrue && labels.missingFalse))
    set(
      'labels',
      'fail',
      `The server lists " True" and " False" with no real probability on a probe claim (both at e^${LOGPROB_FLOOR} or less; vLLM writes e^-9999 for zero), so every read would be undecided. ICM needs a base (pretrained) model that continues "I think this claim is" with a label, and the prompt sent unchanged (no chat template).`,
    );
  else if (!labels.missingTrue && !labels.missingFalse)
    set('labels', 'ok', `" True" and " False" are both among the top ${topK} on a probe claim (P = ${pct(labels.logTrue)} and ${pct(labels.logFalse)}).`);
  else if (labels.missingTrue && labels.missingFalse)
    set(
      'labels',
      'fail',
      `Neither " True" nor " False" is among the top ${topK} tokens after a claim. ICM needs a base (pretrained) model that continues "I think this claim is" with a label; an instruction-tuned or chat model often answers something else. Try a base model, or a larger Top-k.`,
    );
  else {
    const [seen, unseen, lp] = labels.missingFalse ? ['True', 'False', labels.logTrue] : ['False', 'True', labels.logFalse];
    set(
      'labels',
      'warn',
      `" ${seen}" is among the top ${topK} (P = ${pct(lp)}) but " ${unseen}" is not, on this probe; where that happens in a run its probability is bounded by the least likely listed token. A larger Top-k makes that rarer.`,
    );
  }
  return report(models);
}

const isAbort = (e: unknown) => e instanceof ServerError && e.name === 'AbortError';
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
