// Teaching the algorithm: play, pause, step and speed; replaying a finished run from its log
// without the model; clicking a plot point opens that step in the inspector.
import { expect, test } from './fixtures';
import { chooseSpeed, createRun, iteration, labelColumn, pauseAndSettle, waitForIteration } from './helpers';
import { clickStep, finish, shownStep } from './learn-helpers';

test('play at a chosen speed, change it while playing, pause and step', async ({ page }) => {
  await createRun(page, { iterations: 5000, poolSize: 32 });
  await page.getByTestId('input-speed').selectOption('5');
  await page.getByTestId('btn-play').click();
  await expect(page.getByTestId('status')).toHaveText('Running');
  await page.waitForTimeout(2000);
  const slow = await iteration(page);
  expect(slow).toBeGreaterThanOrEqual(3);
  expect(slow).toBeLessThanOrEqual(16); // about 5 a second

  await page.getByTestId('input-speed').selectOption('max'); // the worker takes the new speed while playing
  await waitForIteration(page, slow + 100);

  const paused = await pauseAndSettle(page);
  // the inspector follows the newest step
  await expect(page.getByTestId('inspector-iteration')).toHaveText(String(paused));
  await page.getByTestId('btn-step').click();
  await expect(page.getByTestId('fig-iteration')).toHaveText(`${(paused + 1).toLocaleString('en-US')} / 5,000`);
  await expect(page.getByTestId('inspector-iteration')).toHaveText(String(paused + 1));
  await expect(page.getByTestId('replay-position')).toHaveText(`Step ${(paused + 1).toLocaleString('en-US')} of ${(paused + 1).toLocaleString('en-US')}`);
  // a paused step shows the text the model read
  await page.getByTestId('model-read').locator('summary').click();
  await expect(page.getByTestId('model-read-text')).toContainText('Claim:');

  // Reset asks first: dismissed, nothing changes; accepted, it empties the plots and the
  // inspector, and the next step is step 1 again
  const asked: string[] = [];
  page.once('dialog', (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await page.getByTestId('btn-reset').click();
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]).toMatch(new RegExp(`^Reset run “.*”\\? Its ${paused + 1} steps and its labels are deleted`));
  await expect(page.getByTestId('replay-position')).toHaveText(`Step ${(paused + 1).toLocaleString('en-US')} of ${(paused + 1).toLocaleString('en-US')}`);
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('btn-reset').click();
  await expect(page.getByTestId('replay-position')).toHaveText('No steps yet');
  await expect(page.getByTestId('chart-U')).toHaveAttribute('data-last', '0');
  await page.getByTestId('btn-step').click();
  await expect(page.getByTestId('inspector-iteration')).toHaveText('1');
  await expect(page.getByTestId('replay-position')).toHaveText('Step 1 of 1');
});

test('a new run plays at a speed a person can follow, and a speed chosen holds after a reload', async ({ page }) => {
  await createRun(page, { iterations: 5000, poolSize: 32, speed: null });
  await expect(page.getByTestId('input-speed')).toHaveValue('5'); // not Max: a default run would be over in seconds
  await page.getByTestId('btn-play').click();
  await waitForIteration(page, 2);
  // about 5 a second, not as many as the model allows (hundreds): the steps shown between two
  // looks, against the time between them however long a busy machine made it (the page may
  // show a push of the steps of a quarter second at once)
  const t0 = Date.now();
  const seen = await iteration(page);
  await page.waitForTimeout(2000);
  const now = await iteration(page);
  expect(now - seen).toBeLessThanOrEqual(5 * ((Date.now() - t0) / 1000) + 5);

  await chooseSpeed(page, '20');
  await page.reload();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await expect(page.getByTestId('input-speed')).toHaveValue('20');
  await expect(page.getByTestId('status')).toHaveText('Running'); // it plays on, at that speed
  await chooseSpeed(page, 'max');
  await pauseAndSettle(page);
  await page.reload();
  await expect(page.getByTestId('input-speed')).toHaveValue('max');
  await chooseSpeed(page, '1'); // chosen while paused: kept too
  await page.reload();
  await expect(page.getByTestId('input-speed')).toHaveValue('1');
});

