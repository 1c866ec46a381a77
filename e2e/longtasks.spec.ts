// The main thread only renders: while a run plays, no task blocks it for long. Every task over
// 50 ms is a 'longtask' entry; the benchmark prints the worst one (browser.worstLongTaskMs).
// The bound here is loose (LONG_TASK_BOUND_MS says why).
import { expect, test } from './fixtures';
import { createRun, LONG_TASK_BOUND_MS } from './helpers';

test('no long main-thread task while a run plays', async ({ page }) => {
  await createRun(page, { iterations: 100000 });
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask' });
  });
  await page.getByTestId('btn-play').click();
  await page.waitForTimeout(5000);
  await page.getByTestId('btn-pause').click();
  const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  test.info().annotations.push({ type: 'longest main-thread task (ms)', description: String(Math.max(0, ...tasks)) });
  console.log(`long tasks during 5 s of play: ${tasks.length}, longest ${Math.round(Math.max(0, ...tasks))} ms`);
  expect(Math.max(0, ...tasks)).toBeLessThanOrEqual(LONG_TASK_BOUND_MS);
});
