// The built folder on a plain static host: served under a sub-path (/icm/) by a file server that
// sends no special headers (no COOP/COEP), it opens on a first visit's demo run (the simulated model), says it runs
// llama.cpp on one thread until the service worker's headers apply, and, with the server gone,
// opens and runs again from the service worker's copy, with the headers the worker adds, and the
// run recorded on a real model replays there.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';
import { iteration, waitForIteration } from './helpers';

const DIST = join(import.meta.dirname, '..', 'dist');
const BASE = '/icm/';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };

/** A file server for `dist/` under BASE; it records every path asked for. */
async function staticHost(): Promise<{ server: Server; url: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    paths.push(path);
    if (path === BASE.slice(0, -1)) return void res.writeHead(301, { Location: BASE }).end();
    const rel = normalize(path.slice(BASE.length) || 'index.html');
    if (!path.startsWith(BASE) || rel.startsWith('..')) return void res.writeHead(404).end();
    try {
      const body = await readFile(join(DIST, rel));
      res.writeHead(200, { 'Content-Type': TYPES[extname(rel)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${BASE}`, paths };
}

test.use({ firstVisit: true });

test('the built folder runs under a sub-path of a plain static host, and offline on the second visit', async ({ page }) => {
  const host = await staticHost();
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('first-visit-caption')).toBeVisible();
    await waitForIteration(page, 10);

    // no COOP/COEP from this host: one thread, and the app says so
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await expect(page.getByTestId('host-offline')).toHaveAttribute('data-state', 'ready');
    await expect(page.getByTestId('host-threads')).toContainText('off on this load');
    // everything it asked for lay under the sub-path
    expect(host.paths.filter((p) => !p.startsWith(BASE))).toEqual([]);
    expect(host.paths).toContain(`${BASE}sw.js`);

    // second visit, with the host gone: the app opens from the service worker's copy (kept on
    // install, so files the first visit never loaded are there too), isolated by the headers
    // the worker adds, and the run plays on
    host.server.closeAllConnections();
    await new Promise<void>((done) => host.server.close(() => done()));
    await page.reload();
    await expect(page.getByTestId('run-screen')).toBeVisible();
    expect(await page.evaluate(() => crossOriginIsolated && typeof SharedArrayBuffer === 'function')).toBe(true);
    await expect(page.getByTestId('host-threads')).toContainText('Multi-threaded WebAssembly: on');
    const before = await iteration(page);
    await waitForIteration(page, before + 20);
    await expect(page.getByTestId('status')).toHaveText(/Running|Finished/);

    // the run recorded on a real model ships with the app, so it opens and replays offline too
    await page.getByTestId('first-visit-caption').getByTestId('btn-recorded-run').click();
    await expect(page.getByTestId('run-screen')).toHaveAttribute('data-run-id', 'recorded-smollm2-factual');
    await page.getByTestId('input-speed').selectOption('max');
    await expect(page.getByTestId('replay-position')).toHaveText(/^Step (\d+) of \1$/, { timeout: 30_000 });
    await page.getByTestId('model-read').locator('summary').click();
    await expect(page.getByTestId('model-read-text')).toContainText('I think this claim is');
  } finally {
    host.server.close();
  }
});
