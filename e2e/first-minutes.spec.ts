// What a new user meets in the first minutes on their own data (issue 16): the review opens on
// items that have a label, and a person can label any item, unlabeled ones too.
import { expect, test } from './fixtures';
import { createRun } from './helpers';
import { chooseFile, createRunOnImported, mapSums, saveImport, sumsCsv } from './labeling-steps';

test('the review opens on labeled items, and any item can be labeled by hand', async ({ page }) => {
  await chooseFile(page, sumsCsv());
  await mapSums(page);
  await saveImport(page, 'Sums');
  await createRunOnImported(page, 'Sums', { iterations: 30, poolSize: 32 });
  await page.getByTestId('btn-play').click();
  await expect(page.getByTestId('status')).toHaveText('Finished', { timeout: 240_000 });
  await page.getByTestId('tab-review').click();
  await expect(page.getByTestId('review-table')).toHaveAttribute('data-rows', '300');

  // ICM labeled 32 of 300 items, scattered through the file: the first rows shown are those
  await expect(page.getByTestId('review-sort')).toHaveValue('labeled');
  await expect(page.getByTestId('detail-label')).not.toHaveText('—');
  await page.keyboard.press('a');
  await expect(page.getByTestId('review-status')).toContainText('Accepted');

  // an unlabeled item: a and f say what to do instead; t and n label it
  await page.getByTestId('review-source').selectOption('unlabeled');
  const id = await page.getByTestId('detail-id').textContent();
  await expect(page.getByTestId('detail-label')).toHaveText('—');
  await page.keyboard.press('a');
  await expect(page.getByTestId('review-status')).toContainText('press t to label it True or n for False');
  await page.keyboard.press('t');
  await expect(page.getByTestId('review-status')).toHaveText(`Labeled: item ${id} is True.`);
  await page.getByTestId('review-source').selectOption('human');
  await expect(page.getByTestId('review-table')).toHaveAttribute('data-rows', '2');
  await page.getByTestId('btn-set-false').click();
  await expect(page.getByTestId('review-counts')).toContainText('2 by you');
});

test('at 1280×800 the search, its plots and the step inspector are on screen together', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await createRun(page, { iterations: 60, poolSize: 32 });
  await page.getByTestId('btn-play').click();
  await expect(page.getByTestId('status')).toHaveText('Finished', { timeout: 30_000 });
  const onScreen = async (testId: string) => {
    const box = await page.getByTestId(testId).first().boundingBox();
    expect(box, testId).not.toBeNull();
    expect(box!.y + Math.min(box!.height, 60), `${testId} starts within the first screen`).toBeLessThanOrEqual(800);
    return box!;
  };
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  for (const id of ['btn-play', 'fig-U', 'fig-accept', 'fig-accuracy', 'chart-U', 'chart-P', 'chart-I', 'inspector-iteration']) await onScreen(id);
  const inspector = await onScreen('step-inspector');
  const plot = await onScreen('chart-U');
  expect(inspector.x).toBeGreaterThan(plot.x + plot.width); // beside, not below
  // the figure and the plot name their accept rates differently, because they differ
  await expect(page.locator('dt', { hasText: 'Accept rate, all' })).toBeVisible();
  await expect(page.getByTestId('run-plots')).toContainText('Accepted, last 50');
  // runs on one task and seed share a name: the list dates them
  await expect(page.getByTestId('run-entry-date').first()).toHaveText(/^\d{1,2} [A-Z][a-z]{2}, \d{2}:\d{2}$/);
});

test('Create run stays on screen while the long set-up form scrolls', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  const create = page.getByTestId('btn-create');
  await expect(create).toBeInViewport();
  await page.getByTestId('input-iterations').scrollIntoViewIfNeeded();
  await expect(create).toBeInViewport();
});

test('an imported dataset can be deleted, after a confirm that names its runs', async ({ page }) => {
  await chooseFile(page, sumsCsv());
  await mapSums(page);
  await saveImport(page, 'Sums to delete');
  await createRunOnImported(page, 'Sums to delete', { iterations: 10, poolSize: 32 });
  await page.goto('/#import');
  const entry = page.getByTestId('dataset-entry').filter({ hasText: 'Sums to delete' });
  await expect(entry).toContainText('300 items · 1 run');
  const asked: string[] = [];
  page.once('dialog', (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await entry.getByTestId('btn-delete-dataset').click();
  await expect.poll(() => asked).toEqual(['Delete dataset “Sums to delete” and its 1 run (labels, step logs), with your review decisions on it, from this browser? Download a project file first to keep a copy.']);
  await expect(entry).toBeVisible();
  page.once('dialog', (d) => void d.accept());
  await entry.getByTestId('btn-delete-dataset').click();
  await expect(page.getByTestId('dataset-entry')).toHaveCount(0);
  await expect(page.getByTestId('run-entry')).toHaveCount(0);
});
