// Two tabs of one browser on one run (issue 21, item 1): opening a playing run's address in a
// second tab makes that tab follow it read-only, saying why, never a second writer; Pause there
// pauses the playing tab, and Run then moves the writing to it. Whatever the two tabs did, the
// backup afterwards has one log per run that its state follows, and imports into a fresh browser.
// A run deleted in one tab while the other plays it leaves that tab saying so.
import type { Page } from '@playwright/test';
import { expect, isLocal, test } from './fixtures';
import { createRun, iteration, waitForIteration } from './helpers';
import { downloadText } from './labeling-steps';

const runIdOf = (page: Page) => new URLSearchParams(new URL(page.url()).hash.slice(1)).get('run') ?? '';

/** Waits until the figures stop moving (the step in flight at a pause has landed). */
async function settled(page: Page): Promise<number> {
  let last = -1;
  await expect
    .poll(async () => {
      const now = await iteration(page);
      const same = now === last;
      last = now;
      return same;
    }, { intervals: [300] })
    .toBe(true);
  return last;
}

test('a run open in two tabs has one writer: the second tab follows it and says why, and the backup imports whole', async ({ page, context, browser }) => {
  await createRun(page, { iterations: 100_000, poolSize: 24 });
  await page.getByTestId('btn-play').click();
  await waitForIteration(page, 5);
  const id = runIdOf(page);

  // the same address in a second tab, no click: it is not played there too
  const second = await context.newPage();
  await second.goto(`/#run=${id}`);
  await expect(second.getByTestId('run-screen')).toBeVisible();
  await expect(second.getByTestId('played-elsewhere')).toContainText('Playing in another tab of this browser');
  await expect(second.getByTestId('status')).toHaveText('Running');
  for (const button of ['btn-play', 'btn-step', 'btn-reset']) await expect(second.getByTestId(button)).toBeDisabled();
  await expect(second.getByTestId('run-entry').filter({ hasText: 'running in another tab' })).toHaveCount(1);
  await expect(page.getByTestId('played-elsewhere')).toHaveCount(0); // the writer's own tab says nothing of the kind
  // …and follows it live
  const followed = await iteration(second);
  await waitForIteration(second, followed + 5);

  // Pause in the following tab pauses the playing one; then Run there makes it the one writer
  await second.getByTestId('btn-pause').click();
  await expect(page.getByTestId('status')).toHaveText('Paused');
  await expect(second.getByTestId('status')).toHaveText('Paused');
  await expect(second.getByTestId('played-elsewhere')).toHaveCount(0);
  const stopped = await settled(page);
  await expect.poll(() => iteration(second)).toBe(stopped);
  await second.getByTestId('btn-play').click();
  await waitForIteration(second, stopped + 5);
  await expect(page.getByTestId('played-elsewhere')).toBeVisible();
  await expect(page.getByTestId('btn-play')).toBeDisabled();
  await waitForIteration(page, stopped + 5); // the first tab follows it now
  await page.getByTestId('btn-pause').click();
  await expect(second.getByTestId('status')).toHaveText('Paused');
  const final = await settled(second);
  await expect.poll(() => iteration(page)).toBe(final);

  // the backup: the run's log is steps 1…n, its state at n, as both tabs show
  await second.getByTestId('nav-import').click();
  const { download, text } = await downloadText(second, () => second.getByTestId('btn-export-project').click());
  const project = JSON.parse(text) as { runs: { id: string; state: { iteration: number } | null }[]; steps: { runId: string; iteration: number }[] };
  const run = project.runs.find((r) => r.id === id);
  expect(run?.state?.iteration).toBe(final);
  expect(project.steps.filter((s) => s.runId === id).map((s) => s.iteration)).toEqual(Array.from({ length: final }, (_, i) => i + 1));

  // …and a fresh browser takes it whole
  const fresh = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  try {
    await fresh.route((url) => !isLocal(url.href), (route) => route.abort('internetdisconnected'));
    const other = await fresh.newPage();
    await other.goto('/#import');
    await other.getByTestId('project-file').setInputFiles(await download.path());
    await expect(other.getByTestId('project-imported')).toContainText('1 run');
    await other.getByTestId('run-entry').first().getByRole('link').click();
    await expect.poll(() => iteration(other)).toBe(final);
  } finally {
    await fresh.close();
  }
});

test('a run deleted in one tab while another plays it: the playing tab stops and says so', async ({ page, context }) => {
  await createRun(page, { iterations: 100_000, poolSize: 24 });
  await page.getByTestId('btn-play').click();
  await waitForIteration(page, 3);
  const id = runIdOf(page);

  const second = await context.newPage();
  await second.goto('/');
  await expect(second.getByTestId('run-entry')).toHaveCount(1);
  second.once('dialog', (d) => void d.accept());
  await second.getByTestId('btn-delete').click();
  await expect(second.getByTestId('run-entry')).toHaveCount(0);

  await expect(page.getByTestId('alert-message')).toContainText('was deleted in another tab of this browser');
  await expect(page.getByTestId('run-screen')).toHaveCount(0);
  await expect(page.getByTestId('run-entry')).toHaveCount(0);
  // nothing of it comes back: a reload of its address lists no run and opens none
  await page.goto(`/#run=${id}`);
  await page.reload();
  await expect(page.getByTestId('run-missing')).toContainText('There is no run at this address in this browser');
  await expect(page.getByTestId('run-entry')).toHaveCount(0);
  await expect(page.getByTestId('run-screen')).toHaveCount(0);
});
