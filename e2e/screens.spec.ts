// Screenshots of the two screens at desktop and phone widths, for a person to look at.
// Not a check: runs only when SCREENSHOTS names a folder (SCREENSHOTS=1: test-results/screens).
import { test } from '@playwright/test';
import { createRun, pauseAndSettle, waitForIteration } from './helpers';

const sizes = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

const dir = process.env.SCREENSHOTS === '1' ? 'test-results/screens' : process.env.SCREENSHOTS;
test.skip(!dir, 'set SCREENSHOTS=<folder> (or 1) to write screenshots');

for (const size of sizes) {
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
