// The plots at 5 000 steps: a run with a small pool plays at full speed to 5 000 steps while the
// plots are fed and redrawn, then a person clicks through its steps, and the run reopens: every
// click lands on the step aimed at, and the plots come back whole. How smooth it stays (the worst
// main-thread task while playing, clicking and reopening) is measured by `npm run bench`
// (browser.plots5000.*), not asserted here: a busy machine stalls any page now and then.
import { expect, test } from './fixtures';
import { createRun, pauseAndSettle } from './helpers';
import { clickStep } from './learn-helpers';

const STEPS = 5000;

test('the plots follow 5 000 steps, clicks land on the step aimed at, and a reopened run shows them all', async ({ page }) => {
  test.setTimeout(1_200_000); // sized by the work (5 000 steps), with room for a machine running other work
  await createRun(page, { iterations: 100000, poolSize: 16 });

  const started = Date.now();
  await page.getByTestId('btn-play').click();
  await expect.poll(async () => Number(await page.getByTestId('chart-U').getAttribute('data-last')), { timeout: 1_000_000, intervals: [1000] }).toBeGreaterThanOrEqual(STEPS);
  const seconds = (Date.now() - started) / 1000;

  // clicking through while it plays on (the x axis grows under the pointer, so a click lands
  // near the step aimed at: off by at most what the axis grew between aiming and reading it back,
  // which a busy machine makes larger), then paused, where every click lands exactly; and the arrow keys
  const inspected = async () => Number(await page.getByTestId('inspector-iteration').textContent());
  for (const [chart, k] of [['U', 100], ['T', 4000], ['accept', 2500], ['labeled', 4900]] as const) {
    const canvas = page.getByTestId(`chart-${chart}`);
    const perPixel = await clickStep(page, chart, k);
    const aimedLast = perPixel * Number(await canvas.getAttribute('data-plot-width')); // the axis' last step when aimed
    const grown = Number(await canvas.getAttribute('data-last')) / aimedLast; // ≥ 1: as it stood after the click
    await expect.poll(async () => Math.abs((await inspected()) - k)).toBeLessThanOrEqual(k * (grown - 1) + perPixel + 1);
  }
  await page.getByTestId('btn-live').click(); // so the figures show where the run stopped
  const paused = await pauseAndSettle(page);
  await expect(page.getByTestId('chart-U')).toHaveAttribute('data-last', String(paused)); // the plots' axis has stopped growing
  for (const [chart, k] of [['I', 200], ['accuracy', 4321], ['P', 3333]] as const) {
    const perPixel = await clickStep(page, chart, k);
    await expect.poll(async () => Math.abs((await inspected()) - k)).toBeLessThanOrEqual(perPixel / 2 + 1);
  }
  const at = await inspected();
  for (let i = 0; i < 15; i++) await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('inspector-iteration')).toHaveText(String(at - 15));
  await page.getByTestId('replay-slider').fill('4500');
  await expect(page.getByTestId('inspector-iteration')).toHaveText('4500');
  await page.getByTestId('model-read').locator('summary').click();
  await expect(page.getByTestId('model-read-text')).toBeVisible();

  // reopening the run reads its whole log again and rebuilds the plots
  await page.getByTestId('btn-new-run').click();
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await page.getByTestId('run-entry').first().getByRole('link').click();
  await expect(page.getByTestId('chart-U')).toHaveAttribute('data-last', String(paused), { timeout: 120_000 });
  console.log(`${STEPS} steps played in ${seconds.toFixed(1)} s; reopened at step ${paused}`);
});
