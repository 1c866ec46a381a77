// Shareable runs: the task, settings and seed live in the address. A link opened in a fresh
// browser profile (a new context: empty IndexedDB) sets up the same run, and Create run
// reproduces it step for step.
import { expect, isLocal, test } from './fixtures';
import { finish, firstSteps } from './learn-helpers';

test('a link with settings reproduces the same first 20 steps in a fresh browser profile', async ({ page, browser }) => {
  await page.goto('/?task=builtin-comparison&seed=3&iterations=120&poolSize=32&alpha=40');
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await expect(page.getByTestId('task-builtin-comparison').locator('input')).toBeChecked();
  await expect(page.getByTestId('input-seed')).toHaveValue('3');
  await expect(page.getByTestId('input-alpha')).toHaveValue('40');
  await page.getByTestId('input-iterations').fill('100'); // an edit is written back to the address
  await expect(page).toHaveURL(/iterations=100/);
  await page.getByTestId('btn-create').click();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await finish(page, 100);
  const here = await firstSteps(page, 20);

  await page.getByTestId('btn-copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/task=builtin-comparison/);
  expect(link).toMatch(/seed=3/);
  expect(link).not.toMatch(/#/);

  // a fresh profile, with the network closed as in every test
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await fresh.route((url) => !isLocal(url.href), (route) => route.abort('internetdisconnected'));
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('setup-screen')).toBeVisible();
  await expect(other.getByTestId('run-entry')).toHaveCount(0); // nothing of the first profile here
  await expect(other.getByTestId('input-iterations')).toHaveValue('100');
  await other.getByTestId('btn-create').click();
  await expect(other.getByTestId('run-screen')).toBeVisible();
  await finish(other, 100);
  const there = await firstSteps(other, 20);
  await fresh.close();

  expect(there).toEqual(here);
  expect(new Set(here.map((s) => s.outcome)).size).toBeGreaterThan(1); // the steps compared are not all alike
});

test('settings from a link that are out of range show the usual message beside the field', async ({ page }) => {
  await page.goto('/?poolSize=1&alpha=lots&task=nowhere');
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await expect(page.getByTestId('input-poolSize')).toHaveValue('1');
  await expect(page.getByTestId('error-poolSize')).toHaveText('Pool size must be between 2 and 5000.');
  await expect(page.getByTestId('link-note')).toHaveCount(2);
  await expect(page.getByTestId('link-note').first()).toContainText('alpha=lots');
  await expect(page.getByTestId('link-note').nth(1)).toContainText('nowhere');
  await expect(page.getByTestId('input-alpha')).toHaveValue('30'); // the default instead
  await page.getByTestId('btn-create').click();
  await expect(page.getByTestId('setup-invalid')).toBeVisible();
  await expect(page.getByTestId('run-entry')).toHaveCount(0);
});

test('a preset fills the form, and the address with it', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('input-seed').fill('5');
  await page.getByTestId('preset-nonSalient').click();
  await expect(page.getByTestId('preset-nonSalient')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('task-builtin-comparison').locator('input')).toBeChecked();
  await expect(page.getByTestId('input-salience')).toHaveValue('spurious');
  await expect(page.getByTestId('input-seed')).toHaveValue('5'); // the seed is kept, to compare like for like
  await expect(page).toHaveURL(/salience=spurious/);

  await page.getByTestId('preset-noConsistency').click();
  await expect(page.getByTestId('input-consistency')).not.toBeChecked();
  await expect(page.getByTestId('task-builtin-math').locator('input')).toBeChecked();
  await page.getByTestId('input-iterations').fill('20');
  await page.getByTestId('btn-create').click();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  // the run's lesson is the preset's, and its links set up the other presets with the same seed
  await expect(page.getByTestId('lesson')).toContainText('Without consistency rules');
  await expect(page.getByTestId('lesson-run-facts')).toContainText('before its first step'); // the run's own figures, not the preset's
  await expect(page.getByTestId('preset-link-zeroShot')).toHaveAttribute('href', /init=zeroShot/);
  await expect(page.getByTestId('preset-link-zeroShot')).toHaveAttribute('href', /seed=5/);
  await page.getByTestId('focus-I').click();
  await expect(page.getByTestId('focus-I')).toHaveAttribute('aria-pressed', 'true');
});
