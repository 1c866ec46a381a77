// A user's path through the app: create a run, watch it label items, reload in the middle,
// let a small run finish. Every test starts from an empty browser profile (fresh IndexedDB).
import { expect, test } from './fixtures';
import { downloadText } from './labeling-steps';
import { createRun, iteration, labelColumn, labeled, pauseAndSettle, waitForIteration } from './helpers';

test('Run labels items and the figures move', async ({ page }) => {
  // at a new run's own speed, slow enough to watch every step; more steps than it can take while
  // the checks below look: on a busy machine they took long enough for a 1000-step run to finish
  // at full speed, and Pause was never enabled again
  await createRun(page, { iterations: 100_000, speed: null });
  await expect(page.getByTestId('status')).toHaveText('Ready');
  expect(await iteration(page)).toBe(0);
  // the built-in task has gold labels: before the first step the box says when accuracy shows
  await expect(page.getByTestId('fig-accuracy')).toHaveText('Accuracy shows once ICM has labeled items (after the seed labels).');
  expect((await labelColumn(page)).every((l) => l === '—')).toBe(true);
  const U0 = await page.getByTestId('fig-U').textContent();

  await page.getByTestId('btn-play').click();
  await expect(page.getByTestId('status')).toHaveText('Running');
  await waitForIteration(page, 10);

  // labels appear in the table, with a confidence beside each
  await expect.poll(async () => (await labelColumn(page)).filter((l) => l === 'True' || l === 'False').length).toBeGreaterThan(0);
  expect(await labeled(page)).toBeGreaterThanOrEqual(8); // the K seed labels at least
  await expect(page.getByTestId('item-confidence').filter({ hasText: '%' }).first()).toBeVisible();
  // the figures move
  await expect(page.getByTestId('fig-U')).not.toHaveText(U0 ?? '');
  await expect(page.getByTestId('fig-tokens')).not.toHaveText('0');
  // speed of the recent steps (the simulated model has no prefill speed)
  await expect(page.getByTestId('fig-ms-per-step')).toHaveText(/\d ms$/);
  await expect(page.getByTestId('fig-tokens-per-step')).toHaveText(/^[\d,]+$/);
  await expect(page.getByTestId('fig-tokens-per-evaluation')).toHaveText(/^[\d,]+$/); // the scoring plan's cost
  await expect(page.getByTestId('fig-prefill')).toHaveText('—');
  await expect(page.getByTestId('fig-accuracy')).toHaveText(/%$/);
  const before = await iteration(page);
  await expect.poll(() => iteration(page)).toBeGreaterThan(before);
  await expect(page.getByTestId('steps-table')).toBeVisible();

  await pauseAndSettle(page);
  await expect(page.getByTestId('btn-play')).toBeEnabled();
});

test('a reload shows the persisted step count and labels, and the run goes on', async ({ page }) => {
  await createRun(page, { iterations: 100_000, speed: '20' }); // still running at the reload, however slowly this test looks
  await page.getByTestId('btn-play').click();
  await waitForIteration(page, 30);

  // 1. paused: after a reload everything is exactly as it was
  const paused = await pauseAndSettle(page);
  const labels = await labelColumn(page);
  expect(labels).toHaveLength(await page.getByTestId('item-row').count());
  expect(labels.filter((l) => l !== '—').length).toBeGreaterThan(8);
  const figures = await Promise.all(['fig-labeled', 'fig-U', 'fig-I', 'fig-tokens', 'fig-accuracy'].map((id) => page.getByTestId(id).textContent()));
  await page.reload();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await expect(page.getByTestId('status')).toHaveText('Paused');
  expect(await iteration(page)).toBe(paused);
  expect(await labelColumn(page)).toEqual(labels);
  expect(await Promise.all(['fig-labeled', 'fig-U', 'fig-I', 'fig-tokens', 'fig-accuracy'].map((id) => page.getByTestId(id).textContent()))).toEqual(figures);

  // 2. running: a reload resumes by itself from the last persisted step (nothing shown is lost)
  await page.getByTestId('btn-play').click();
  await waitForIteration(page, paused + 20);
  const shown = await iteration(page);
  await page.reload();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await expect(page.getByTestId('status')).toHaveText('Running');
  expect(await iteration(page)).toBeGreaterThanOrEqual(shown);
  await waitForIteration(page, shown + 10);
  await pauseAndSettle(page);
});