test('while a run plays, the iteration, the replay bar and the inspector show the same step', async ({ page }) => {
  await createRun(page, { iterations: 5000, poolSize: 32 });
  await page.getByTestId('input-speed').selectOption('20');
  await page.getByTestId('btn-play').click();
  await waitForIteration(page, 3);
  // each sample is one look at the screen (one task of the page): the three numbers it shows
  const look = () =>
    page.evaluate(() => {
      const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
      const num = (t: string) => Number(t.replace(/,/g, '').match(/\d+/)?.[0] ?? NaN);
      return { iteration: num(text('fig-iteration')), bar: num(text('replay-position')), inspector: num(text('inspector-iteration')) };
    });
  const looks = [];
  for (let i = 0; i < 25; i++) {
    looks.push(await look());
    await page.waitForTimeout(70);
  }
  await page.getByTestId('btn-pause').click();
  expect(new Set(looks.map((l) => l.iteration)).size).toBeGreaterThan(3); // it played while looked at
  for (const l of looks) expect([l.bar, l.inspector]).toEqual([l.iteration, l.iteration]);
});

test('a finished run replays from its log without the model', async ({ page }) => {
  await createRun(page, { iterations: 150, poolSize: 32 });
  await finish(page, 150);
  const finalLabels = await labelColumn(page);
  const tokens = await page.getByTestId('fig-tokens').textContent();
  const entry = await page.getByTestId('run-entry').textContent();

  // the start: only the seed labels
  await page.getByTestId('replay-slider').fill('0');
  await expect(page.getByTestId('replay-position')).toHaveText('Step 0 of 150');
  await expect(page.getByTestId('fig-iteration')).toHaveText('0 / 150');
  await expect(page.getByTestId('items-at')).toHaveText('labels after step 0');
  const seeded = (await labelColumn(page)).filter((l) => l !== '—').length;
  expect(seeded).toBeGreaterThanOrEqual(8);
  expect(seeded).toBeLessThan(finalLabels.filter((l) => l !== '—').length);

  // replay moves through the steps by itself, and stops where it is told (at 1 step a second the
  // 150 steps take minutes, so however slow the machine, the stop lands before the end)
  await page.getByTestId('input-speed').selectOption('1');
  await page.getByTestId('btn-replay').click();
  await expect(page.getByTestId('btn-replay')).toHaveText(/Stop/);
  await expect.poll(() => iteration(page)).toBeGreaterThanOrEqual(2);
  await page.getByTestId('btn-replay').click();
  const stopped = await iteration(page);
  await page.waitForTimeout(500);
  expect(await iteration(page)).toBe(stopped);
  expect(stopped).toBeLessThan(150);
  await expect(page.getByTestId('inspector-iteration')).toHaveText(String(stopped));
  await page.getByTestId('btn-replay-forward').click();
  await expect(page.getByTestId('inspector-iteration')).toHaveText(String(stopped + 1));

  // at full speed it runs to the end and follows the newest step again
  await page.getByTestId('input-speed').selectOption('max');
  await page.getByTestId('btn-replay').click();
  await expect(page.getByTestId('replay-live')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('fig-iteration')).toHaveText('150 / 150');
  expect(await labelColumn(page)).toEqual(finalLabels);

  // the run itself was not touched: no step, no token read
  await expect(page.getByTestId('status')).toHaveText('Finished');
  await expect(page.getByTestId('fig-tokens')).toHaveText(tokens ?? '');
  await expect(page.getByTestId('run-entry')).toHaveText(entry ?? '');
});

