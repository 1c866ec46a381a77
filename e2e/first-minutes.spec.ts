// What a new user meets in the first minutes on their own data (issue 16): the review opens on
// items that have a label, and a person can label any item, unlabeled ones too.
import { expect, test } from './fixtures';
import { chooseFile, createRunOnImported, mapSums, saveImport, sumsCsv } from './labeling-steps';

test('the review opens on labeled items, and any item can be labeled by hand', async ({ page }) => {
  test.setTimeout(90_000);
  await chooseFile(page, sumsCsv());
  await mapSums(page);
  await saveImport(page, 'Sums');
  await createRunOnImported(page, 'Sums', { iterations: 30, poolSize: 32 });
  await page.getByTestId('btn-play').click();
  await expect(page.getByTestId('status')).toHaveText('Finished', { timeout: 45_000 });
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
