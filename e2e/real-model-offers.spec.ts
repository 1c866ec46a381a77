// A real model one click away, with the network closed: the run recorded on a real model
// (src/lib/data/recorded/, `npm run record-real`) opens from the first-visit caption as a finished,
// read-only run that says what it was recorded on, replays to its last step by itself, and shows
// the text the model read; "Run it on a real model in this browser" proposes llama.cpp in
// WebAssembly here (headless Chromium's WebGPU is SwiftShader, without shader-f16) with its
// download size and host, and downloads nothing until the person confirms.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { labelColumn } from './helpers';
import { millis } from '../src/ui/format';

const recording = JSON.parse(readFileSync('src/lib/data/recorded/smollm2-factual.json', 'utf8')) as {
  model: { name: string };
  machine: { text: string };
  recordedAt: string;
  seconds: number;
  config: { iterations: number };
  items: string[];
  steps: { iteration: number; accepted: boolean }[];
};

/** The share of True among the labels the items table shows ("True" / "False" / "—"), and how many are labeled. */
async function tableShare(page: Page): Promise<{ labeled: number; shareTrue: number }> {
  const labels = (await labelColumn(page)).filter((l) => l !== '—');
  return { labeled: labels.length, shareTrue: labels.filter((l) => l === 'True').length / Math.max(1, labels.length) };
}

test.describe('the first visit', () => {
  test.use({ firstVisit: true });

  test('the recorded real-model run opens from the caption and replays to its last step, with the text the model read', async ({ page, network }) => {
    await page.goto('/');
    const caption = page.getByTestId('first-visit-caption');
    await expect(caption).toBeVisible();
    await caption.getByTestId('btn-recorded-run').click();

    const screen = page.getByTestId('run-screen');
    await expect(screen).toHaveAttribute('data-run-id', 'recorded-smollm2-factual');
    const label = `Recorded on ${recording.model.name} on ${recording.machine.text}, ${recording.recordedAt.slice(0, 10)}`;
    await expect(page.getByTestId('run-model')).toContainText(`${recording.model.name}, recorded (not live)`);
    await expect(page.getByTestId('recorded-notice')).toContainText(label);
    await expect(page.getByTestId('recorded-notice')).toContainText('Not live');
    await expect(page.getByTestId('finished')).toContainText(`Finished: ${recording.config.iterations} iterations`);
    // read-only: nothing here runs, steps or resets it
    for (const id of ['btn-play', 'btn-step', 'btn-reset']) await expect(page.getByTestId(id)).toHaveCount(0);

    // it replays by itself from the seed labels, one step a second; faster to get to the end here
    const last = recording.config.iterations;
    await expect(page.getByTestId('btn-replay')).toHaveText(/Stop replay/);
    await expect(page.getByTestId('replay-position')).toContainText(`of ${last}`);
    await page.getByTestId('input-speed').selectOption('max');
    await expect(page.getByTestId('replay-position')).toHaveText(`Step ${last} of ${last}`, { timeout: 30_000 });
    await expect(page.getByTestId('btn-replay')).not.toHaveText(/Stop/);

    // the inspector shows the last step and the exact text the model read for it
    await expect(page.getByTestId('inspector-iteration')).toHaveText(String(last));
    await page.getByTestId('model-read').locator('summary').click();
    const read = page.getByTestId('model-read-text');
    await expect(read).toContainText('Is this answer to the question correct?'); // the task line a language model is shown
    await expect(read).toContainText('I think this claim is');
    // and step by step back through it
    await page.getByTestId('btn-inspect-prev').click();
    await expect(page.getByTestId('inspector-iteration')).toHaveText(String(last - 1));
    await expect(read).toContainText('I think this claim is');

    // it is listed as a run; opening it again opens the same run, not a copy
    await expect(page.getByTestId('run-entry').filter({ hasText: 'recorded on' })).toHaveCount(1);
    await page.reload();
    await expect(screen).toHaveAttribute('data-run-id', 'recorded-smollm2-factual');
    await expect(page.getByTestId('finished')).toBeVisible();
    expect(network.remote()).toEqual([]); // nothing was downloaded: the log ships with the app
  });
});

