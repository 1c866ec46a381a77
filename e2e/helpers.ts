// Shared steps of the end-to-end specs: create a run through the set-up screen and read the
// figures the way a user reads them.
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export { freePort } from '../scripts/ports';

/** The widths the screenshot specs take pictures at. */
export const screenshotSizes = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

/** Where the screenshot specs write: SCREENSHOTS names a folder (SCREENSHOTS=1: test-results/screens); unset, they skip. */
export const screenshotDir = process.env.SCREENSHOTS === '1' ? 'test-results/screens' : process.env.SCREENSHOTS;

export interface RunOptions {
  task?: string; // dataset id; the first task card when omitted
  iterations?: number;
  poolSize?: number;
  seed?: number;
  speed?: Speed | null; // chosen on the run screen (a new run plays at 5 steps a second); Max unless named; null: the run's own
}

/** A choice of the run screen's speed select. */
export type Speed = '1' | '5' | '20' | 'max';

/** Chooses the open run's speed, and waits until this browser's storage keeps it with the run
 *  (nothing on screen says so: a reload at once would otherwise race the write). */
export async function chooseSpeed(page: Page, speed: Speed): Promise<void> {
  await page.getByTestId('input-speed').selectOption(speed);
  const runId = new URLSearchParams(new URL(page.url()).hash.slice(1)).get('run');
  const wanted = speed === 'max' ? null : Number(speed);
  await expect.poll(() => storedSpeed(page, runId ?? '')).toBe(wanted);
}

/** The speed stored with a run in the app's IndexedDB (database 'icm', store 'runs'). */
function storedSpeed(page: Page, runId: string): Promise<number | null | undefined> {
  return page.evaluate(
    (id) =>
      new Promise<number | null | undefined>((resolve, reject) => {
        const open = indexedDB.open('icm');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('runs').objectStore('runs').get(id);
          get.onsuccess = () => {
            open.result.close();
            resolve((get.result as { stepsPerSecond?: number | null } | undefined)?.stepsPerSecond);
          };
          get.onerror = () => reject(get.error);
        };
      }),
    runId,
  );
}

/** Opens the app, fills the set-up form and creates a run; resolves on the run screen, the run
 *  set to play as fast as the model allows (the tests' pace) unless `speed` says otherwise. */
export async function createRun(page: Page, opts: RunOptions = {}): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  const card = opts.task ? page.getByTestId(`task-${opts.task}`) : page.locator('[data-testid^="task-"]').first();
  await card.click();
  if (opts.iterations !== undefined) await page.getByTestId('input-iterations').fill(String(opts.iterations));
  if (opts.poolSize !== undefined) await page.getByTestId('input-poolSize').fill(String(opts.poolSize));
  if (opts.seed !== undefined) await page.getByTestId('input-seed').fill(String(opts.seed));
  await page.getByTestId('btn-create').click();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await expect(page).toHaveURL(/#run=/);
  if (opts.speed !== null) await chooseSpeed(page, opts.speed ?? 'max');
}

/** "123 / 1,000" → 123 */
export async function iteration(page: Page): Promise<number> {
  const text = (await page.getByTestId('fig-iteration').textContent()) ?? '';
  return Number(text.split('/')[0].replace(/[^0-9]/g, ''));
}

/** "40 / 128" → 40 */
export async function labeled(page: Page): Promise<number> {
  const text = (await page.getByTestId('fig-labeled').textContent()) ?? '';
  return Number(text.split('/')[0].replace(/[^0-9]/g, ''));
}

/** The label column of the whole items table, top to bottom: "True" / "False" / "—". */
export async function labelColumn(page: Page): Promise<string[]> {
  const more = page.getByTestId('btn-show-all');
  if ((await more.count()) > 0 && (await more.textContent())?.startsWith('Show all')) await more.click();
  return page.getByTestId('item-label').allTextContents();
}

/** Waits until the run has made at least `n` steps. */
export async function waitForIteration(page: Page, n: number, timeout = 240_000): Promise<void> {
  await expect.poll(() => iteration(page), { timeout }).toBeGreaterThanOrEqual(n);
}

/** Pauses and waits until the step in flight at the click has landed, so the figures are final. */
export async function pauseAndSettle(page: Page): Promise<number> {
  await page.getByTestId('btn-pause').click();
  await expect(page.getByTestId('status')).toHaveText('Paused');
  let last = -1;
  await expect
    .poll(
      async () => {
        const now = await iteration(page);
        const stable = now === last;
        last = now;
        return stable;
      },
      { intervals: [300], timeout: 10_000 },
    )
    .toBe(true);
  return last;
}

export interface ServerForm {
  url: string;
  task?: string; // dataset id; the first task card when omitted
  poolSize?: number;
  iterations?: number;
  seed?: number;
  timeoutS?: number;
  more?: Record<string, number>; // any other numeric field, by its name (input-<name>)
}

/** The set-up screen with your own server chosen and its fields filled in (the model left for the check). */
export async function chooseServer(page: Page, form: ServerForm): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await (form.task ? page.getByTestId(`task-${form.task}`) : page.locator('[data-testid^="task-"]').first()).click();
  await page.getByTestId('choice-server').click();
  await expect(page.getByTestId('server-settings')).toBeVisible();
  await expect(page.getByTestId('input-baseUrl')).toHaveValue('http://127.0.0.1:8000');
  await page.getByTestId('input-baseUrl').fill(form.url);
  if (form.timeoutS !== undefined) await page.getByTestId('input-timeoutS').fill(String(form.timeoutS));
  if (form.poolSize !== undefined) await page.getByTestId('input-poolSize').fill(String(form.poolSize));
  if (form.iterations !== undefined) await page.getByTestId('input-iterations').fill(String(form.iterations));
  if (form.seed !== undefined) await page.getByTestId('input-seed').fill(String(form.seed));
  for (const [name, value] of Object.entries(form.more ?? {})) await page.getByTestId(`input-${name}`).fill(String(value));
  // a server on this machine: no consent step, and the screen says where the texts go
  await expect(page.getByTestId('privacy-notice')).toHaveAttribute('data-local', 'true');
  await expect(page.getByTestId('privacy-notice')).toContainText('stay on this machine');
  await expect(page.getByTestId('privacy-confirm')).toHaveCount(0);
}

/** Presses Check connection; every check must pass, and the model field takes the served name. */
export async function checkPasses(page: Page, model: string, timeout = 15_000): Promise<void> {
  await page.getByTestId('btn-check-connection').click();
  await expect(page.getByTestId('connection-check')).toHaveAttribute('data-phase', 'passed', { timeout });
  for (const name of ['reachable', 'cors', 'auth', 'model', 'logprobs', 'labels'])
    await expect(page.getByTestId(`check-${name}`)).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('input-serverModel')).toHaveValue(model);
}
