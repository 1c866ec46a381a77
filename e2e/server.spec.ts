// Your own server, end to end: the app runs ICM against a local completions server that answers
// from the simulated model (scripts/sim-server.ts, the same one `npm run sim-server` starts).
// The first case starts it as its own process, as a person would; the second starts it in this
// process, so it can make it fail, stall and come back on the same port.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { checkPasses, chooseServer, freePort, iteration, labelColumn, labeled, pauseAndSettle, waitForIteration } from './helpers';
import { PromptReader, startSimServer, type SimServer, type SimServerOptions } from '../scripts/sim-server';
import { builtinDatasets } from '../src/lib/data/builtin/index';
import { defaultSimulatedParams } from '../src/lib/model/params';

test('a server on another machine gets nothing until the person agrees to send it item texts', async ({ page, network }) => {
  await page.goto('/');
  await page.getByTestId('choice-server').click();
  await page.getByTestId('input-baseUrl').fill('https://gpu.example.org:8000');
  const notice = page.getByTestId('privacy-notice');
  await expect(notice).toHaveAttribute('data-local', 'false');
  await expect(notice).toContainText('Item texts will be sent to https://gpu.example.org:8000');
  await expect(page.getByTestId('btn-check-connection')).toBeDisabled();
  await page.getByTestId('btn-create').click();
  await expect(page.getByTestId('error-serverPrivacy')).toHaveClass(/error/);
  await expect(page.getByTestId('privacy-confirm')).toBeFocused();
  await page.getByTestId('privacy-confirm').check();
  await expect(page.getByTestId('error-serverPrivacy')).toHaveCount(0);
  await expect(page.getByTestId('btn-check-connection')).toBeEnabled();
  await expect(page.getByTestId('error-serverCheck')).toBeVisible(); // still needs a check
  expect(network.remote()).toEqual([]);
});

test.describe('a run on your own server (the simulated completions server, its own process)', () => {
  let proc: ChildProcess | null = null;
  let url = '';

  test.beforeAll(async () => {
    const port = await freePort();
    // what `npm run sim-server` runs (tsx), as one node process that ends with a kill
    proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/sim-server.ts', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`sim-server did not start within 120 s: ${out}`)), 120_000); // a give-up bound: tsx compiles it first
      const read = (chunk: Buffer) => {
        out += chunk.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      proc?.stdout?.on('data', read);
      proc?.stderr?.on('data', read);
      proc?.once('exit', (code) => reject(new Error(`sim-server exited (${code}): ${out}`)));
    });
  });

  test.afterAll(async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((resolve) => p.once('exit', resolve));
    p.kill('SIGTERM');
    await exited;
  });

  test('the connection check passes, and ICM labels items through the server', async ({ page, network }) => {
    await chooseServer(page, { url, poolSize: 16, iterations: 4 });
    // Create run needs a passing check first
    await page.getByTestId('btn-create').click();
    await expect(page.getByTestId('error-serverCheck')).toHaveClass(/error/);
    await expect(page.getByTestId('setup-screen')).toBeVisible();
    await expect(page.getByTestId('cors-help')).toContainText('--allowed-origins');
    await expect(page.getByTestId('cors-help')).toContainText('OLLAMA_ORIGINS');

    await checkPasses(page, 'sim-base');
    await expect(page.getByTestId('error-serverCheck')).toHaveCount(0);
    await page.getByTestId('btn-create').click();
    await expect(page.getByTestId('run-screen')).toBeVisible();
    await expect(page.getByTestId('run-model')).toContainText(`sim-base (server at ${url})`);

    await page.getByTestId('btn-play').click();
    await expect(page.getByTestId('status')).toHaveText('Finished', { timeout: 240_000 });
    await expect(page.getByTestId('fig-iteration')).toHaveText('4 / 4');
    expect(await labeled(page)).toBeGreaterThanOrEqual(8);
    expect((await labelColumn(page)).filter((l) => l === 'True' || l === 'False').length).toBeGreaterThanOrEqual(8);
    await expect(page.getByTestId('fig-accuracy')).toHaveText(/^\d+(\.\d)?%$/);
    await expect(page.getByTestId('fig-tokens')).not.toHaveText('0');
    // this server (vLLM's answers without prompt_tokens_details) does not say what its cache served
    await expect(page.getByTestId('fig-computed-per-step')).toHaveText('not reported');
    // the reads went to the server on this machine, as completions
    expect(network.urls.filter((u) => u.startsWith(`${url}/v1/completions`)).length).toBeGreaterThan(48);
  });
});

