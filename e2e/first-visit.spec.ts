// The first visit: a fresh browser profile opens the bare address and, with no click, watches a
// run already playing on the simulated model, with a caption saying what it is and where to look.
import { expect, test } from './fixtures';
import { iteration } from './helpers';

test.use({ firstVisit: true });

test('a fresh profile sees steps being taken, with no click', async ({ page }) => {
  await page.goto('/'); // resolves on the load event
  // how soon is measured, not asserted (a busy machine delays any page): logged here, and in `npm run bench`
  const loaded = Date.now();
  await expect.poll(() => iteration(page).catch(() => 0), { intervals: [100] }).toBeGreaterThan(0);
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

test('before the app’s code has loaded, the page already shows the caption and the run at step 0 (issue 25, item 4)', async ({ page }) => {
  // the app's scripts held back, as a first `npm start` compiling them on a busy machine holds them
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/.*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/', { waitUntil: 'commit' });
  await expect(page.getByTestId('boot-caption')).toBeVisible();
  await expect(page.getByTestId('boot-caption')).toContainText('You are watching ICM label data with no human labels');
  await expect(page.getByTestId('boot-frame')).toContainText('0 / 1,000');
  await expect(page.getByTestId('run-screen')).toHaveCount(0);
  release();
  // then the app takes over: the demo plays, the first frame is gone
  await expect.poll(() => iteration(page).catch(() => 0), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('boot')).toHaveCount(0);
  await expect(page.getByTestId('first-visit-caption')).toBeVisible();
});

test('the demo and a new run with the default settings have different names, each naming its model (issue 25, item 8)', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await page.getByTestId('btn-new-run').click();
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await page.getByTestId('btn-create').click();
  await expect(page.getByTestId('run-entry')).toHaveCount(2);
  const names = await page.getByTestId('run-entry').locator('.name').allTextContents();
  expect(new Set(names).size).toBe(2);
  for (const name of names) expect(name).toMatch(/^Math solutions \(generated\) · simulated model · seed 1 · [0-9a-z]{4,}$/);
  await expect(page.getByTestId('run-name')).toHaveText(names[0]); // the newest first, and open
  // so the delete confirmation says which one
  const asked = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.message()))));
  await page.getByTestId('btn-delete').nth(1).click();
  expect(await asked).toContain(`“${names[1]}”`);
});

test('a first visit through a link with settings opens the form the link fills, not the demo', async ({ page }) => {
  await page.goto('/?seed=3');
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await expect(page.getByTestId('input-seed')).toHaveValue('3');
  await expect(page.getByTestId('run-entry')).toHaveCount(0);
});
