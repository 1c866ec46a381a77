// 50 000 rows: the import maps and saves them, and the review table (virtualized: only the rows
// in view are in the page) scrolls, jumps, sorts and filters them. How long each takes, and the
// worst main-thread task while scrolling, are measured by `npm run bench` (browser.import50000Ms),
// not asserted here: a busy machine stalls any page now and then.
import { expect, test } from './fixtures';
import { bigCsv, chooseFile, createRunOnImported, saveImport } from './labeling-steps';
import { scrollReviewTable } from '../scripts/bench-browser';

const ROWS = 50_000;

test('50 000 rows import, and the review table shows only the rows in view wherever it scrolls', async ({ page }) => {
  test.setTimeout(900_000); // sized by the work (50 000 rows through import, a run and review), with room for a busy machine
  await chooseFile(page, bigCsv(ROWS));
  await expect(page.getByTestId('import-mapping')).toBeVisible({ timeout: 300_000 });
  await expect(page.getByTestId('import-summary')).toHaveText(/50,000 rows/);
  await expect(page.getByTestId('import-preview')).toContainText('Which city is the capital of country 0?');
  await saveImport(page, 'Fifty thousand');
  await expect(page.getByTestId('import-saved')).toContainText('50,000 items in 12,500 groups');

  await createRunOnImported(page, 'Fifty thousand', { iterations: 20, poolSize: 32 });
  await page.getByTestId('tab-review').click();
  await expect(page.getByTestId('review-table')).toHaveAttribute('data-rows', String(ROWS), { timeout: 300_000 });
  const rendered = await page.getByTestId('review-row').count();
  expect(rendered).toBeLessThan(60); // only the rows in view, and a few either side

  // scroll: wheel steps, then long jumps (as the benchmark does, timing it)
  await scrollReviewTable(page);
  // the rows in the middle are there after a jump to the middle
  const viewport = page.getByTestId('review-viewport');
  await viewport.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }));
  await expect.poll(async () => Number(await page.getByTestId('review-row').nth(10).getAttribute('data-index')), { timeout: 60_000 }).toBeGreaterThan(24_000);
  expect(Number(await page.getByTestId('review-row').nth(10).getAttribute('data-index'))).toBeLessThan(26_000);
  await page.keyboard.press('End'); // the browser's own key: the table scrolls to its end
  for (let i = 0; i < 30; i++) await page.keyboard.press('j');
  await expect(page.getByTestId('detail-id')).toHaveText('r30');
  // sorting and filtering 50 000 rows
  for (const sort of ['group', 'confidence', 'disagreement', 'dataset']) {
    await page.getByTestId('review-sort').selectOption(sort);
    await expect(page.getByTestId('review-shown')).toHaveText('50,000 of 50,000 shown', { timeout: 120_000 });
  }
  await page.getByTestId('review-group').fill('c12');
  await expect(page.getByTestId('review-shown')).toHaveText(/^[\d,]+ of 50,000 shown$/, { timeout: 120_000 });
  expect(await page.getByTestId('review-row').count()).toBeLessThan(60);
});
