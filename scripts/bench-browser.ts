// The browser half of the benchmark: serve the built app, drive it in headless Chromium, and report
// how long things take and the longest main-thread tasks (PerformanceObserver 'longtask', which
// lists every task over 50 ms). The end-to-end tests check the same paths for what they do; the
// times are measured here, not asserted there, because a busy machine stalls any page now and then.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { spawnGroup } from './process-group';
import { waitForServer } from './preview';

const PORT = 4181;
const PLAY_MS = 8000;

/** The built app served by `vite preview` (its own process group, stopped after) in a fresh Chromium
 *  page at 1280×800; null when it cannot run here (no build, no Chromium). */
async function withApp<T>(port: number, use: (page: Page, url: string) => Promise<T>): Promise<T | null> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync('dist/index.html') || !existsSync(executablePath)) return null;
  const server = spawnGroup('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore' });
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const url = `http://127.0.0.1:${port}/`;
    await waitForServer(url, 60_000);
    return await use(await browser.newPage({ viewport: { width: 1280, height: 800 } }), url);
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** Starts (or restarts) collecting the page's long tasks; `take` returns those since and starts over. */
async function watchLongTasks(page: Page): Promise<{ take(): Promise<number[]> }> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; longTaskObserver?: PerformanceObserver };
    w.longTasks = [];
    if (w.longTaskObserver) return; // one observer, or each task is counted once per call
    w.longTaskObserver = new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration)));
    w.longTaskObserver.observe({ type: 'longtask' });
  });
  return { take: () => page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.splice(0)) };
}

const worst = (tasks: number[]): number => Math.max(0, ...tasks);

/** A new run from the set-up form (not the first visit's demo run) on the first task. */
async function newRun(page: Page, url: string, settings: Record<string, string>): Promise<void> {
  await page.goto(`${url}#new`);
  await page.locator('[data-testid^="task-"]').first().click();
  for (const [name, value] of Object.entries(settings)) await page.getByTestId(`input-${name}`).fill(value);
  await page.getByTestId('btn-create').click();
  await page.getByTestId('run-screen').waitFor();
  await page.waitForTimeout(500); // the run screen's first render is not part of the run
}

/** The worst long task in ms (0 when none passed 50 ms) while a run plays; null when it cannot be measured here. */
export async function worstLongTask(): Promise<number | null> {
  return withApp(PORT, async (page, url) => {
    await newRun(page, url, { iterations: '100000' });
    const tasks = await watchLongTasks(page);
    await page.getByTestId('btn-play').click();
    await page.waitForTimeout(PLAY_MS);
    await page.getByTestId('btn-pause').click();
    return worst(await tasks.take());
  });
}

export interface Plots5000 {
  seconds: number; // to play 5 000 steps (pool 16) at full speed with the plots following
  playingMs: number; // the worst long task meanwhile
  clickingMs: number; // while moving through the steps (replay slider, arrow keys, a chart click)
  reopeningMs: number; // while the run reopens and its plots are rebuilt from the log
}

/** What e2e/learn-perf.spec.ts checks for behaviour, timed: the plots at 5 000 steps. */
export async function plots5000(): Promise<Plots5000 | null> {
  const STEPS = 5000;
  return withApp(PORT + 2, async (page, url) => {
    await newRun(page, url, { iterations: '100000', poolSize: '16' });
    const tasks = await watchLongTasks(page);
    const last = async () => Number(await page.getByTestId('chart-U').getAttribute('data-last'));
    const t0 = performance.now();
    await page.getByTestId('btn-play').click();
    while ((await last()) < STEPS) await page.waitForTimeout(500);
    const seconds = (performance.now() - t0) / 1000;
    const playingMs = worst(await tasks.take());

    await page.getByTestId('btn-pause').click();
    const chart = page.getByTestId('chart-U');
    const box = await chart.boundingBox();
    if (box) await chart.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await page.getByTestId('replay-slider').fill('2500');
    await page.getByTestId('step-inspector').focus();
    for (let i = 0; i < 15; i++) await page.keyboard.press('ArrowLeft');
    await page.waitForTimeout(300);
    const clickingMs = worst(await tasks.take());

    const paused = String(await last());
    await page.getByTestId('btn-new-run').click();
    await page.getByTestId('setup-screen').waitFor();
    await page.waitForTimeout(300);
    await tasks.take(); // the set-up screen's own render is not part of this
    await page.getByTestId('run-entry').first().getByRole('link').click();
    await page.locator(`[data-testid="chart-U"][data-last="${paused}"]`).waitFor({ timeout: 120_000 });
    await page.waitForTimeout(300);
    return { seconds, playingMs, clickingMs, reopeningMs: worst(await tasks.take()) };
  });
}

/** 50 000 rows as CSV: a factual task whose columns the mapping guess maps by itself. */
export function rowsCsv(n: number): string {
  const lines = ['id,question,claim,group,label'];
  for (let i = 0; i < n; i++) {
    const g = Math.floor(i / 4);
    lines.push(`r${i},"Which city is the capital of country ${g}?","City ${g}-${i % 4}${i % 7 === 0 ? ', by the river' : ''}",c${g},${i % 4 === 0 ? 'true' : 'false'}`);
  }
  return lines.join('\n');
}

