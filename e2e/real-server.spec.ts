// Your own server with a real language model: llama.cpp's server (llama-cpp-python, started here
// on a free port of 127.0.0.1) serving a real GGUF model from PyPI (scripts/real-models.ts).
// The app checks the connection and runs ICM on it through the UI; a reload resumes the run.
// Needs `npm run real-fixtures` (part of `npm test`); without pip these tests skip, saying so.
import { expect, test } from './fixtures';
import { checkPasses, chooseServer, iteration, labelColumn, waitForIteration } from './helpers';
import { startLlamaServer, type LlamaServer } from '../scripts/llama-server';
import { realFixtures } from '../scripts/real-fixtures';
import { realModel } from '../scripts/real-models';

const fixtures = realFixtures();
const MODEL = realModel(process.env.REAL_E2E_MODEL ?? 'smollm2');

test.describe(`ICM on a real model (${MODEL.name}) behind llama.cpp's server`, () => {
  test.skip(fixtures.python === null, fixtures.python === null ? fixtures.reason : '');
  let server: LlamaServer | null = null;

  test.beforeAll(async () => {
    test.setTimeout(660_000); // loading the model: seconds on an idle machine, a give-up bound for a busy one
    if (fixtures.python) server = await startLlamaServer(fixtures.python, MODEL, { nCtx: 4096, startTimeoutMs: 600_000 });
  });

  test.afterAll(async () => {
    await server?.close();
    server = null;
  });

  test('the check passes, a run labels items with confidences, and a reload resumes it', async ({ page, network }) => {
    // Sized by steps, not by a clock: the smallest run that shows the behaviour (two steps, a reload
    // after the first), however long a busy machine takes over it. A stalled server ends the run in
    // an error after the request timeout, so the only bound here is a give-up for a hung browser.
    const GIVE_UP = 3 * 60 * 60_000;
    test.setTimeout(GIVE_UP);
    const url = server?.url ?? '';
    // a small pool, two blocks and one ConsistencyFix round keep a step to a few thousand prompt tokens;
    // llama-cpp-python reads one request at a time, so one in flight, and a timeout that allows for a busy machine
    await chooseServer(page, { url, task: 'builtin-factual', poolSize: 8, iterations: 2, seed: 1, timeoutS: 900, more: { concurrency: 1, blocks: 2, M: 1 } });
    await checkPasses(page, MODEL.id, 600_000);
    await page.getByTestId('btn-create').click();
    await expect(page.getByTestId('run-screen')).toBeVisible({ timeout: 600_000 });
    await expect(page.getByTestId('run-model')).toContainText(`${MODEL.id} (server at ${url})`);

    await page.getByTestId('btn-play').click();
    await waitForIteration(page, 1, GIVE_UP);
    const shown = await iteration(page);
    // the reloaded page's worker plays the run on at once, and opens it between two steps: the page
    // shows it once the step in flight is done, as long as that takes
    await page.reload();
    await expect(page.getByTestId('run-screen')).toBeVisible({ timeout: GIVE_UP });
    await expect(page.getByTestId('status')).toHaveText(/Running|Finished/);
    expect(await iteration(page)).toBeGreaterThanOrEqual(shown);
    await expect(page.getByTestId('status')).toHaveText(/Finished|Error/, { timeout: GIVE_UP });
    await expect(page.getByTestId('alert')).toHaveCount(0); // an error shows its message here
    await expect(page.getByTestId('status')).toHaveText('Finished');
    await expect(page.getByTestId('fig-iteration')).toHaveText('2 / 2');

    // the pool is whole groups (7 claims here), all labeled: the 8 seed labels cover it
    const labels = await labelColumn(page);
    expect(labels.length).toBeGreaterThanOrEqual(6);
    expect(labels.filter((l) => l === 'True' || l === 'False')).toHaveLength(labels.length);
    const confidences = (await page.getByTestId('item-confidence').allTextContents()).filter((c) => c !== '');
    expect(confidences).toHaveLength(labels.length);
    for (const c of confidences) expect(c).toMatch(/^\d+(\.\d)?%$/);
    await expect(page.getByTestId('fig-accuracy')).toHaveText(/^\d+(\.\d)?%$/);
    await expect(page.getByTestId('fig-tokens')).not.toHaveText('0');
    // every read went to the server on this machine; nothing to any other host
    expect(network.urls.filter((u) => u.startsWith(`${url}/v1/completions`)).length).toBeGreaterThan(20);
    expect(network.remote()).toEqual([]);
    console.log(`real-model run: ${labels.filter((l) => l !== '—').length} labeled, ${await page.getByTestId('fig-accuracy').textContent()} accuracy, ${server?.model.id}`);
  });
});
