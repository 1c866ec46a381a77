// The default pool fits the chosen language model: with the default settings, picking a model
// on each built-in task shows a pool its context holds (estimated until the model is loaded,
// which needs a GPU these machines lack), with the reason beside the field.
import { expect, test } from './fixtures';

const QWEN = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC'; // the default pick on a GPU without shader-f16: 4,096 tokens
// Items that fit 4,096 tokens by the real Qwen tokenizer (src/lib/model/budget.test.ts)
const fits: Record<string, number> = { 'builtin-factual': 126, 'builtin-math': 32, 'builtin-comparison': 40 };

test('a language model with the default settings gets a pool that fits, on every built-in task, and says why', async ({ page, network }) => {
  await page.goto('/');
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  const pool = page.getByTestId('input-poolSize');
  const reason = page.locator('#field-poolSize-hint');
  await expect(pool).toHaveValue('128'); // the Simulated model has no context to fit
  for (const [task, most] of Object.entries(fits)) {
    // from the Simulated model's 128, so the value read is this task's answer, not the last one's
    await page.getByTestId('choice-simulated').click();
    await expect(pool).toHaveValue('128');
    await page.getByTestId(`task-${task}`).click();
    await page.getByTestId('choice-webllm').click();
    await expect(page.locator('input[name="webllm-model"]:checked')).toHaveValue(QWEN);
    await expect(pool).not.toHaveValue('128');
    await expect(reason).toContainText(/items of this task fit .*4,096-token context \(estimated until it is loaded\)/);
    const size = Number(await pool.inputValue());
    console.log(`${task}: default pool ${size} (at most ${most} fit)`);
    expect(size).toBeGreaterThan(most / 2);
    expect(size).toBeLessThanOrEqual(most);
    await expect(reason).toContainText(`${size} items of this task fit`);
    await expect(page.getByTestId('error-poolSize')).toHaveCount(0);
  }

  // an edited pool stays as the person set it; Restore defaults brings back the fitting one
  const comparison = (await reason.innerText()).split(' ')[0]; // the last task's
  await pool.fill('20');
  await page.getByTestId('task-builtin-factual').click();
  await expect(reason).not.toContainText(`${comparison} items`);
  await expect(reason).toContainText(/^\d+ items of this task fit/);
  await expect(pool).toHaveValue('20');
  const fitting = (await reason.innerText()).split(' ')[0];
  await page.getByRole('button', { name: 'Restore defaults' }).click();
  await expect(pool).not.toHaveValue('20');
  await expect(pool).toHaveValue(fitting);

  // back on the Simulated model the table's default returns, with its usual hint
  await page.getByTestId('choice-simulated').click();
  await expect(pool).toHaveValue('128');
  await expect(reason).not.toContainText('fit');
  expect(network.remote()).toEqual([]); // nothing was downloaded to work this out
});
