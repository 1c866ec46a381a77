// Errors of the completions-endpoint backend, and the server flags their messages point to.
// Every message says what went wrong and what to do; none ever holds the API key (messages
// are built from the URL's origin and path, the HTTP status and the server's own message).
//
// Where the flags come from (read in each project's source):
// - vLLM: CORS is open by default: `--allowed-origins` defaults to ["*"] (FrontendArgs in
//   vllm/entrypoints/openai/cli_args.py); `--max-logprobs` defaults to 20 and
//   `--logprobs-mode` to raw_logprobs, before temperature (ModelConfig, vllm/config/model.py).
// - llama.cpp's llama-server: every origin is allowed, the pre-routing handler echoes the
//   request's Origin (tools/server/server-http.cpp); `logprobs` maps to `n_probs`, and the
//   probabilities are a softmax of the raw logits unless `post_sampling_probs` is set
//   (tools/server/server-task.cpp, server-context.cpp).
// - Ollama: only localhost, 127.0.0.1 and 0.0.0.0 origins (any port) are allowed unless
//   OLLAMA_ORIGINS lists more (envconfig/config.go, AllowedOrigins).
// - llama-cpp-python's server (measured, 0.3.36): echoes the request's Origin with credentials and
//   allows every header; refuses logprobs unless started with --logits_all true (an HTTP 500
//   whose message names logits_all); answers malformed requests with 500, not 400.

export type ServerErrorName =
  | 'ServerUnreachable' // fetch rejected: nothing answered, or the browser refused (CORS, mixed content)
  | 'ServerTimeout' // no complete answer within the timeout
  | 'ServerHttpError' // an HTTP error status (after retries, for 429 and 5xx)
  | 'ServerAuthError' // 401 / 403
  | 'ServerBadResponse' // an answer this app cannot read (not JSON, no logprobs)
  | 'AbortError'; // cancelled (pause)

export class ServerError extends Error {
  constructor(
    name: ServerErrorName,
    message: string,
    readonly status: number | null = null, // the HTTP status, when there was one
  ) {
    super(message);
    this.name = name;
  }
}

/** The flags that let a browser page read each server's answers (CORS). */
export const corsFlags = {
  vllm: `vLLM allows every origin unless it was started with --allowed-origins; if it was, add this page's origin, or start it with --allowed-origins '["*"]'`,
  llamacpp: "llama.cpp's llama-server allows every origin (no flag needed)",
  ollama: 'Ollama allows only pages served from localhost: set OLLAMA_ORIGINS to this page\'s origin (e.g. OLLAMA_ORIGINS="https://example.org") before "ollama serve"',
} as const;

/** Where a URL points, without path or credentials: safe to show. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** What a rejected fetch means in a browser: nothing answered, or CORS / mixed content refused it. */
/** Whether `url` names this machine (localhost, 127.x.x.x, [::1]): what is sent there stays here. */
export function isThisMachine(url: string): boolean {
  let host: string;
  try {
    host = new URL(url.trim()).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function unreachableMessage(url: string, detail: string, pageProtocol?: string): string {
  const origin = originOf(url);
  const parts = [`Could not read an answer from ${origin}${detail ? ` (${detail})` : ''}.`];
  let host = '';
  try {
    host = new URL(url).hostname;
  } catch {
    host = '';
  }
  const local = host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  if (pageProtocol === 'https:' && url.startsWith('http:') && !local)
    parts.push('This page is served over https, so the browser refuses plain-http servers other than localhost: serve the API over https or use localhost.');
  parts.push(`Either the server is not running at that address (check the URL and port), or it refused this page's cross-origin request. ${corsFlags.vllm}; ${corsFlags.llamacpp}; ${corsFlags.ollama}.`);
  return parts.join(' ');
}

/** The server's own error message from an error body (OpenAI, vLLM and llama.cpp shapes). */
export function serverMessage(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const error: unknown = Reflect.get(body, 'error');
  if (typeof error === 'string') return error; // vLLM's 401: {"error": "Unauthorized"}
  if (typeof error === 'object' && error !== null) {
    const m: unknown = Reflect.get(error, 'message');
    if (typeof m === 'string') return m;
  }
  const m: unknown = Reflect.get(body, 'message'); // older vLLM: {"object": "error", "message": …}
  return typeof m === 'string' ? m : null;
}

/** The error for an HTTP status the client does not retry (or no longer retries). */
export function httpError(url: string, status: number, body: unknown, retries: number): ServerError {
  const where = `${originOf(url)}${pathOf(url)}`;
  const said = serverMessage(body);
  const quoted = said ? `: "${said.length > 300 ? `${said.slice(0, 300)}…` : said}"` : '';
  if (status === 401 || status === 403)
    return new ServerError('ServerAuthError', `The server at ${originOf(url)} refused the request (HTTP ${status})${quoted}. Check the API key (vLLM and llama-server take it with --api-key).`, status);
  if (status === 404)
    return new ServerError('ServerHttpError', `${where} answered 404 (not found)${quoted}. Check the server URL (its root, or ending in /v1) and the model name (the connection check lists the served ones).`, status);
  let hint = '';
  const text = said?.toLowerCase() ?? '';
  if (text.includes('logits_all')) hint = " Start llama-cpp-python's server with --logits_all true: without it, it returns no log-probabilities.";
  else if (text.includes('logprob')) hint = ' Lower Top-k: vLLM allows 20 unless started with --max-logprobs N, OpenAI allows 5.';
  else if (/context|too long|maximum .*length|max_model_len|exceed/.test(text))
    hint = " The prompt is longer than the server's context: lower the pool size, or start the server with a longer context (vLLM --max-model-len, llama-server -c).";
  if (status === 429 || status >= 500) {
    const tries = retries > 0 ? ` and kept failing after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : '';
    const busy = status === 429 ? ' The server is rate-limiting: lower the requests in flight.' : '';
    return new ServerError('ServerHttpError', `${where} failed (HTTP ${status})${quoted}${tries}.${hint}${busy} Check the server's log, then press Retry.`, status);
  }
  return new ServerError('ServerHttpError', `${where} refused the request (HTTP ${status})${quoted}.${hint}`, status);
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}
