// The `test` every spec uses: Playwright's, with the network closed. Each test's browser context
// aborts every request to a host that is not this machine (as an offline machine would), records
// every request URL (the page's, its workers' and the service worker's), and fails the test if
// any went to a host that is neither local nor one of the model hosts (modelHosts(): where a
// model's weights and kernels come from). So across the whole suite the app contacts no other
// host, and never sends anything of the user's anywhere.
//
// It also fails a test on any console error or warning in its pages (and their workers): a
// warning is a bug a user's devtools would show. A test that provokes one on purpose names it in
// `consoleAllowed` (test.use), as a pattern of the message's text.
//
// Every page also starts as a browser that has opened the app before, so the bare address shows
// the set-up form; a spec about the first visit (the demo run that plays by itself) sets
// `test.use({ firstVisit: true })`.
import { test as base, expect } from '@playwright/test';
import { modelHosts } from '../src/lib/webllm/catalog';

const LOCAL = new Set(['127.0.0.1', 'localhost']);
export const MODEL_HOSTS = new Set(modelHosts());

/** The host a request goes to over the network; null for data:, blob: and the like. */
export function networkHost(url: string): string | null {
  try {
    const u = new URL(url);
    return /^(https?|wss?):$/.test(u.protocol) ? u.hostname : null;
  } catch {
    return null;
  }
}

export const isLocal = (url: string) => {
  const host = networkHost(url);
  return host === null || LOCAL.has(host);
};

export interface NetworkLog {
  urls: string[]; // every request, in order
  /** Requests to any host but this machine (all aborted). */
  remote(): string[];
}

export interface ConsoleLog {
  messages: string[]; // "warning: …" / "error: …", in order
}

export const test = base.extend<{ network: NetworkLog; consoleAllowed: RegExp[]; console: ConsoleLog; firstVisit: boolean; visited: void }>({
  consoleAllowed: [[], { option: true }],
  console: [
    async ({ context, consoleAllowed }, use) => {
      const messages: string[] = [];
      // requests the network guard aborts are reported by the browser as errors; they are
      // checked by the guard itself
      const allowed = [...consoleAllowed, /net::ERR_INTERNET_DISCONNECTED/];
      context.on('console', (m) => {
        const type = m.type();
        if (type !== 'error' && type !== 'warning') return;
        const text = `${type}: ${m.text()}`;
        if (!allowed.some((re) => re.test(text))) messages.push(`${text} (at ${m.location().url}:${m.location().lineNumber})`);
      });
      context.on('weberror', (e) => messages.push(`uncaught: ${e.error().message}`));
      await use({ messages });
      expect(messages, 'console errors and warnings in the page').toEqual([]);
    },
    { auto: true },
  ],
  firstVisit: [false, { option: true }],
  visited: [
    async ({ context, firstVisit }, use) => {
      if (!firstVisit)
        await context.addInitScript(() => {
          try {
            if (localStorage.getItem('icm.visited') === null) localStorage.setItem('icm.visited', 'e2e');
          } catch {
            // a page without storage (about:blank): nothing to mark
          }
        });
      await use();
    },
    { auto: true },
  ],
  network: [
    async ({ context }, use) => {
      const urls: string[] = [];
      await context.route((url) => !isLocal(url.href), (route) => route.abort('internetdisconnected'));
      context.on('request', (r) => urls.push(r.url()));
      const log: NetworkLog = { urls, remote: () => urls.filter((u) => !isLocal(u)) };
      await use(log);
      const elsewhere = log.remote().filter((u) => !MODEL_HOSTS.has(networkHost(u) ?? ''));
      expect(elsewhere, `requests to hosts that are neither local nor a model host (${[...MODEL_HOSTS].join(', ')})`).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
