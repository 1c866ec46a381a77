// Screenshots of the two screens at desktop and phone widths, for a person to look at.
// Not a check: runs only when SCREENSHOTS names a folder (SCREENSHOTS=1: test-results/screens).
import type { Route } from '@playwright/test';
import { MODEL_HOSTS, networkHost, test } from './fixtures';
import { createRun, pauseAndSettle, screenshotDir, screenshotSizes, waitForIteration } from './helpers';

const sizes = screenshotSizes;
const dir = screenshotDir;
test.skip(!dir, 'set SCREENSHOTS=<folder> (or 1) to write screenshots');

for (const size of sizes) {
  test(`model picker at ${size.width} wide`, async ({ page, context }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    // the model host answers nothing, so the load stays in progress for the picture
    const hung: Route[] = [];
    const toModelHost = (url: URL) => MODEL_HOSTS.has(networkHost(url.href) ?? '');
    const hang = (route: Route) => void hung.push(route);
    await context.route(toModelHost, hang);
    await page.goto('/');
    await page.getByTestId('choice-webllm').click();
    await page.getByTestId('storage-used').waitFor();
    await page.screenshot({ path: `${dir}/models-${size.name}.png`, fullPage: true });
    await page.getByTestId('model-section').screenshot({ path: `${dir}/models-section-${size.name}.png` });
    await page.getByTestId('model-option-SmolLM2-360M-Instruct-q4f32_1-MLC').click();
    await page.getByTestId('btn-load-model').click();
    await page.waitForTimeout(2500);
    await page.getByTestId('model-load').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${dir}/model-loading-${size.name}.png` });
    // then the host refuses: the load fails with its message and Retry
    await context.unroute(toModelHost, hang); // the suite's abort-everything route stays
    for (const r of hung) await r.abort('internetdisconnected');
    await page.getByTestId('load-error').waitFor({ timeout: 30_000 });
    await page.getByTestId('model-load').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${dir}/model-error-${size.name}.png` });
    await page.getByTestId('model-load').screenshot({ path: `${dir}/model-error-panel-${size.name}.png` });

    // a browser without WebGPU
    const bare = await context.newPage();
    await bare.setViewportSize({ width: size.width, height: size.height });
    await bare.addInitScript(() => Reflect.deleteProperty(Navigator.prototype, 'gpu'));
    await bare.goto('/');
    await bare.getByTestId('choice-webllm').click();
    await bare.getByTestId('cap-fix').waitFor();
    await bare.getByTestId('model-section').screenshot({ path: `${dir}/no-webgpu-${size.name}.png` });
  });

  test(`screens at ${size.width} wide`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto('/');
    await page.getByTestId('setup-screen').waitFor();
    await page.screenshot({ path: `${dir}/setup-${size.name}.png`, fullPage: true });
    await page.getByTestId('input-poolSize').fill('1');
    await page.getByTestId('error-poolSize').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${dir}/setup-error-${size.name}.png` });

    await createRun(page);
    await page.getByTestId('btn-play').click();
    await waitForIteration(page, 60);
    await pauseAndSettle(page);
    await page.screenshot({ path: `${dir}/run-${size.name}.png` });
    await page.screenshot({ path: `${dir}/run-full-${size.name}.png`, fullPage: true });
  });
}
