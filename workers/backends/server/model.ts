// The completions-endpoint backend of the model boundary (DESIGN §3): a LabelModel over an
// OpenAI-compatible /v1/completions (vLLM, llama.cpp's llama-server, Ollama), run in the worker.
//
// Reading a sequence: its text is laid out by src/lib/data/prompt.ts, as for every backend; each read point becomes
// one request with the text up to it as the prompt, max_tokens 1 and the top-k log-probabilities
// (src/lib/server/request.ts). The reads of a sequence go out together, at most `concurrency`
// at a time across the whole model: the server batches them, and with prefix caching (vLLM
// --enable-prefix-caching, llama-server's cache_prompt) the shared demonstrations are read once.
// Each label's log-probability sums every top-k token that spells it (src/lib/server/labels.ts);
// a label outside the top-k is bounded and counted, and warnings() says how often.
//
// Prefix cache: the server keeps the last prompt of each of its slots and computes a new prompt only
// from where it parts from one of them (llama.cpp; vLLM keeps more). The model tracks the prompts
// it sent (HeldPrompts: one per request it allows in flight), and tells the plans how much of a
// sequence's first prompt a slot holds (cachedPrefix), so they read from the sequence that starts
// like it, as they do on llama.cpp in the browser. What the server reused is counted only where it
// says so (cached tokens); a server that does not (llama-cpp-python, vLLM without
// --enable-prompt-tokens-details) leaves what it computed unknown, and the run screen says so.
//
// Failures: 429, 5xx and network errors are retried with backoff; a stalled server ends in a
// timeout error; cancel() (pause) aborts every request in flight. Tokens are counted from the
// answers' usage.prompt_tokens (estimated from the text length when a server sends none).
//
// The API key is only ever put in the Authorization header.

import type { DataItem, TaskKind } from '../../../src/lib/data/types';
import type { LabelRead, Segment, SequenceReads } from '../../../src/lib/icm/model';
import type { ServerSpec } from '../../../src/lib/model/params';
import { originOf, ServerError } from '../../../src/lib/server/errors';
import { abortError, requestJson, type HttpOptions } from '../../../src/lib/server/http';
import { labelLogprobs, LOGPROB_FLOOR } from '../../../src/lib/server/labels';
import { Limiter } from '../../../src/lib/server/limiter';
import { completionBody, completionsUrl, requestHeaders } from '../../../src/lib/server/request';
import { parseCompletion } from '../../../src/lib/server/response';
import { sequenceText } from '../../../src/lib/data/prompt';
import { HeldPrompts, heldTokens } from '../../../src/lib/model/prefix-cache';
import { estimateTokens, estimatingTokenizer, tokenCounts } from '../../../src/lib/model/tokens';
import type { RunModel } from '../backend';

export interface ServerModelOptions extends Omit<HttpOptions, 'signal' | 'onRetry'> {
  description?: string; // the dataset's one-line task description, shown before the demonstrations
  signal?: AbortSignal; // aborting it cancels every read, for good
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  clock?: () => number; // ms, for the time spent reading
}

export interface ServerReadStats {
  sequences: number;
  reads: number;
  requests: number; // completions answered, plus the attempts that were retried
  retries: number;
  tokens: number; // prompt tokens the server read (usage.prompt_tokens, or estimated)
  cachedTokens: number; // of those, served from the server's prefix cache, where it says so
  unreportedCache: number; // requests whose answer did not say how many tokens the prefix cache served
  estimatedTokens: number; // requests whose tokens were estimated (no usage in the answer)
  seconds: number; // time spent in readSequence
  trueOutsideTopK: number; // reads where no top-k token spelled True (its value is a bound)
  falseOutsideTopK: number;
  bothOutsideTopK: number; // reads where neither label was in the top-k: log-odds 0
  noProbability: number; // reads where both labels were listed below any real probability (vLLM's e^-9999): log-odds 0
}

/** cancel() aborts every request in flight (pause); warnings() names labels outside the top-k and estimated token counts. */
export interface ServerLabelModel extends RunModel {
  stats(): ServerReadStats;
}