test('the recorded run replayed: its notices describe the step on show, its speed is the recording’s, idle steps can be skipped, and a plot is on the first screen (issue 25, item 6)', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('btn-recorded-run').click();
  await expect(page.getByTestId('run-screen')).toHaveAttribute('data-run-id', 'recorded-smollm2-factual');
  await expect(page.getByTestId('btn-replay')).toHaveText(/Stop replay/);
  const last = recording.config.iterations;

  // at 1280×800 the first plots are on the screen as it opens, and at the last step, whatever notice shows
  const plotOnScreen = async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await page.getByTestId('chart-U').boundingBox();
    expect(box).not.toBeNull();
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(800);
  };
  await plotOnScreen();

  // the speed figures are the recording's: its wall time over its steps, and prompt tokens a second
  await expect(page.getByTestId('fig-ms-per-step')).toHaveText(millis((recording.seconds * 1000) / recording.steps.length));
  await expect(page.getByTestId('fig-prefill')).toHaveText(/^[\d,]+ tok\/s$/);
  await expect(page.getByTestId('recorded-notice')).toContainText('the run took');

  // each notice describes the labels the table shows at the step on show
  await page.getByTestId('btn-replay').click(); // stop
  const replayPosition = page.getByTestId('replay-position');
  for (const k of [1, Math.ceil(last / 2), last]) {
    await page.getByTestId('replay-slider').fill(String(k));
    await expect(replayPosition).toHaveText(`Step ${k} of ${last}`);
    const { labeled, shareTrue } = await tableShare(page);
    const notice = page.getByTestId('degenerate-notice');
    const one = Math.max(shareTrue, 1 - shareTrue);
    if (labeled >= 8 && one >= 0.95) await expect(notice).toContainText(`${Math.round(one * 100)}% of the labeled items are ${shareTrue >= 0.5 ? 'True' : 'False'}`);
    else await expect(notice.filter({ hasText: 'of the labeled items are' })).toHaveCount(0);
    // and so does the lesson's "This run" (issue 25, item 1)
    await expect(page.getByTestId('lesson-run-facts')).toContainText(`at step ${k} of ${last}: ${labeled} of ${recording.items.length} items labeled, ${Math.round(shareTrue * labeled)} of them True`);
    if (labeled >= 8 && one >= 0.95) await expect(page.getByTestId('lesson')).not.toContainText(/Truth found|climbs above 80%/);
  }
  await plotOnScreen();

  // from the seed labels, "skip" jumps over the steps that change no label, to the next that does, then to the end
  const changes = recording.steps.filter((st) => st.accepted).map((st) => st.iteration);
  await page.getByRole('button', { name: 'To the seed labels' }).click();
  await expect(replayPosition).toHaveText(`Step 0 of ${last}`);
  const skip = page.getByTestId('btn-skip-change');
  let at = 0;
  let skipped = 0;
  while (at < last) {
    const next = changes.find((c) => c > at) ?? null;
    if (next === at + 1) {
      await expect(skip).toHaveCount(0); // the next step changes a label: nothing to skip
      await page.getByTestId('btn-replay-forward').click();
      at = next;
    } else {
      await expect(skip).toHaveText(next === null ? 'Skip to the end: no label changes after this' : `Skip to the next change, step ${next}`);
      await skip.click();
      at = next ?? last;
      skipped++;
    }
    await expect(replayPosition).toHaveText(`Step ${at} of ${last}`);
  }
  expect(skipped).toBeGreaterThan(0);
});

test('"Run it on a real model in this browser" proposes llama.cpp in WebAssembly with its download, and downloads nothing before the person confirms', async ({ page, network }) => {
  await page.goto('/');
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await page.getByTestId('btn-real-model').click();
  const confirm = page.getByTestId('real-model-confirm');
  await expect(confirm).toBeVisible();
  await expect(page.getByTestId('real-model-choice')).toContainText('SmolLM2 135M through llama.cpp in WebAssembly, on the CPU');
  await expect(page.getByTestId('real-model-choice')).toContainText(/software fallback|shader-f16|WebGPU is not available/);
  await expect(page.getByTestId('real-model-download')).toContainText('about 92 MB from huggingface.co');
  await expect(page.getByTestId('real-model-pool')).toContainText('Then ICM labels Factual claims (generated): a pool of 8 items');
  await page.waitForTimeout(500); // anything a proposal would fetch by itself has had time to start
  expect(network.remote()).toEqual([]);

  // "Not now" goes back without a download; confirming asks the model host (closed here) for that file only
  await page.getByTestId('btn-real-model-back').click();
  await page.getByTestId('btn-real-model').click();
  await page.getByTestId('btn-real-model-confirm').click();
  await expect(page.getByTestId('real-model-error')).toContainText('SmolLM2 135M could not be loaded', { timeout: 60_000 });
  expect(network.remote().length).toBeGreaterThan(0);
  expect(new Set(network.remote())).toEqual(new Set(['https://huggingface.co/QuantFactory/SmolLM2-135M-GGUF/resolve/main/SmolLM2-135M.Q4_0.gguf']));
  await expect(page.getByTestId('run-entry')).toHaveCount(0); // no run without the model

  // the message says to press Retry, and Retry is what the button offers: it asks the host again
  await expect(page.getByTestId('real-model-error')).toContainText('press Retry');
  const confirmButton = page.getByTestId('btn-real-model-confirm');
  await expect(confirmButton).toHaveText('Retry');
  const asked = network.remote().length;
  await confirmButton.click();
  await expect(page.getByTestId('real-model-progress').or(page.getByText('Creating the run…'))).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId('real-model-error')).toContainText('could not be loaded', { timeout: 60_000 });
  expect(network.remote().length).toBeGreaterThan(asked);
  await expect(confirmButton).toHaveText('Retry');
  // "Not now" forgets the failure: the next offer is a fresh one
  await page.getByTestId('btn-real-model-back').click();
  await page.getByTestId('btn-real-model').click();
  await expect(page.getByTestId('btn-real-model-confirm')).toHaveText('Download and run');
});
