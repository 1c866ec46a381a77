// Full storage must not trap the user (issue 21, item 4). Chromium is given a real quota far below
// what the site already stores (DevTools' Storage.overrideQuotaForOrigin), mid-run, so IndexedDB
// refuses writes as a full disk makes it. The app then opens read-only after a reload: every run
// is listed with the space it takes, a backup downloads, runs can be deleted, and once space is
// back the next step saves and the notice goes.
import type { CDPSession, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createRun, waitForIteration } from './helpers';
import { downloadText } from './labeling-steps';

async function setQuota(cdp: CDPSession, page: Page, quotaSize?: number): Promise<void> {
  const origin = new URL(page.url()).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', quotaSize === undefined ? { origin } : { origin, quotaSize });
}

// the service worker's offline copy of the app is refused too, and says so
test.use({ consoleAllowed: [/Offline copy not kept \(storage full\?\)/] });

test('with storage full the app opens read-only: runs listed with their sizes, backed up and deleted; freed space ends it', async ({ page, context }) => {
  await createRun(page, { iterations: 100_000, poolSize: 24, seed: 3 });
  const first = new URL(page.url()).hash;
  await createRun(page, { iterations: 100_000, poolSize: 24, seed: 4 });
  await page.getByTestId('btn-play').click();
  await waitForIteration(page, 10);

  // the disk fills mid-run: the run stops, saying so, and the app turns read-only
  const cdp = await context.newCDPSession(page);
  await setQuota(cdp, page, 1000);
  await expect(page.getByTestId('alert-message')).toContainText('Browser storage is full', { timeout: 30_000 });
  await expect(page.getByTestId('storage-full')).toContainText('read-only');

  // a reload while it is full opens the app (not "Loading…" for ever) with both runs listed
  await page.reload();
  await expect(page.getByTestId('run-entry')).toHaveCount(2);
  await expect(page.getByTestId('runs-list')).not.toContainText('No runs yet');
  await expect(page.getByTestId('loading')).toHaveCount(0);
  await expect(page.getByTestId('storage-full')).toBeVisible();
  // the run that was cut off says why it stopped, rather than "Running"
  await expect(page.getByTestId('status')).toHaveText('Error');
  await expect(page.getByTestId('alert-message')).toContainText('Browser storage is full');
  await expect(page.getByTestId('run-entry').first()).toContainText(/· [\d.]+ (kB|MB)/); // what deleting it would free

  // Your data: what each run and dataset takes, a backup, and Delete
  await page.getByTestId('nav-import').click();
  await expect(page.getByTestId('space-entry').filter({ hasText: 'seed 4' })).toContainText(/\d (kB|MB)/);
  await expect(page.getByTestId('space-total')).toContainText('Runs and datasets take about');
  const backup = await downloadText(page, () => page.getByTestId('btn-export-project').click());
  expect((JSON.parse(backup.text) as { runs: unknown[] }).runs).toHaveLength(2);
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('space-entry').filter({ hasText: 'seed 4' }).getByTestId('btn-space-delete').click();
  await expect(page.getByTestId('run-entry')).toHaveCount(1);
  await expect(page.getByTestId('space-entry').filter({ hasText: 'seed 4' })).toHaveCount(0);

  // space is back: the next step saves, and read-only mode ends
  await setQuota(cdp, page);
  await page.goto(`/${first}`);
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await page.getByTestId('btn-step').click();
  await waitForIteration(page, 1);
  await expect(page.getByTestId('storage-full')).toHaveCount(0);
});