/**
 * Creates a run on a healthy server (its check passes), then serves its port with a server made
 * as `turned` says, and presses Play: a server that turns bad after its check, as a run restored
 * from a backup (which skips the check) meets it. The caller closes what it returns.
 */
async function playOnTurnedServer(page: Page, turned: SimServerOptions): Promise<SimServer> {
  const good = await startSimServer({ port: 0 });
  await page.getByTestId('input-baseUrl').fill(good.url);
  await checkPasses(page, 'sim-base');
  await page.getByTestId('btn-create').click();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  const port = good.port;
  await good.close();
  const server = await startSimServer({ ...turned, port });
  await page.getByTestId('btn-play').click();
  return server;
}

test.describe('a server that fails and stalls (in this process)', () => {
  let sim: SimServer | null = null;
  let port = 0;

  async function restart(opts: SimServerOptions): Promise<SimServer> {
    await sim?.close();
    sim = await startSimServer({ port, ...opts });
    port = sim.port;
    return sim;
  }

  test.afterEach(async () => {
    await sim?.close();
    sim = null;
  });
  // the browser logs each error status the server is made to answer with
  test.use({ consoleAllowed: [/^error: Failed to load resource: the server responded with a status of 50\d/] });

  test('errors and a stall are said clearly, and no accepted step is lost', async ({ page }) => {
    const first = await restart({ port: 0, failFirst: 1, stallAfter: 150 });
    // the request timeout tells the stall from a slow answer: this server answers in milliseconds,
    // but on a busy machine one answer can take over a second, which a 1 s timeout took for the stall
    await chooseServer(page, { url: first.url, poolSize: 16, iterations: 200, timeoutS: 10 });

    // 1. the server answers the check's probe with 503: the check says so, and Create run waits
    await page.getByTestId('btn-check-connection').click();
    await expect(page.getByTestId('connection-check')).toHaveAttribute('data-phase', 'failed');
    await expect(page.getByTestId('check-reachable')).toHaveAttribute('data-status', 'ok');
    await expect(page.getByTestId('check-logprobs')).toHaveAttribute('data-status', 'fail');
    await expect(page.getByTestId('check-logprobs')).toContainText('HTTP 503');
    await expect(page.getByTestId('check-logprobs')).toContainText('failing on purpose');
    await page.getByTestId('btn-create').click();
    await expect(page.getByTestId('error-serverCheck')).toContainText('check failed');
    await checkPasses(page, 'sim-base');
    await page.getByTestId('btn-create').click();
    await expect(page.getByTestId('run-screen')).toBeVisible();

    // 2. it stalls mid-run: the request timeout ends the step with a clear message
    await page.getByTestId('btn-play').click();
    await expect(page.getByTestId('alert-message')).toContainText('sent no complete answer within 10 s', { timeout: 120_000 });
    await expect(page.getByTestId('alert-message')).toContainText('The run stopped at step');
    await expect(page.getByTestId('status')).toHaveText('Error');
    expect(first.counts().stalled).toBeGreaterThan(0);
    const steps = await iteration(page);
    expect(steps).toBeGreaterThanOrEqual(1);
    const labels = await labelColumn(page);
    expect(labels.filter((l) => l !== '—').length).toBeGreaterThanOrEqual(8);

    // every accepted step is saved: a reload shows the same steps and labels
    await page.reload();
    await expect(page.getByTestId('run-screen')).toBeVisible();
    await expect(page.getByTestId('alert-message')).toContainText('sent no complete answer');
    expect(await iteration(page)).toBe(steps);
    expect(await labelColumn(page)).toEqual(labels);

    // 3. back on the same port, answering 503 to everything: Retry ends in that error, after the retries
    await restart({ failFirst: 10_000 });
    await page.getByTestId('btn-retry').click();
    await expect(page.getByTestId('alert-message')).toContainText('HTTP 503', { timeout: 120_000 });
    await expect(page.getByTestId('alert-message')).toContainText('kept failing after 4 retries');
    expect(await iteration(page)).toBe(steps);
    expect(await labelColumn(page)).toEqual(labels);

    // 4. healthy again: Retry resumes from the last saved step
    await restart({});
    await page.getByTestId('btn-retry').click();
    await expect(page.getByTestId('alert')).toHaveCount(0);
    await waitForIteration(page, steps + 2);
    await pauseAndSettle(page);
    await expect(page.getByTestId('fig-accuracy')).toHaveText(/%$/);
  });
});