/** Scrolls the review table as a person would: 40 wheel steps, then long jumps (to ¼, 9⁄10, ½, the end, the top). */
export async function scrollReviewTable(page: Page): Promise<void> {
  const viewport = page.getByTestId('review-viewport');
  await viewport.hover();
  for (let i = 0; i < 40; i++) {
    await page.mouse.wheel(0, 1200);
    await page.waitForTimeout(16);
  }
  for (const to of [0.25, 0.9, 0.5, 1, 0]) {
    await viewport.evaluate((el, f) => el.scrollTo({ top: f * el.scrollHeight }), to);
    await page.waitForTimeout(100);
  }
}

export interface Import50000 {
  toMapping: number; // ms from handing the file to the picker to the mapping step showing
  toTable: number; // the same to the review table of a run on the saved dataset showing rows
  scrollWorstLongTaskMs: number; // the worst long task while that table scrolls (wheel steps and long jumps)
}

/**
 * Importing 50 000 rows through the UI, in ms from handing the file to the picker: to the mapping
 * step showing (the worker has parsed the file and guessed the mapping), and to the review table
 * of a run on the saved dataset showing its first rows (save, create a run, open its review: the
 * clicks themselves take no time); then the worst long task while the table scrolls (what
 * e2e/labeling-scale.spec.ts checks for behaviour). null when it cannot be measured here.
 */
export async function import50000(): Promise<Import50000 | null> {
  return withApp(PORT + 1, async (page, url) => {
    await page.goto(`${url}#import`);
    await page.getByTestId('import-file').waitFor({ state: 'attached' });
    const file = { name: 'rows-50000.csv', mimeType: 'text/csv', buffer: Buffer.from(rowsCsv(50_000)) };
    const t0 = performance.now();
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-mapping').waitFor({ timeout: 120_000 });
    const toMapping = performance.now() - t0;
    await page.getByTestId('btn-import-save').click();
    await page.getByTestId('btn-run-imported').click({ timeout: 120_000 });
    await page.getByTestId('input-iterations').fill('10');
    await page.getByTestId('btn-create').click();
    await page.getByTestId('tab-review').click({ timeout: 60_000 });
    await page.locator('[data-testid="review-table"][data-rows="50000"] [data-testid="review-row"]').first().waitFor({ timeout: 120_000 });
    const toTable = performance.now() - t0;

    await page.waitForTimeout(500); // the table's first render is not scrolling
    const tasks = await watchLongTasks(page);
    await scrollReviewTable(page);
    await page.waitForTimeout(300);
    return { toMapping, toTable, scrollWorstLongTaskMs: worst(await tasks.take()) };
  });
}

/** What a first visit waits for, in ms from the page being asked for (serverMs: from starting the server to its first answer). */
export interface FirstVisitTimes {
  serverMs: number; // the server started until it answers
  firstFrameMs: number; // index.html's first frame (the caption and the run at step 0) on screen
  appMs: number; // the app's run screen on screen (its code loaded, the demo run created and opened)
  firstStepMs: number; // the demo run's first step on screen
  loadAverage: number; // the 1-minute load average when it started
}

/**
 * The first visit of a fresh browser to the app's bare address, as a user of `npm start` has it
 * (`dev`: Vite's dev server with an empty dependency cache, as in a fresh clone, so it pre-bundles
 * the dependencies and compiles each module as the page asks for it) or of the built app (`build`:
 * `vite preview` of dist/). null when it cannot be measured here.
 */
export async function firstVisit(kind: 'dev' | 'build', port: number): Promise<FirstVisitTimes | null> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if ((kind === 'build' && !existsSync('dist/index.html')) || !existsSync(executablePath)) return null;
  const cache = kind === 'dev' ? mkdtempSync(join(tmpdir(), 'icm-vite-cache-')) : null;
  const args = kind === 'dev' ? ['vite', '--host', '127.0.0.1', '--port', String(port), '--strictPort'] : ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'];
  const loadAverage = loadavg()[0];
  const t0 = performance.now();
  const server = spawnGroup('npx', args, { stdio: 'ignore', env: { ...process.env, ...(cache ? { ICM_VITE_CACHE_DIR: cache } : {}) } });
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const url = `http://127.0.0.1:${port}/`;
    await waitForServer(url, 120_000);
    const serverMs = performance.now() - t0;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } }); // a fresh profile: a first visit
    const t1 = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    const since = () => performance.now() - t1;
    await page.getByTestId('boot-caption').waitFor({ timeout: 120_000 });
    const firstFrameMs = since();
    await page.getByTestId('run-screen').waitFor({ timeout: 180_000 });
    const appMs = since();
    await page.waitForFunction(() => /^[1-9]/.test(document.querySelector('[data-testid="fig-iteration"]')?.textContent ?? ''), undefined, { timeout: 180_000, polling: 50 });
    return { serverMs, firstFrameMs, appMs, firstStepMs: since(), loadAverage };
  } finally {
    await browser.close();
    await server.stop();
    if (cache) rmSync(cache, { recursive: true, force: true });
  }
}
