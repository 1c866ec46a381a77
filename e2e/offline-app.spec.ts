// Offline after the first visit: once the app has been opened, it opens again and runs the
// simulated model with no network at all (the service worker serves the app's own files).
import { expect, test } from './fixtures';
import { createRun, waitForIteration } from './helpers';

test('the app opens and runs with the network gone, after one visit', async ({ page, context }) => {
  await page.goto('/');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // a second load goes through the now-controlling service worker and fills its cache
  await page.reload();
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await createRun(page, { iterations: 40, poolSize: 24 });
  await page.getByTestId('btn-play').click();
  await waitForIteration(page, 5);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await waitForIteration(page, 40);
  await expect(page.getByTestId('status')).toHaveText(/Finished/);
  await context.setOffline(false);
});
