// Settings out of range are refused beside the field, and nothing is created.
import { expect, test } from './fixtures';

test('an out-of-range setting shows its message beside the field and creates nothing', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await expect(page.getByTestId('input-alpha')).toHaveValue('30'); // the paper's defaults
  await expect(page.getByTestId('input-K')).toHaveValue('8');

  await page.getByTestId('input-poolSize').fill('1');
  await expect(page.getByTestId('error-poolSize')).toHaveText('Pool size must be between 2 and 5000.');
  await expect(page.getByTestId('input-poolSize')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('input-knowledge').fill('1.5');
  await expect(page.getByTestId('error-knowledge')).toHaveText('Knowledge must be between 0.5 and 1.');
  await page.getByTestId('input-K').fill('7');
  await expect(page.getByTestId('error-K')).toContainText('even');

  await page.getByTestId('btn-create').click();
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await expect(page.getByTestId('setup-invalid')).toBeVisible();
  await expect(page.getByTestId('run-entry')).toHaveCount(0);
  expect(page.url()).not.toContain('#run=');

  // fixed values clear the messages and the run is created
  await page.getByTestId('input-poolSize').fill('32');
  await page.getByTestId('input-knowledge').fill('0.85');
  await page.getByTestId('input-K').fill('8');
  await expect(page.getByTestId('error-poolSize')).toHaveCount(0);
  await page.getByTestId('btn-create').click();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await expect(page.getByTestId('run-entry')).toHaveCount(1);
});