test('clicking a plot point opens that step in the inspector; arrow keys move it', async ({ page }) => {
  await createRun(page, { iterations: 150, poolSize: 32, seed: 4 });
  await finish(page, 150);

  await clickStep(page, 'U', 37);
  await expect(page.getByTestId('inspector-iteration')).toHaveText('37');
  await expect(page.getByTestId('replay-position')).toHaveText('Step 37 of 150');
  await expect(page.getByTestId('fig-iteration')).toHaveText('37 / 150');
  const at37 = await shownStep(page);

  await clickStep(page, 'T', 120);
  await expect(page.getByTestId('inspector-iteration')).toHaveText('120');
  await clickStep(page, 'labeled', 37);
  await expect(page.getByTestId('inspector-iteration')).toHaveText('37');
  expect(await shownStep(page)).toEqual(at37); // the same step from any chart

  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('inspector-iteration')).toHaveText('38');
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(page.getByTestId('inspector-iteration')).toHaveText('28');
  // the step opened is the persisted one: the worker's detail of it has the text the model read
  await page.getByTestId('model-read').locator('summary').click();
  await expect(page.getByTestId('model-read-text')).toContainText('I think this claim is');
  await page.keyboard.press('End');
  await expect(page.getByTestId('replay-live')).toBeVisible();
  await expect(page.getByTestId('inspector-iteration')).toHaveText('150');

  // the last steps table opens a step too
  await page.getByTestId('steps-table').getByRole('button', { name: '149' }).click();
  await expect(page.getByTestId('inspector-iteration')).toHaveText('149');
});

test('under the blocks plan the inspector shows the block the model read, not a leave-one-out text', async ({ page }) => {
  // seed 3, 16 items, 4 blocks: at step 9 the search re-samples a labeled item, whose label the
  // last evaluation read inside its block (src/lib/icm/plan.ts proposalSequence)
  await createRun(page, { task: 'builtin-math', iterations: 40, poolSize: 16, seed: 3 });
  await finish(page, 40);
  await page.getByTestId('replay-slider').fill('9');
  await expect(page.getByTestId('inspector-iteration')).toHaveText('9');
  await page.getByTestId('model-read').locator('summary').click();
  const text = (await page.getByTestId('model-read-text').textContent()) ?? '';
  // all 16 items are labeled: leave-one-out would read 15 demonstrations and the target; the
  // block read the other 3 blocks' 12 items, then the item itself (the first of its block)
  expect(text.split('I think this claim is').length - 1).toBe(13);
  expect(text.endsWith('I think this claim is')).toBe(true);
  expect(text.trimEnd().split('\n\n').at(-1)).toContain('Hana buys 6 mugs at $4 each and a card for $2.');
});

test('blocks through a prefix tree: chosen under Scoring plan, run to the end, and the inspector shows the block as read, changed items last', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('task-builtin-math').click();
  await page.getByTestId('input-plan').selectOption('treeBlocks');
  await page.getByTestId('input-blocks').fill('2');
  await page.getByTestId('input-poolSize').fill('16');
  await expect(page.getByTestId('setup-screen')).toContainText('a model with a prefix cache computes about');
  await page.getByTestId('input-iterations').fill('40');
  await page.getByTestId('input-seed').fill('3');
  await expect(page).toHaveURL(/plan=treeBlocks/);
  await page.getByTestId('btn-create').click();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await finish(page, 40);
  // step 11 re-samples item 2 (block 0 of 2), which the last evaluation read after the other
  // block's 8 items and 3 of its own: they changed earlier, so they were read last (plan.ts);
  // in pool order it would have come second in its block
  await page.getByTestId('replay-slider').fill('11');
  await expect(page.getByTestId('inspector-iteration')).toHaveText('11');
  await page.getByTestId('model-read').locator('summary').click();
  const text = (await page.getByTestId('model-read-text').textContent()) ?? '';
  expect(text.split('I think this claim is').length - 1).toBe(12);
  expect(text.endsWith('I think this claim is')).toBe(true);
  expect(text.trimEnd().split('\n\n').at(-1)).toContain('We need the change from $50.');
});
