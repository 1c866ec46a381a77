// The browser half of the benchmark: serve the built app, play a run with the simulated model in
// headless Chromium for a few seconds, and report the longest main-thread task (PerformanceObserver
// 'longtask', which lists every task over 50 ms). The main thread only renders, so this stays small.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { waitForServer } from './preview';

const PORT = 4181;
const PLAY_MS = 8000;

/** The worst long task in ms (0 when none passed 50 ms), or null when it cannot be measured here. */
export async function worstLongTask(): Promise<number | null> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync('dist/index.html') || !existsSync(executablePath)) return null;
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const url = `http://127.0.0.1:${PORT}/`;
    await waitForServer(url, 30_000);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${url}#new`); // the set-up form, not the first visit's demo run
    await page.locator('[data-testid^="task-"]').first().click();
    await page.getByTestId('input-iterations').fill('100000');
    await page.getByTestId('btn-create').click();
    await page.getByTestId('run-screen').waitFor();
    await page.waitForTimeout(500); // the run screen's first render is not part of the run
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask', buffered: false });
    });
    await page.getByTestId('btn-play').click();
    await page.waitForTimeout(PLAY_MS);
    await page.getByTestId('btn-pause').click();
    const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    return tasks.length === 0 ? 0 : Math.max(...tasks);
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
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

/**
 * Importing 50 000 rows through the UI, in ms from handing the file to the picker: to the mapping
 * step showing (the worker has parsed the file and guessed the mapping), and to the review table
 * of a run on the saved dataset showing its first rows (save, create a run, open its review: the
 * clicks themselves take no time). null when it cannot be measured here.
 */
export async function import50000(): Promise<{ toMapping: number; toTable: number } | null> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync('dist/index.html') || !existsSync(executablePath)) return null;
  const port = PORT + 1;
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const url = `http://127.0.0.1:${port}/`;
    await waitForServer(url, 30_000);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
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
    return { toMapping, toTable: performance.now() - t0 };
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
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
  const server = spawn('npx', args, { stdio: 'ignore', detached: true, env: { ...process.env, ...(cache ? { ICM_VITE_CACHE_DIR: cache } : {}) } });
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
    if (server.pid) process.kill(-server.pid);
    if (cache) rmSync(cache, { recursive: true, force: true });
  }
}
