// llama.cpp (WebAssembly) on the real GGUF models of .models/ (`npm run models`), in headless
// Chromium with no GPU and every non-local host blocked (the fixture aborts them and fails the test
// on any request that left the machine): a .gguf file chosen from disk through the UI runs ICM,
// labels and confidences appear, and a reload resumes the run from the copy kept in the browser;
// a model of the built-in list downloads from a local stand-in for the model host, with bytes and
// speed, and loads again offline from the browser's storage; and "Run it on a real model in this
// browser" takes a visitor from one click to a real model labelling items, from the same stand-in.
import { existsSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { checkPasses, chooseServer, iteration, labelColumn, waitForIteration } from './helpers';
import { standInHost } from './model-host';
import { startLlamaServer } from '../scripts/llama-server';
import { realFixtures } from '../scripts/real-fixtures';
import { realModel } from '../scripts/real-models';

const SMOL = '.models/SmolLM2-135M-Instruct.Q4_1.gguf';
test.skip(!existsSync(SMOL), `needs ${SMOL} (npm run models)`);

// A 2-core machine computes ~10² prompt tokens/s here: the runs are small and the waits long.
test.describe.configure({ timeout: 40 * 60_000 });

async function chooseCpuModel(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await page.getByTestId('task-builtin-factual').click();
  await page.getByTestId('choice-wllama').click();
  await expect(page.getByTestId('gguf-settings')).toBeVisible();
  // the preview server sends COOP/COEP, so the page is cross-origin isolated and llama.cpp may use 2 threads
  await expect(page.getByTestId('gguf-threads')).toContainText('cross-origin isolated, so llama.cpp can run multi-threaded; the first load of a model measures');
}

test('a .gguf file from disk runs ICM on the CPU: labels, confidences, and a reload resumes', async ({ page, network }) => {
  await chooseCpuModel(page);
  // a file that is not a GGUF is refused with a reason, and nothing is lost
  await page.getByTestId('gguf-file').setInputFiles({ name: 'notes.gguf', mimeType: 'application/octet-stream', buffer: Buffer.from('id,question\n1,hello\n'.repeat(10)) });
  await expect(page.getByTestId('gguf-file-error')).toContainText('notes.gguf is not a GGUF model file');

  await page.getByTestId('gguf-keep').check();
  await page.getByTestId('gguf-file').setInputFiles(SMOL);
  const option = page.locator('[data-model-id^="file-SmolLM2-135M-Instruct.Q4_1"]');
  await expect(option).toContainText('llama', { timeout: 120_000 });
  await expect(option.locator('input')).toBeChecked();
  await page.getByTestId('btn-load-model').click();
  await expect(page.getByTestId('model-loaded')).toBeVisible({ timeout: 180_000 });
  // the engine measured fastest here on the first load (the SIMD build on one thread, or wllama's on two)
  await expect(page.getByTestId('model-device')).toHaveText(/^CPU, (1 thread \(SIMD build\)|\d threads?)$/);
  await expect(page.getByTestId('model-context')).toContainText('8,192 tokens');

  await page.getByTestId('input-iterations').fill('100000'); // steps that reuse reads are fast: the run must still be going at the reload
  await page.getByTestId('input-poolSize').fill('8');
  await page.getByTestId('input-K').fill('4');
  await page.getByTestId('btn-create').click();
  await expect(page.getByTestId('run-screen')).toBeVisible({ timeout: 300_000 });
  await expect(page.getByTestId('run-model')).toContainText('SmolLM2-135M-Instruct.Q4_1.gguf (llama.cpp) ·'); // Automatic: no GPU llama.cpp can use here
  await page.getByTestId('btn-play').click();
  await waitForIteration(page, 20, 25 * 60_000);

  const labels = await labelColumn(page);
  expect(labels.filter((l) => l === 'True' || l === 'False').length).toBeGreaterThanOrEqual(4);
  await expect(page.getByTestId('item-confidence').filter({ hasText: '%' }).first()).toBeVisible();
  await expect(page.getByTestId('fig-tokens')).not.toHaveText('0');
  await expect(page.getByTestId('fig-computed-per-step')).toContainText('reused');

  // a reload while it runs: the run resumes by itself, its model read back from the browser's storage
  const shown = await iteration(page);
  await page.reload();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await expect(page.getByTestId('alert')).toHaveCount(0); // resumed without an error (its text shows if not)
  await expect(page.getByTestId('status')).toHaveText('Running');
  expect(await iteration(page)).toBeGreaterThanOrEqual(shown);
  await waitForIteration(page, shown + 1, 10 * 60_000);
  await page.getByTestId('btn-pause').click();
  await expect(page.getByTestId('status')).toHaveText('Paused');
  expect(network.remote()).toEqual([]);
});

const fixtures = realFixtures();

test('labels the same claims as native llama.cpp\'s server does, for the same seed', async ({ page, network }) => {
  test.skip(fixtures.python === null, fixtures.python === null ? fixtures.reason : '');
  test.setTimeout(75 * 60_000); // three runs, one of them through a server that computes every token's logits
  // The same run three times, only the model's engine differs: llama.cpp's server (llama-cpp-python,
  // native, f16 KV cache), llama.cpp in this browser (the SIMD build or wllama's, no flash attention,
  // f32 KV cache), and its WebGPU build (wllama 3, on the CPU here), on the same GGUF file. Tolerance: the builds' arithmetic differs by up to 0.55 in a
  // read's log-odds on a 996-token sequence (0.36 for wllama's own build; the bench's
  // wllama.<model>.<config>.maxLogOddsDiffVsNative), so every label must agree unless a decision sits
  // within that of a tie; none of this seed's does. The WebGPU build reads as the server does (top-k
  // spellings summed), so against the server it differs only by the builds' arithmetic.
  const runLabels = async (): Promise<string[]> => {
    await expect(page.getByTestId('status')).toHaveText('Finished', { timeout: 28 * 60_000 });
    return labelColumn(page);
  };
  const settings = { task: 'builtin-factual', poolSize: 6, K: 4, iterations: 3, seed: 1 };
  const server = await startLlamaServer(fixtures.python ?? '', realModel('smollm2'), { nCtx: 4096 });
  let native: string[];
  try {
    await chooseServer(page, { url: server.url, task: settings.task, poolSize: settings.poolSize, iterations: settings.iterations, seed: settings.seed, timeoutS: 900, more: { concurrency: 1, K: settings.K } });
    await checkPasses(page, 'smollm2', 60_000);
    await page.getByTestId('btn-create').click();
    await page.getByTestId('btn-play').click();
    native = await runLabels();
  } finally {
    await server.close();
  }
  expect(native.filter((l) => l === 'True' || l === 'False').length).toBeGreaterThanOrEqual(settings.K);

  /** The same run on llama.cpp in this browser: `pick` chooses on the form before the file is
   *  picked, `loaded` checks the model once it has loaded. */
  const inBrowser = async (pick: () => Promise<void>, loaded: () => Promise<void>): Promise<string[]> => {
    await chooseCpuModel(page);
    await pick();
    await page.getByTestId('gguf-file').setInputFiles(SMOL);
    await expect(page.locator('[data-model-id^="file-SmolLM2-135M-Instruct.Q4_1"] input')).toBeChecked({ timeout: 120_000 });
    await page.getByTestId('btn-load-model').click();
    await expect(page.getByTestId('model-loaded')).toBeVisible({ timeout: 300_000 });
    await loaded();
    await page.getByTestId('input-poolSize').fill(String(settings.poolSize));
    await page.getByTestId('input-iterations').fill(String(settings.iterations));
    await page.getByTestId('input-seed').fill(String(settings.seed));
    await page.getByTestId('input-K').fill(String(settings.K));
    await page.getByTestId('btn-create').click();
    await expect(page.getByTestId('run-screen')).toBeVisible({ timeout: 300_000 });
    await page.getByTestId('btn-play').click();
    return runLabels();
  };
  const nothing = async () => undefined;
  expect(await inBrowser(nothing, nothing)).toEqual(native);

  // llama.cpp's WebGPU build (wllama 3), asked for by name: here its GPU backend finds SwiftShader
  // without shader-f16 and leaves every layer on the CPU, which the screens say; its reads come
  // through llama-server's completions (top-k log-probabilities, summed per label as the native
  // server's are), so the labels match the native server's within the same tolerance.
  const gpu = await inBrowser(
    async () => {
      await expect(page.getByTestId('gguf-gpu')).toContainText("lacks shader-f16, which llama.cpp's WebGPU backend requires. Automatic runs on the CPU; GPU runs the WebGPU build on the CPU here");
      await page.getByTestId('gguf-device-gpu').check();
    },
    () => expect(page.getByTestId('model-device')).toHaveText(/^CPU, through the WebGPU build: The GPU( \(a software one\))? lacks shader-f16/),
  );
  expect(gpu).toEqual(native);
  await expect(page.getByTestId('run-model')).toContainText('SmolLM2-135M-Instruct.Q4_1.gguf (llama.cpp, WebGPU build)');
  await expect(page.getByTestId('fig-computed-per-step')).toContainText('reused'); // its prompt cache, measured
  expect(network.remote()).toEqual([]);
});

test('a model of the built-in list downloads with progress from the model host, then loads offline from the browser', async ({ page, network }) => {
  const host = await standInHost(SMOL);
  try {
    await chooseCpuModel(page);
    const option = page.getByTestId('gguf-option-smollm2-135m-q4');
    await expect(option).toContainText('base');
    await expect(option).toContainText(/MB download · about \d+ MB memory · 8,192 tokens of context · Apache-2.0/);
    await option.click();
    await page.getByText('Model host and stored models').click();
    await page.getByTestId('gguf-host').fill(host.url);
    await expect(page.getByTestId('btn-load-model')).toHaveText('Download and load');
    await page.getByTestId('btn-load-model').click();
    await expect(page.getByTestId('load-bytes')).toContainText(/MB of \d+ MB/);
    await expect(page.getByTestId('model-loaded')).toBeVisible({ timeout: 180_000 });
    expect(host.requests).toEqual(['/QuantFactory/SmolLM2-135M-GGUF/resolve/main/SmolLM2-135M.Q4_0.gguf']);
    await expect(page.getByTestId('gguf-storage')).toContainText('1 model kept, 98 MB used');
  } finally {
    host.server.close();
  }
  // the host is gone: the kept copy loads without it
  await page.reload();
  await page.getByTestId('choice-wllama').click();
  await page.getByTestId('gguf-option-smollm2-135m-q4').click();
  await expect(page.getByTestId('gguf-option-smollm2-135m-q4')).toContainText('in this browser');
  await expect(page.getByTestId('btn-load-model')).toHaveText('Load');
  await page.getByTestId('btn-load-model').click();
  await expect(page.getByTestId('model-loaded')).toBeVisible({ timeout: 180_000 });
  // deleting asks first, then frees the space
  await page.getByText('Model host and stored models').click();
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('btn-delete-gguf-smollm2-135m-q4').click();
  await expect(page.getByTestId('gguf-storage')).toContainText('0 models kept, 0 MB used');
  expect(network.remote()).toEqual([]);
});

test('"Run it on a real model in this browser" downloads what it proposed, loads it and runs ICM on it', async ({ page, network }) => {
  const host = await standInHost(SMOL);
  try {
    await chooseCpuModel(page);
    await page.getByText('Model host and stored models').click();
    await page.getByTestId('gguf-host').fill(host.url); // the person's mirror: the button downloads from it and says so
    await page.getByTestId('btn-real-model').click();
    await expect(page.getByTestId('real-model-choice')).toContainText('SmolLM2 135M through llama.cpp in WebAssembly, on the CPU');
    await expect(page.getByTestId('real-model-download')).toContainText(`from ${new URL(host.url).host}`);
    await expect(page.getByTestId('real-model-pool')).toContainText('Then ICM labels Factual claims (generated): a pool of 8 items');
    expect(host.requests).toEqual([]); // nothing before the person confirms
    await page.getByTestId('btn-real-model-confirm').click();

    // it loads the model, makes the run and plays it: a real model labels the claims
    const screen = page.getByTestId('run-screen');
    await expect(screen).toBeVisible({ timeout: 300_000 });
    expect(host.requests).toEqual(['/QuantFactory/SmolLM2-135M-GGUF/resolve/main/SmolLM2-135M.Q4_0.gguf']);
    await expect(page.getByTestId('run-model')).toContainText('SmolLM2 135M (llama.cpp, CPU)');
    await expect(page.getByTestId('status')).toHaveText('Running');
    await waitForIteration(page, 1, 25 * 60_000);
    const labels = await labelColumn(page);
    expect(labels.filter((l) => l === 'True' || l === 'False').length).toBeGreaterThanOrEqual(4);
    await expect(page.getByTestId('fig-tokens')).not.toHaveText('0');
    await page.getByTestId('btn-pause').click();
    await expect(page.getByTestId('status')).toHaveText('Paused');
  } finally {
    host.server.close();
  }
  expect(network.remote()).toEqual([]);
});