test.describe('a server that redirects to another address (in this process)', () => {
  const servers: SimServer[] = [];
  test.afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  test('no request follows the redirect: the address it points to gets nothing, from the check or from a run', async ({ page }) => {
    const elsewhere = await startSimServer({ port: 0 }); // would answer everything, had it been asked
    servers.push(elsewhere);
    const redirecting = await startSimServer({ port: 0, redirectTo: elsewhere.url });
    servers.push(redirecting);

    // 1. the check: the server answers with a redirect, and the check says so
    await chooseServer(page, { url: redirecting.url, poolSize: 16, iterations: 50 });
    await page.getByTestId('btn-check-connection').click();
    await expect(page.getByTestId('connection-check')).toHaveAttribute('data-phase', 'failed');
    await expect(page.getByTestId('check-reachable')).toHaveAttribute('data-status', 'fail');
    await expect(page.getByTestId('check-reachable')).toContainText(`The server at ${redirecting.url} answered /v1/models with a redirect`);
    await expect(page.getByTestId('check-reachable')).toContainText('follows no redirect (one could carry item texts to another machine), so nothing was sent there');
    expect(redirecting.counts().requests).toBeGreaterThan(0);

    // 2. a run whose server starts redirecting after its check (as a run restored from a backup, which
    //    skips the check): its first read is refused, and the run stops saying why
    const turned = await playOnTurnedServer(page, { redirectTo: elsewhere.url });
    servers.push(turned);
    await expect(page.getByTestId('alert-message')).toContainText(`The server at ${turned.url} answered /v1/completions with a redirect`, { timeout: 60_000 });
    await expect(page.getByTestId('status')).toHaveText('Error');
    expect(turned.counts().requests).toBeGreaterThan(0);

    expect(elsewhere.counts().requests).toBe(0);
  });
});

test.describe('a server that resets connections (in this process)', () => {
  let sim: SimServer | null = null;
  test.afterEach(async () => {
    await sim?.close();
    sim = null;
  });
  // the browser logs each request the server cut off
  test.use({ consoleAllowed: [/^error: Failed to load resource: net::ERR_(EMPTY_RESPONSE|CONNECTION_RESET|CONNECTION_CLOSED)/] });

  test('a reset is said to be a reset (or nothing listening), never a possible CORS refusal, in the check and in a run', async ({ page }) => {
    sim = await startSimServer({ port: 0, resetAfter: 0 });
    await chooseServer(page, { url: sim.url, poolSize: 16, iterations: 50 });
    await page.getByTestId('btn-check-connection').click();
    await expect(page.getByTestId('connection-check')).toHaveAttribute('data-phase', 'failed');
    const reachable = page.getByTestId('check-reachable');
    await expect(reachable).toHaveAttribute('data-status', 'fail');
    await expect(reachable).toContainText(`Nothing answered at ${sim.url}`);
    await expect(reachable).toContainText('closed the connection without answering (a connection reset');
    await expect(reachable).toContainText('This is not a CORS refusal');
    await expect(reachable).not.toContainText('refused this page');
    await expect(page.getByTestId('check-cors')).toHaveAttribute('data-status', 'skipped');

    // healthy for the check, then resetting every connection mid-run
    await sim.close();
    sim = null;
    sim = await playOnTurnedServer(page, { resetAfter: 0 });
    const alert = page.getByTestId('alert-message');
    await expect(alert).toContainText('closed the connection without answering (a connection reset', { timeout: 60_000 });
    await expect(alert).not.toContainText('refused this page');
    expect(sim.counts().reset).toBeGreaterThan(0);
  });
});

