// Screenshots of the labeling screens (import, mapping, errors, review with baselines) at desktop
// and phone widths, for a person to look at. Not a check: runs only when SCREENSHOTS names a
// folder (SCREENSHOTS=1: test-results/screens), as screens.spec.ts does.
import { test } from './fixtures';
import { screenshotDir, screenshotSizes } from './helpers';
import { chooseFile, createRunOnImported, mapSums, saveImport, sumsCsv } from './labeling-steps';

const sizes = screenshotSizes;
const dir = screenshotDir;
test.skip(!dir, 'set SCREENSHOTS=<folder> (or 1) to write screenshots');

for (const size of sizes) {
  test(`labeling screens at ${size.width} wide`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto('/#import');
    await page.getByTestId('import-screen').waitFor();
    await page.screenshot({ path: `${dir}/import-${size.name}.png`, fullPage: true });

    await page.getByTestId('import-file').setInputFiles({ name: 'short.csv', mimeType: 'text/csv', buffer: Buffer.from('question,answer,qid,verdict\nWhat is 1 + 1?,2,a,true\nWhat is 2 + 2?,5,b\n') });
    await page.getByTestId('import-errors').waitFor();
    await page.screenshot({ path: `${dir}/import-error-${size.name}.png` });

    await chooseFile(page, sumsCsv());
    await page.getByTestId('import-mapping').waitFor();
    await page.screenshot({ path: `${dir}/import-guess-${size.name}.png`, fullPage: true });
    await mapSums(page);
    await page.getByTestId('import-preview').waitFor();
    await page.screenshot({ path: `${dir}/import-mapping-${size.name}.png`, fullPage: true });
    await saveImport(page, 'Sums');
    await page.screenshot({ path: `${dir}/import-saved-${size.name}.png` });

    await createRunOnImported(page, 'Sums', { iterations: 400, poolSize: 128 });
    await page.getByTestId('btn-play').click();
    await page.getByTestId('finished').waitFor({ timeout: 240_000 });
    await page.getByTestId('tab-review').click();
    await page.getByTestId('review-row').first().waitFor();
    await page.screenshot({ path: `${dir}/review-${size.name}.png`, fullPage: true });
    await page.getByTestId('btn-label-rest').click();
    await page.getByTestId('rest-done').waitFor({ timeout: 30_000 });
    await page.getByTestId('btn-baselines').click();
    await page.getByTestId('baselines-table').waitFor({ timeout: 30_000 });
    await page.keyboard.press('f');
    await page.keyboard.press('a');
    await page.getByTestId('review-sort').selectOption('disagreement');
    await page.screenshot({ path: `${dir}/review-done-${size.name}.png`, fullPage: true });
    await page.getByTestId('review-table').screenshot({ path: `${dir}/review-table-${size.name}.png` });
  });
}
