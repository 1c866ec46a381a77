// Broken model files are not kept (issue 21, items 5 and 7). A .gguf file is kept in this browser
// only once llama.cpp has loaded it: a host that sends a file cut short (or drops the connection),
// a file from disk missing its last byte, and a whole file llama.cpp refuses each end in an error
// that says what is wrong and that nothing was kept; a broken file kept by an older version of the
// app is removed when it fails. The real SmolLM2 file of .models/ is the model; nothing is run.
import { copyFileSync, existsSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { gguf } from '../workers/backends/wllama/test-gguf';
import { expect, test } from './fixtures';
import { standInHost } from './model-host';

const SMOL = '.models/SmolLM2-135M-Instruct.Q4_1.gguf';
const LISTED = 'smollm2-135m-q4'; // the list's model the stand-in host serves SMOL for

async function openGgufSettings(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('task-builtin-factual').click();
  await page.getByTestId('choice-wllama').click();
  await expect(page.getByTestId('gguf-settings')).toBeVisible();
  await page.getByText('Model host and stored models').click();
}

const nothingKept = (page: Page) => expect(page.getByTestId('gguf-storage')).toContainText('0 models kept');

/** A whole GGUF file (its header's tensors all there) that is not a model llama.cpp can build. */
function notAModel(path: string): void {
  const kv = { 'general.architecture': 'llama', 'general.name': 'Hollow', 'tokenizer.ggml.model': 'gpt2', 'tokenizer.ggml.tokens': ['a', 'b', ' True', ' False'] };
  writeFileSync(path, Buffer.from(gguf(kv, 3, [{ name: 'output_norm.weight', dims: [64], type: 0 }], false)));
}

test.describe('model files that are broken are not kept', () => {
  test.skip(!existsSync(SMOL), `needs ${SMOL} (npm run models)`);

  test('a host that sends a shorter file than the model: "cut short", and nothing is kept', async ({ page }) => {
    const size = statSync(SMOL).size;
    const host = await standInHost(SMOL, { bytes: Math.round(size * 0.6) }); // a complete answer, of 60% of the file
    try {
      await openGgufSettings(page);
      await page.getByTestId(`gguf-option-${LISTED}`).click();
      await page.getByTestId('gguf-host').fill(host.url);
      await page.getByTestId('btn-load-model').click();
      const error = page.getByTestId('load-error-message');
      await expect(error).toContainText(`is cut short: it has ${Math.round(size * 0.6).toLocaleString('en-US')} bytes of the ${size.toLocaleString('en-US')} bytes its header declares`, { timeout: 60_000 });
      await expect(error).toContainText('The download was not kept.');
      await expect(error).not.toContainText('Invalid typed array length');
      await nothingKept(page);
      await expect(page.getByTestId(`gguf-option-${LISTED}`).getByTestId('gguf-cached')).toHaveCount(0);
    } finally {
      host.server.close();
    }
  });

  test('a host that drops the connection part-way: the download fails and nothing is kept', async ({ page }) => {
    const host = await standInHost(SMOL, { breakAfter: 20_000_000 });
    try {
      await openGgufSettings(page);
      await page.getByTestId(`gguf-option-${LISTED}`).click();
      await page.getByTestId('gguf-host').fill(host.url);
      await page.getByTestId('btn-load-model').click();
      await expect(page.getByTestId('load-error-message')).toContainText(/broke off after \d+ MB|sent [\d,]+ of the [\d,]+ bytes it announced/, { timeout: 60_000 });
      await nothingKept(page);
    } finally {
      host.server.close();
    }
  });

  test('a file from disk missing its last byte is refused when picked, saying so, and is not kept', async ({ page }) => {
    const cut = test.info().outputPath('SmolLM2-cut.gguf');
    copyFileSync(SMOL, cut);
    const size = statSync(SMOL).size;
    truncateSync(cut, size - 1);
    await openGgufSettings(page);
    await page.getByTestId('gguf-keep').check();
    await page.getByTestId('gguf-file').setInputFiles(cut);
    await expect(page.getByTestId('gguf-file-error')).toHaveText(
      `SmolLM2-cut.gguf is cut short: it has ${(size - 1).toLocaleString('en-US')} bytes of the ${size.toLocaleString('en-US')} bytes its header declares, so the last 1 byte of the model's weights are missing and llama.cpp cannot load it. Download it again, or pick the complete file.`,
      { timeout: 60_000 },
    );
    await nothingKept(page);
  });

  test('a whole file llama.cpp refuses is not kept, and the error says what was checked', async ({ page }) => {
    const path = test.info().outputPath('hollow.gguf');
    notAModel(path);
    await openGgufSettings(page);
    await page.getByTestId('gguf-keep').check();
    await page.getByTestId('gguf-file').setInputFiles(path);
    const option = page.locator('[data-model-id^="file-hollow"]');
    await expect(option).toContainText('llama'); // its header passes
    await page.getByTestId('btn-load-model').click();
    const error = page.getByTestId('load-error-message');
    // llama.cpp's own reason, not wllama's "Invalid typed array length: 1163217991"
    await expect(error).toContainText('llama.cpp could not load hollow.gguf (architecture "llama"): error loading model hyperparameters: key not found in model: llama.context_length.', { timeout: 120_000 });
    await expect(error).toContainText('The file is whole (the data of the one tensor its header lists is there), so it is the model in it that llama.cpp refuses: pick another model');
    await expect(error).toContainText('It was not copied into this browser.');
    await nothingKept(page);
    await expect(option.getByText('in this browser')).toHaveCount(0);
  });

  test('a broken file an older version kept is removed when it fails to load, and the error says so', async ({ page }) => {
    await openGgufSettings(page);
    // as the app kept downloads before this check: a model file cut short, stored as the list's model
    const kv = { 'general.architecture': 'llama', 'tokenizer.ggml.model': 'gpt2' };
    const whole = new Uint8Array(gguf(kv, 3, [{ name: 'token_embd.weight', dims: [4096, 64], type: 0 }], false));
    await page.evaluate(
      async ({ id, bytes }) => {
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('gguf', { create: true });
        const out = await (await dir.getFileHandle(`${id}.gguf`, { create: true })).createWritable();
        await out.write(new Uint8Array(bytes));
        await out.close();
      },
      { id: LISTED, bytes: [...whole.subarray(0, whole.length - 4096)] },
    );
    await page.reload();
    await page.getByTestId('choice-wllama').click();
    await page.getByText('Model host and stored models').click();
    await expect(page.getByTestId('gguf-storage')).toContainText('1 model kept');
    await page.getByTestId(`gguf-option-${LISTED}`).click();
    await expect(page.getByTestId('btn-load-model')).toHaveText('Load');
    await page.getByTestId('btn-load-model').click();
    const error = page.getByTestId('load-error-message');
    await expect(error).toContainText('is cut short');
    await expect(error).toContainText('The copy kept in this browser was removed.');
    await nothingKept(page);
  });
});