test('a small run finishes and shows its final accuracy', async ({ page }) => {
  await createRun(page, { iterations: 150, poolSize: 32 });
  await expect(page.getByTestId('fig-iteration')).toHaveText('0 / 150');
  await page.getByTestId('btn-play').click();
  await expect(page.getByTestId('status')).toHaveText('Finished', { timeout: 240_000 });
  await expect(page.getByTestId('fig-iteration')).toHaveText('150 / 150');
  await expect(page.getByTestId('finished')).toBeVisible();
  await expect(page.getByTestId('evaluation')).toContainText('Final accuracy');
  await expect(page.getByTestId('fig-accuracy')).toHaveText(/^\d+(\.\d)?%$/);
  await expect(page.getByTestId('btn-play')).toBeDisabled();
  await expect(page.getByTestId('btn-step')).toBeDisabled();
  await expect(page.getByTestId('run-entry')).toContainText('finished');
});

test('the runs list reopens and deletes runs', async ({ page }) => {
  await createRun(page, { iterations: 150, poolSize: 32, seed: 7 });
  await page.getByTestId('btn-step').click();
  await expect(page.getByTestId('fig-iteration')).toHaveText('1 / 150');
  const url = page.url();
  await page.getByTestId('btn-new-run').click();
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await page.getByTestId('run-entry').first().getByRole('link').click();
  await expect(page).toHaveURL(url);
  await expect(page.getByTestId('fig-iteration')).toHaveText('1 / 150');

  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('btn-delete').first().click();
  await expect(page.getByTestId('run-entry')).toHaveCount(0);
  await expect(page.getByTestId('setup-screen')).toBeVisible();

  // its address, opened again (a bookmark, Back): a plain notice, no error to retry (issue 25, item 9)
  await page.goto(url);
  await page.reload(); // a fresh page at that address, whatever the hash was
  await expect(page.getByTestId('run-missing')).toContainText('There is no run at this address in this browser');
  await expect(page.getByTestId('alert')).toHaveCount(0);
  await expect(page.getByTestId('btn-retry')).toHaveCount(0);
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await page.getByTestId('run-missing').getByRole('link', { name: 'start a new one' }).click();
  await expect(page.getByTestId('run-missing')).toHaveCount(0);
});

test('the address of a run made in another browser says it is not in this browser, not that another tab deleted it, with no Retry', async ({ page }) => {
  await page.goto('/#run=run-from-another-browser');
  const notice = page.getByTestId('run-missing');
  await expect(notice).toContainText('There is no run at this address in this browser');
  await expect(notice).toContainText('made in another browser');
  await expect(notice).toContainText('a project file carries them to another');
  await expect(notice).not.toContainText('another tab');
  await expect(page.getByTestId('alert')).toHaveCount(0);
  await expect(page.getByTestId('btn-retry')).toHaveCount(0);
  await expect(page.getByTestId('setup-screen')).toBeVisible();
});

test('a backup the app could never have written is refused, naming where, and nothing of it is stored', async ({ page }) => {
  await createRun(page, { iterations: 6, poolSize: 16 });
  for (let i = 0; i < 6; i++) await page.getByTestId('btn-step').click();
  await expect(page.getByTestId('fig-iteration')).toHaveText('6 / 6');
  await page.goto('/#import');
  const { text } = await downloadText(page, () => page.getByTestId('btn-export-project').click());
  const project = JSON.parse(text) as { runs: { id: string; model: { kind: string } }[]; steps: { changed: boolean; draw: number | null; acceptProb: number }[] };
  project.runs[0].id = 'hostile';
  project.runs[0].model.kind = '__proto__'; // threw a TypeError in the validator
  const j = project.steps.findIndex((s) => s.changed);
  project.steps[j] = { ...project.steps[j], draw: 5, acceptProb: -3 }; // showed "the draw 5.000 ≥ −3.000, so it was accepted"
  await page.getByTestId('project-file').setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(project)) });
  const errors = page.getByTestId('project-errors');
  await expect(errors).toContainText('runs[0].model.kind: expected "simulated" or "webllm" or "server" or "wllama" or "recorded", found string "__proto__"');
  await expect(errors).toContainText(`steps[${j}].acceptProb: is -3; it must be between 0 and 1`);
  await expect(errors).toContainText(`steps[${j}].draw: is 5; a uniform draw is at least 0 and below 1`);
  await expect(page.getByTestId('run-entry')).toHaveCount(1); // only the run made here
});
