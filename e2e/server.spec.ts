// Your own server, end to end: the app runs ICM against a local completions server that answers
// from the simulated model (scripts/sim-server.ts, the same one `npm run sim-server` starts).
// The first case starts it as its own process, as a person would; the second starts it in this
// process, so it can make it fail, stall and come back on the same port.
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from './fixtures';
import { checkPasses, chooseServer, freePort, iteration, labelColumn, labeled, pauseAndSettle, waitForIteration } from './helpers';
import { startSimServer, type SimServer, type SimServerOptions } from '../scripts/sim-server';

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
      const timer = setTimeout(() => reject(new Error(`sim-server did not start within 30 s: ${out}`)), 30_000);
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
    await expect(page.getByTestId('status')).toHaveText('Finished', { timeout: 45_000 });
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
    test.setTimeout(90_000);
    const first = await restart({ port: 0, failFirst: 1, stallAfter: 150 });
    await chooseServer(page, { url: first.url, poolSize: 16, iterations: 200, timeoutS: 1 });

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
    await expect(page.getByTestId('alert-message')).toContainText('sent no complete answer within 1 s', { timeout: 30_000 });
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
    await expect(page.getByTestId('alert-message')).toContainText('HTTP 503', { timeout: 30_000 });
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
