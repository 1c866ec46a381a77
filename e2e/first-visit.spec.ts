// The first visit: a fresh browser profile opens the bare address and, with no click, watches a
// run already playing on the simulated model, with a caption saying what it is and where to look.
import { expect, test } from './fixtures';
import { iteration } from './helpers';

test.use({ firstVisit: true });

test('a fresh profile sees steps being taken within 5 s of load, with no click', async ({ page }) => {
  await page.goto('/'); // resolves on the load event
  const loaded = Date.now();
  await expect.poll(() => iteration(page).catch(() => 0), { timeout: 5_000, intervals: [100] }).toBeGreaterThan(0);
  console.log(`first steps on screen ${Date.now() - loaded} ms after load`);
  await expect(page.getByTestId('steps-table').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('status')).toHaveText(/Running/);

  // it says what it is: ICM with no labels, on a simulated model, and where to look
  const caption = page.getByTestId('first-visit-caption');
  await expect(caption).toContainText('no human labels');
  await expect(caption).toContainText('simulated');
  await expect(page.getByTestId('run-model')).toContainText('Simulated model (not a language model)');
  await expect(page).toHaveURL(/#run=/);
  await expect(page.getByTestId('input-speed')).toHaveValue('20'); // the speed it plays at, slow enough to watch

  // a reload carries on with the same run, not a second demo
  await page.reload();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await expect(page.getByTestId('run-entry')).toHaveCount(1);
  await expect(page.getByTestId('input-speed')).toHaveValue('20'); // the demo's speed is kept with it
  await expect(caption).toBeVisible();
  await page.getByTestId('btn-caption-dismiss').click();
  await expect(caption).toHaveCount(0);

  // once the visitor deletes it, the bare address shows the set-up form: the demo was once
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('btn-delete').click();
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await page.goto('/');
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await expect(page.getByTestId('run-entry')).toHaveCount(0);
});

test('a first visit through a link with settings opens the form the link fills, not the demo', async ({ page }) => {
  await page.goto('/?seed=3');
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await expect(page.getByTestId('input-seed')).toHaveValue('3');
  await expect(page.getByTestId('run-entry')).toHaveCount(0);
});
