// A crash of the run worker shows an error with Retry; Retry resumes from the last persisted
// step, so nothing accepted is lost.
import { expect, test } from './fixtures';
import { createRun, iteration, pauseAndSettle, waitForIteration } from './helpers';

test('a worker crash shows Retry, which resumes the run from its last saved step', async ({ page }) => {
  await createRun(page);
  await page.getByTestId('btn-play').click();
  await waitForIteration(page, 20);

  // an uncaught exception inside the worker, as a bug in the model backend would throw
  const worker = page.workers()[0];
  expect(worker).toBeDefined();
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('simulated crash');
    }, 0);
  });
  await expect(page.getByTestId('alert')).toBeVisible();
  await expect(page.getByTestId('alert-message')).toContainText('simulated crash');

  // the crashed worker was stopped: the figures stand still
  const shown = await iteration(page);
  await page.waitForTimeout(600);
  expect(await iteration(page)).toBe(shown);

  await page.getByTestId('btn-retry').click();
  await expect(page.getByTestId('alert')).toHaveCount(0);
  await expect(page.getByTestId('status')).toHaveText('Running');
  expect(await iteration(page)).toBeGreaterThanOrEqual(shown); // every step shown was saved
  await waitForIteration(page, shown + 10);
  await pauseAndSettle(page);
});
