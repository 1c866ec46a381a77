// The browser half of the benchmark: serve the built app, play a run with the simulated model in
// headless Chromium for a few seconds, and report the longest main-thread task (PerformanceObserver
// 'longtask', which lists every task over 50 ms). The main thread only renders, so this stays small.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const PORT = 4181;
const PLAY_MS = 8000;

async function waitForServer(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fetch(url).then((r) => r.ok).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the preview server did not start at ${url}`);
}

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
    await page.goto(url);
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