export function createServerModel(kind: TaskKind, items: DataItem[], spec: ServerSpec, opts: ServerModelOptions = {}): ServerLabelModel {
  const url = completionsUrl(spec.baseUrl);
  const headers = requestHeaders(spec.apiKey);
  const limiter = new Limiter(spec.concurrency);
  const clock = opts.clock ?? (() => performance.now());
  // the person's setting beats the default (and a test's shorter one)
  const timeout = spec.timeoutS !== undefined ? { timeoutMs: spec.timeoutS * 1000 } : {};
  const name = `${spec.model} at ${originOf(url)}`;
  const stats: ServerReadStats = {
    sequences: 0,
    reads: 0,
    requests: 0,
    retries: 0,
    tokens: 0,
    cachedTokens: 0,
    unreportedCache: 0,
    estimatedTokens: 0,
    seconds: 0,
    trueOutsideTopK: 0,
    falseOutsideTopK: 0,
    bothOutsideTopK: 0,
    noProbability: 0,
  };
  let epoch = new AbortController(); // replaced by cancel(), so a pause stops only what is in flight
  const held = new HeldPrompts(spec.concurrency);

  async function readOne(prompt: string, signal: AbortSignal): Promise<{ logTrue: number; logFalse: number; tokens: number; cached: number | null }> {
    if (signal.aborted) throw abortError(`Reading labels from ${name}`);
    held.sent(prompt);
    const res = await requestJson(
      url,
      { method: 'POST', headers, body: JSON.stringify(completionBody(spec.model, prompt, spec.topK)) },
      {
        ...opts,
        ...timeout,
        signal,
        onRetry: (info) => {
          stats.requests++;
          stats.retries++;
          opts.onRetry?.(info);
        },
      },
    );
    stats.requests++;
    const parsed = parseCompletion(res.json, name);
    const labels = labelLogprobs(parsed.top, spec.topK);
    // neither label listed: both carry the same bound, so the read says nothing either way
    if (labels.missingTrue && labels.missingFalse) stats.bothOutsideTopK++;
    else if (labels.missingTrue) stats.trueOutsideTopK++;
    else if (labels.missingFalse) stats.falseOutsideTopK++;
    else if (labels.noProbability) stats.noProbability++;
    let tokens = parsed.promptTokens;
    if (tokens === null) {
      tokens = estimateTokens(prompt);
      stats.estimatedTokens++;
    }
    const cached = parsed.cachedTokens === null ? null : Math.min(tokens, parsed.cachedTokens);
    if (cached === null) stats.unreportedCache++;
    else stats.cachedTokens += cached;
    return { logTrue: labels.logTrue, logFalse: labels.logFalse, tokens, cached };
  }

  async function readSequence(segments: Segment[]): Promise<SequenceReads> {
    const seq = sequenceText(kind, items, segments, opts.description, spec.prompt);
    if (seq.reads.length === 0) return { reads: [], tokens: 0, computed: 0 };
    // one failed read stops its siblings; cancel() and opts.signal stop everything
    const local = new AbortController();
    const stop = () => local.abort();
    const outer = [epoch.signal, opts.signal].filter((s): s is AbortSignal => s !== undefined);
    for (const s of outer) {
      if (s.aborted) local.abort();
      else s.addEventListener('abort', stop, { once: true });
    }
    const t0 = clock();
    try {
      const results = await Promise.all(seq.reads.map((r) => limiter.run(() => readOne(seq.text.slice(0, r.at), local.signal))));
      const reads: LabelRead[] = results.map((x, k) => ({ item: seq.reads[k].item, logTrue: x.logTrue, logFalse: x.logFalse }));
      const tokens = results.reduce((sum, x) => sum + x.tokens, 0);
      const computed = tokens - results.reduce((sum, x) => sum + (x.cached ?? 0), 0);
      stats.sequences++;
      stats.reads += reads.length;
      stats.tokens += tokens;
      return { reads, tokens, computed, ...(results.some((x) => x.cached === null) ? { computedUnknown: true } : {}) };
    } catch (e) {
      local.abort();
      if (e instanceof ServerError && e.name === 'AbortError') throw abortError(`Reading labels from ${name}`);
      throw e;
    } finally {
      for (const s of outer) s.removeEventListener('abort', stop);
      stats.seconds += (clock() - t0) / 1000;
    }
  }

  function warnings(): string[] {
    const out: string[] = [];
    const outside = stats.trueOutsideTopK + stats.falseOutsideTopK;
    if (outside > 0)
      out.push(
        `In ${outside} of ${stats.reads} reads one label was not among the server's top ${spec.topK} tokens (" True" ${stats.trueOutsideTopK}×, " False" ${stats.falseOutsideTopK}×); ` +
          'its probability was bounded by the least likely listed token, which caps those log-odds. Raise Top-k if the server allows it (vLLM: --max-logprobs).',
      );
    if (stats.bothOutsideTopK > 0)
      out.push(
        `In ${stats.bothOutsideTopK} of ${stats.reads} reads neither " True" nor " False" was among the top ${spec.topK} tokens, so those reads count as undecided. ` +
          'ICM needs a base (pretrained) model; an instruction-tuned or chat model often answers something else here.',
      );
    if (stats.noProbability > 0)
      out.push(
        `In ${stats.noProbability} of ${stats.reads} reads neither " True" nor " False" carried any probability: the server listed both at e^${Math.round(LOGPROB_FLOOR)} or less (vLLM writes e^-9999 for a probability of zero), so those reads count as undecided. ` +
          'The model gives the labels no chance after "I think this claim is": check that it is a base (pretrained) model and that the prompt reaches it unchanged (no chat template).',
      );
    if (stats.estimatedTokens > 0)
      out.push(`The server did not report prompt tokens for ${stats.estimatedTokens} requests; their tokens are estimated from the text length.`);
    return out;
  }

  return {
    readSequence,
    cachedPrefix: (segments) => heldTokens(held, sequenceText(kind, items, segments, opts.description)),
    contextWindow: null, // the server knows it; a prompt too long for it fails with the server's message
    tokenCounts: () => tokenCounts(estimatingTokenizer, kind, items, opts.description, 0, spec.prompt),
    cancel() {
      const old = epoch;
      epoch = new AbortController();
      old.abort();
    },
    stats: () => ({ ...stats }),
    warnings,
  };
}
