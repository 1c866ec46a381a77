// Shared steps of the learn specs: finish a run, click a chart at a step, read the inspector.
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** Plays the open run at full speed until it is finished and the plots have every step. */
export async function finish(page: Page, steps: number, timeout = 60_000): Promise<void> {
  await page.getByTestId('btn-play').click();
  await expect(page.getByTestId('status')).toHaveText('Finished', { timeout });
  await expect(page.getByTestId('chart-U')).toHaveAttribute('data-last', String(steps));
}

/** Clicks a chart at step k (the chart says where its steps lie, in CSS px). Returns how many
 *  steps one pixel spans: a click can only be that precise. */
export async function clickStep(page: Page, chart: string, k: number): Promise<number> {
  const canvas = page.getByTestId(`chart-${chart}`);
  const [left, width, last] = await Promise.all(['data-left', 'data-plot-width', 'data-last'].map(async (a) => Number(await canvas.getAttribute(a))));
  const box = await canvas.boundingBox();
  if (!box) throw new Error(`chart ${chart} is not on screen`);
  await canvas.click({ position: { x: left + (k / last) * width, y: box.height / 2 } });
  return last / width;
}

export interface ShownStep {
  iteration: string;
  item: string;
  proposal: string;
  outcome: string;
}

/** What the inspector shows of the step on show. */
export async function shownStep(page: Page): Promise<ShownStep> {
  const text = (id: string) => page.getByTestId(id).first().textContent().then((t) => (t ?? '').trim());
  const [iteration, item, proposal, outcome] = await Promise.all(['inspector-iteration', 'inspector-item', 'inspector-proposal', 'inspector-outcome'].map(text));
  return { iteration, item, proposal, outcome };
}

/** Steps 1 … n as the inspector shows them, moving with the arrow keys from the seed labels. */
export async function firstSteps(page: Page, n: number): Promise<ShownStep[]> {
  const inspector = page.getByTestId('step-inspector');
  await inspector.focus();
  await page.keyboard.press('Home');
  const out: ShownStep[] = [];
  for (let k = 1; k <= n; k++) {
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('inspector-iteration')).toHaveText(String(k));
    out.push(await shownStep(page));
  }
  return out;
}
