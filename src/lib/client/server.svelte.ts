// Your own server, on the main thread: the connection check the set-up screen shows, and the
// person's consent to send item texts to a server on another machine.
//
// Why the check runs here and not in the worker: CORS is decided for the page's origin (the
// worker shares it), and a check in the page needs no worker message kind and leaves the
// worker free; the run's requests, later, are the worker's.
//
// Privacy: nothing is sent to a server that is not on this machine until the person has
// confirmed, for that server's origin, that item texts will be sent there.

import type { ServerSpec } from '../model/params';
import { checkConnection, type ConnectionReport } from '../server/connection';
import { isThisMachine, originOf, ServerError } from '../server/errors';
import { globalFetch, requestJson, type FetchLike } from '../server/http';
import { apiRoot, modelsUrl, requestHeaders } from '../server/request';
import { parseModelIds } from '../server/response';
import { Latest } from './latest';

export { isThisMachine };

/** What a check is about: a change to any of these makes an earlier check stale. */
export function checkKey(spec: ServerSpec): string {
  return JSON.stringify([apiRoot(spec.baseUrl), spec.model.trim(), spec.apiKey ?? '', spec.topK]);
}

export type CheckPhase = 'unchecked' | 'checking' | 'passed' | 'failed' | 'stale';

export type CheckFn = typeof checkConnection;

export interface ServerConnectionOptions {
  fetch?: FetchLike;
  check?: CheckFn; // checkConnection, or a fake in tests
  listTimeoutMs?: number; // for listing the served models before a check without a model name
  onConsent?: (origin: string, agreed: boolean) => void; // tells the worker, which keeps the consent and enforces it
}

export class ServerConnection {
  report = $state.raw<ConnectionReport | null>(null);
  checking = $state(false);
  #served = $state.raw<{ root: string; models: string[] }>({ root: '', models: [] });
  #checkedKey = $state<string | null>(null);
  #consented = $state.raw<string[]>([]); // origins the person agreed to send item texts to
  #abort: AbortController | null = null;
  #checks = new Latest(); // only the newest check may set the report
  #fetch: FetchLike;
  #check: CheckFn;
  #listTimeoutMs: number;
  #onConsent: (origin: string, agreed: boolean) => void;

  constructor(opts: ServerConnectionOptions = {}) {
    this.#fetch = opts.fetch ?? globalFetch;
    this.#check = opts.check ?? checkConnection;
    this.#listTimeoutMs = opts.listTimeoutMs ?? 10_000;
    this.#onConsent = opts.onConsent ?? (() => undefined);
  }

  /** The origins agreed to in this browser before (the worker keeps them). */
  restoreConsents(origins: string[]): void {
    this.#consented = [...new Set([...this.#consented, ...origins])];
  }

  /** Where the check stands for these settings. */
  phase(spec: ServerSpec): CheckPhase {
    if (this.checking) return 'checking';
    if (this.report === null) return 'unchecked';
    if (this.#checkedKey !== checkKey(spec)) return 'stale';
    return this.report.ok ? 'passed' : 'failed';
  }

  /** The models this server listed at its last check (for the dropdown); [] for any other server. */
  served(baseUrl: string): string[] {
    return this.#served.root === apiRoot(baseUrl) ? this.#served.models : [];
  }

  /** Whether the person must still agree before anything is sent to this server. */
  needsConsent(baseUrl: string): boolean {
    return !isThisMachine(baseUrl) && !this.#consented.includes(originOf(baseUrl.trim()));
  }

  consented(baseUrl: string): boolean {
    return this.#consented.includes(originOf(baseUrl.trim()));
  }

  setConsent(baseUrl: string, yes: boolean): void {
    const origin = originOf(baseUrl.trim());
    const others = this.#consented.filter((o) => o !== origin);
    this.#consented = yes ? [...others, origin] : others;
    this.#onConsent(origin, yes);
  }

  /**
   * Checks the server. Without a model name it first lists the served models and checks the
   * first one. Resolves with the model name it checked, or null when it sent nothing (no
   * consent yet) or a newer check or cancel() replaced it.
   */
  async check(spec: ServerSpec): Promise<string | null> {
    if (this.needsConsent(spec.baseUrl)) return null;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    const current = this.#checks.take();
    this.checking = true;
    try {
      let model = spec.model.trim();
      if (!model) model = (await this.#listModels(spec, abort.signal))[0] ?? '';
      const checked = { ...spec, model };
      const report = await this.#check(spec.baseUrl.trim(), model, spec.apiKey, this.#fetch, {
        topK: spec.topK,
        probeTimeoutMs: (spec.timeoutS ?? 120) * 1000, // a first request may load the model
        signal: abort.signal,
      });
      if (!current()) return null;
      this.report = report;
      this.#checkedKey = checkKey(checked);
      if (report.models.length > 0) this.#served = { root: apiRoot(spec.baseUrl), models: report.models };
      return model;
    } catch (e) {
      // checkConnection rejects only when cancelled; anything else is shown as a failed check
      if (!current() || (e instanceof ServerError && e.name === 'AbortError')) return null;
      this.report = {
        ok: false,
        models: [],
        checks: [{ name: 'reachable', ok: false, status: 'fail', message: `The check itself failed: ${e instanceof Error ? e.message : String(e)}` }],
      };
      this.#checkedKey = checkKey(spec);
      return null;
    } finally {
      if (current()) {
        this.checking = false;
        this.#abort = null;
      }
    }
  }

  /** Stops a check in flight; the last finished report stays. */
  cancel(): void {
    this.#checks.drop();
    this.#abort?.abort();
    this.#abort = null;
    this.checking = false;
  }

  /** The served model ids, or [] when they cannot be read (the full check then says why). */
  async #listModels(spec: ServerSpec, signal: AbortSignal): Promise<string[]> {
    try {
      const res = await requestJson(
        modelsUrl(spec.baseUrl),
        { method: 'GET', headers: requestHeaders(spec.apiKey, false) },
        { fetch: this.#fetch, retries: 0, timeoutMs: this.#listTimeoutMs, signal },
      );
      return parseModelIds(res.json) ?? [];
    } catch (e) {
      if (e instanceof ServerError && e.name === 'AbortError') throw e;
      return [];
    }
  }
}
