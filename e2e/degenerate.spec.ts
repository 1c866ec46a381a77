// When ICM finds a labeling that says nothing (issue 15): a generated file in the official
// TruthfulQA layout (many claims per question, several right), imported as-is with "One right
// answer per group" off, makes ICM on the simulated model label (nearly) everything True; the run
// and review screens say so, with what to try. Imported again with the claim's answer as the
// consistency key and one right answer per group, the same run uses both labels and says nothing.
import { expect, test } from './fixtures';
import { chooseFile, createRunOnImported, saveImport, type FilePayload } from './labeling-steps';
import { truthfulqaLayoutRows } from '../src/lib/data/builtin/truthfulLayout';
import type { Page } from '@playwright/test';

const file = (): FilePayload => ({ name: 'truthfulqa-layout.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(truthfulqaLayoutRows())) });

async function runOn(page: Page, name: string) {
  await createRunOnImported(page, name, { iterations: 300 });
  await page.getByTestId('btn-play').click();
  await expect(page.getByTestId('status')).toHaveText('Finished', { timeout: 240_000 });
}

test('a TruthfulQA-layout file imported as-is: ICM goes all True and both screens say so', async ({ page }) => {
  await chooseFile(page, file());
  await expect(page.getByTestId('paper-layout')).toBeVisible();
  await expect(page.getByTestId('map-exclusive')).not.toBeChecked(); // several right answers per question
  await saveImport(page, 'TQA layout as-is');
  // the notice describes the import as saved: one right answer per group off (issue 25, item 5)
  const notes = page.getByTestId('import-notes');
  await expect(notes).toContainText('One right answer per group is off, so claims with different keys in a group may all be True');
  await expect(notes).toContainText('no consistency pairs to check');
  await expect(notes).not.toContainText(/at most one|cannot both be True|map no group column/);
  await runOn(page, 'TQA layout as-is');

  const notice = page.getByTestId('degenerate-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(/9\d% of the labeled items are True/);
  await expect(notice).toContainText('Labeling every item True scores as high');
  await expect(notice).toContainText("the claim's answer");
  await expect(page.getByTestId('chart-references-U')).toContainText(/dashed: all True \d+\.\d · all False \d+\.\d/);
  await expect(page.getByTestId('chart-value-balance')).toHaveText(/^9\d%|^100%/);
  // the lesson beside it tells this run's outcome, not the defaults' "Truth found" (issue 25, item 1)
  const lesson = page.getByTestId('lesson');
  await expect(page.getByTestId('lesson-this-run')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('lesson-run-facts')).toContainText(/This run at step 300 of 300: \d+ of \d+ items labeled, \d+ of them True/);
  await expect(page.getByTestId('lesson-run-facts')).toContainText(/9\d% of the labeled items are True|100% of the labeled items are True/);
  await expect(lesson).toContainText('When ICM labels everything one way');
  await expect(lesson).not.toContainText(/Truth found|climbs above 80%/);

  await page.getByTestId('tab-review').click();
  await expect(page.getByTestId('review-screen')).toBeVisible();
  await expect(page.getByTestId('degenerate-notice')).toContainText('True');

  // the countermeasure the notice names: the claim's answer as the key, one right answer per group
  await chooseFile(page, file());
  await page.getByTestId('map-key').selectOption('answerWords');
  await page.getByTestId('map-exclusive').check();
  await saveImport(page, 'TQA layout, answer keys');
  await expect(notes).toContainText('with One right answer per group on, claims with different keys in a group cannot both be True');
  await runOn(page, 'TQA layout, answer keys');
  await expect(page.getByTestId('chart-value-balance')).toHaveText(/^[1-4]\d%/);
  await expect(page.getByTestId('degenerate-notice')).toHaveCount(0);
  await expect(page.getByTestId('lesson')).not.toContainText('When ICM labels everything one way');
});