test.describe('baselines on a server (in this process)', () => {
  let sim: SimServer | null = null;
  test.afterEach(async () => {
    await sim?.close();
    sim = null;
  });

  test('gold labels reach the server only when the person ticks the box that says so', async ({ page }) => {
    const prompts: string[] = [];
    sim = await startSimServer({ port: 0, onPrompt: (p) => prompts.push(p) });
    await chooseServer(page, { url: sim.url, task: 'builtin-math', poolSize: 16, iterations: 4 });
    await checkPasses(page, 'sim-base');
    await page.getByTestId('btn-create').click();
    await page.getByTestId('btn-play').click();
    await expect(page.getByTestId('status')).toHaveText('Finished', { timeout: 60_000 });
    await page.getByTestId('tab-review').click();

    // what the model saw, as items and labels; a request whose demonstrations all carry their gold label is gold few-shot's
    const math = builtinDatasets().find((d) => d.id === 'builtin-math');
    if (!math) throw new Error('no built-in math task');
    const reader = new PromptReader([math], defaultSimulatedParams);
    const goldRequests = () =>
      prompts.filter((p) => {
        const demos = (reader.parse(p)?.segments ?? []).filter((s) => s.label !== null);
        return demos.length >= 4 && demos.every((s) => s.label === math.items[s.item].gold);
      }).length;

    const box = page.getByTestId('input-gold-to-server');
    await expect(box).not.toBeChecked();
    await expect(page.getByTestId('gold-to-server')).toContainText(`so it sends those gold labels to ${sim.url}`);
    prompts.length = 0;
    await page.getByTestId('btn-baselines').click();
    await expect(page.getByTestId('baseline-row')).toHaveCount(4, { timeout: 60_000 }); // ICM and three baselines
    await expect(page.getByTestId('baselines-note')).toContainText('Few-shot with gold labels was not run');
    expect(prompts.length).toBeGreaterThan(16);
    expect(goldRequests()).toBe(0);

    await box.check();
    await page.getByTestId('btn-baselines').click();
    await expect(page.getByTestId('baseline-row')).toHaveCount(5, { timeout: 60_000 });
    await expect(page.getByTestId('baseline-row').last()).toContainText('Few-shot, gold labels');
    await expect(page.getByTestId('baselines-note')).toHaveCount(0);
    expect(goldRequests()).toBeGreaterThanOrEqual(16);
  });
});

test.describe('a server whose labels carry no number or no probability (in this process)', () => {
  const servers: SimServer[] = [];
  test.afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  test('" True": null is refused as a malformed answer, in the check and in a run, never read as a label outside the top-k', async ({ page }) => {
    const broken = await startSimServer({ port: 0, labels: 'null' });
    servers.push(broken);
    await chooseServer(page, { url: broken.url, poolSize: 16, iterations: 50 });
    await page.getByTestId('btn-check-connection').click();
    await expect(page.getByTestId('connection-check')).toHaveAttribute('data-phase', 'failed');
    await expect(page.getByTestId('connection-check')).toContainText('sent a malformed top-k list: null as the log-probability of " True"');

    servers.push(await playOnTurnedServer(page, { labels: 'null' }));
    await expect(page.getByTestId('alert-message')).toContainText('sent a malformed top-k list: null as the log-probability of');
    await expect(page.getByTestId('status')).toHaveText('Error');
    expect(await iteration(page)).toBe(0); // no step was taken on a read it could not make
  });

  test('labels listed at e^-9999 (no real probability) fail the check, and a run says how many reads were undecided', async ({ page }) => {
    const zero = await startSimServer({ port: 0, labels: 'underflow' });
    servers.push(zero);
    await chooseServer(page, { url: zero.url, poolSize: 16, iterations: 50 });
    await page.getByTestId('btn-check-connection').click();
    await expect(page.getByTestId('connection-check')).toHaveAttribute('data-phase', 'failed');
    await expect(page.getByTestId('check-labels')).toHaveAttribute('data-status', 'fail');
    await expect(page.getByTestId('check-labels')).toContainText('with no real probability');

    const turned = await playOnTurnedServer(page, { labels: 'underflow' });
    servers.push(turned);
    await expect(page.getByTestId('model-warnings')).toContainText('neither " True" nor " False" carried any probability');
    await pauseAndSettle(page);
    expect(turned.counts().answered).toBeGreaterThan(0);
  });
});
