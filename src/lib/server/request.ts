// Requests to an OpenAI-compatible completions endpoint: URLs, headers and the body of one read.
//
// One read = one completion of the text up to a read point, max_tokens 1, with the top-k
// log-probabilities of the next token. Temperature does not change them on vLLM (raw_logprobs
// by default) nor on llama-server (a softmax of the raw logits unless post_sampling_probs is
// set); temperature 1 and top_p 1 keep them the model's own distribution even on a server
// configured to report processed log-probabilities.

export interface CompletionBody {
  model: string;
  prompt: string;
  max_tokens: 1;
  logprobs: number; // top-k; llama-server reads it as n_probs
  temperature: 1;
  top_p: 1;
  n: 1;
  stream: false;
  echo: false;
}

/** The API root, ".../v1", from what a person typed: the server's root, its /v1, or a pasted endpoint. */
export function apiRoot(baseUrl: string): string {
  let root = baseUrl.trim().replace(/\/+$/, '');
  root = root.replace(/\/(chat\/completions|completions|models)$/, '');
  return root.endsWith('/v1') ? root : `${root}/v1`;
}

export const completionsUrl = (baseUrl: string): string => `${apiRoot(baseUrl)}/completions`;
export const modelsUrl = (baseUrl: string): string => `${apiRoot(baseUrl)}/models`;

/** Request headers; the key goes only here, never into a URL, a message or a log. */
export function requestHeaders(apiKey?: string, json = true): Record<string, string> {
  const headers: Record<string, string> = {};
  if (json) headers['Content-Type'] = 'application/json';
  if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
  return headers;
}

export function completionBody(model: string, prompt: string, topK: number): CompletionBody {
  return { model, prompt, max_tokens: 1, logprobs: topK, temperature: 1, top_p: 1, n: 1, stream: false, echo: false };
}
