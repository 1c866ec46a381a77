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
  | 'ServerUnreachable' // fetch rejected and nothing answers at that address (not running, connection reset, mixed content)
  | 'ServerCorsRefused' // fetch rejected, but the server answers a request made without CORS: it refused this page (CORS)
  | 'ServerRedirect' // the server answered with a redirect, which is never followed
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

/**
 * A rejected fetch after which nothing answered a request made without CORS either: no server at
 * that address, or one that closed the connection without answering (a reset), or a plain-http
 * address the browser refuses to an https page. Never a CORS refusal, which the caller tells
 * apart by that second request (see requestJson).
 */
export function unreachableMessage(url: string, detail: string, pageProtocol?: string): string {
  const origin = originOf(url);
  const said = detail ? ` (${detail})` : '';
  if (pageProtocol === 'https:' && url.startsWith('http:') && !isThisMachine(url))
    return `Could not reach ${origin}${said}. This page is served over https, so the browser refuses plain-http servers other than localhost: serve the API over https or use localhost.`;
  return (
    `Nothing answered at ${origin}${said}: either no server is running at that address (check the URL and port), or it closed the connection without answering ` +
    "(a connection reset: the server failed on the request, or something in between cut it; look at the server's log). " +
    'This is not a CORS refusal: a request the browser makes without CORS checks got no answer either.'
  );
}

/** The server answers a request made without CORS, but the browser would not let this page read its answer. */
export function corsRefusedMessage(url: string, method: string, withKey: boolean): string {
  const origin = originOf(url);
  const flags = `${corsFlags.vllm}. ${corsFlags.llamacpp}. ${corsFlags.ollama}.`;
  if (method === 'GET') return `${origin} answers, but does not let this page read its answers (CORS). ${flags}`;
  return `${origin} answers a plain request but refused this page's ${method} to ${pathOf(url)} (its CORS preflight${withKey ? ', which must allow the Authorization header' : ''}). ${flags}`;
}

/**
 * The server answered with a redirect. A browser shows neither its status nor where it points
 * (redirect: 'manual' gives an opaque answer); Node's fetch shows both.
 */
export function redirectError(url: string, status: number | null, location: string | null): ServerError {
  const origin = originOf(url);
  let to = '';
  if (location) {
    try {
      const target = new URL(location, url);
      to = ` to ${target.origin}${target.pathname}`; // no query or credentials: they may hold a token
    } catch {
      to = '';
    }
  }
  const what = status ? `HTTP ${status}, a redirect${to}` : 'a redirect (the browser does not show where it points)';
  return new ServerError(
    'ServerRedirect',
    `The server at ${origin} answered ${pathOf(url)} with ${what}. The app follows no redirect (one could carry item texts to another machine), so nothing was sent there. ` +
      "If the server's API really is at another address, enter that address as the Server URL (and check the connection again).",
    status,
  );
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
