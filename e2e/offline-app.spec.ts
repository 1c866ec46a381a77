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

test.describe('storage full', () => {
  // the service worker says, in its console, each copy it could not keep
  test.use({ consoleAllowed: [/^warning: Offline copy not kept \(storage full\?\)/] });

  test('with storage full, the app still opens: files come from the network when they cannot be kept', async ({ page, context }) => {
    await page.goto('/');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // storage full: every cache.put from now on fails with a quota error
    const cdp = await context.newCDPSession(page);
    const origin = new URL(page.url()).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
    expect(
      await page.evaluate(async () => {
        const c = await caches.open('quota-probe');
        return c.put('/quota-probe', new Response('x'.repeat(100_000))).then(
          () => 'stored',
          (e: unknown) => String(e),
        );
      }),
    ).toMatch(/Quota/i);
    await page.evaluate(() => caches.delete('icm-app-v1')); // nothing kept to fall back on
    await page.reload();
    await expect(page.getByTestId('setup-screen')).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('setup-screen')).toBeVisible();
  });
});
