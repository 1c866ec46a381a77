// npm run screenshots: pictures of the main screens for the README, at 1280×800 (desktop) and
// 390×844 (phone), written to docs/screenshots/<screen>-<size>.png. Builds nothing: it serves
// the last build (dist/, from `npx vite build`) with vite preview and drives headless Chromium
// (/usr/bin/chromium, or CHROMIUM_PATH) with the network closed, as the end-to-end tests do.
// Every run in the pictures uses the simulated model, so they are the same on every machine.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from '@playwright/test';
import { waitForServer } from './preview';

const PORT = 4182;
const BASE = `http://127.0.0.1:${PORT}`;
const OUT = 'docs/screenshots';
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
type Size = (typeof SIZES)[number];

// the run shown: a pool of 64 items on the math task, 400 steps, seed 2
const RUN_QUERY = '?seed=2&iterations=400&poolSize=64';

async function newPage(browser: Browser, size: Size): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, deviceScaleFactor: 1 });
  await context.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname), (route) => route.abort('internetdisconnected'));
  return context.newPage();
}

async function shoot(page: Page, name: string, size: Size): Promise<void> {
  await page.waitForTimeout(400); // canvases paint on the next animation frame
  const path = `${OUT}/${name}-${size.name}.png`;
  await page.screenshot({ path });
  console.log(`wrote ${path}`);
}

/** Scrolls so the element's top is just below the viewport's top. */
async function scrollTo(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 12));
}

async function screens(browser: Browser, size: Size): Promise<void> {
  // a first visit: a fresh profile on the bare address, a few seconds into the demo run
  const first = await newPage(browser, size);
  await first.goto(`${BASE}/`);
  await first.getByTestId('first-visit-caption').waitFor();
  await first.waitForTimeout(3000);
  await shoot(first, 'first-visit', size);
  await first.context().close();

  const page = await newPage(browser, size);
  await page.goto(`${BASE}/${RUN_QUERY}`);
  await page.getByTestId('setup-screen').waitFor();
  await shoot(page, 'setup', size);

  await page.getByTestId('btn-create').click();
  await page.getByTestId('run-screen').waitFor();
  await page.getByTestId('btn-play').click();
  await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 60_000 });
  await page.getByTestId('chart-U').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="chart-U"]')?.getAttribute('data-last') === '400');
  await shoot(page, 'run', size);

  await scrollTo(page, 'run-plots');
  await shoot(page, 'plots', size);

  // the first step that shows every stage at work: a ConsistencyFix repair, then a rejection
  await page.getByTestId('replay-slider').fill('1');
  await page.getByTestId('step-inspector').focus();
  for (let k = 1; k < 400; k++) {
    const full = await page.evaluate(
      () => document.querySelector('[data-testid="fix-moves"]') !== null && document.querySelector('[data-testid="inspector-outcome"]')?.textContent === 'rejected',
    );
    if (full) break;
    await page.keyboard.press('ArrowRight');
  }
  await page.getByTestId('model-read-text').waitFor({ state: 'attached' });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()); // no focus ring in the picture
  await scrollTo(page, 'step-inspector');
  await shoot(page, 'inspector', size);

  // a lesson pointing at the temperature: the chart and the equation light up
  await page.getByTestId('lesson-panel').getByRole('button', { name: '5. Cool down' }).click();
  await page.getByTestId('focus-T').click();
  await scrollTo(page, size.name === 'phone' ? 'explain' : 'run-plots');
  await shoot(page, 'lesson', size);

  // the screens of the import and review work, where this build has them
  const runHash = new URL(page.url()).hash;
  for (const [name, hash] of [['review', `${runHash}&view=review`], ['import', '#import']]) {
    await page.goto(`${BASE}/${hash}`);
    const screen = page.getByTestId(`${name}-screen`);
    if (await screen.waitFor({ timeout: 5000 }).then(() => true, () => false)) await shoot(page, name, size);
  }
  await page.context().close();
}

async function main(): Promise<void> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync('dist/index.html')) throw new Error('No build in dist/: run `npx vite build` first.');
  if (!existsSync(executablePath)) throw new Error(`No Chromium at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  mkdirSync(OUT, { recursive: true });
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-webgpu'],
  });
  try {
    await waitForServer(`${BASE}/`, 30_000);
    for (const size of SIZES) await screens(browser, size);
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
