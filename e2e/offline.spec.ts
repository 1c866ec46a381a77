// The data never leaves the machine: during a run, no request goes to any host but the local server.
import { expect, test } from './fixtures';
import { createRun, pauseAndSettle, waitForIteration } from './helpers';

const LOCAL = new Set(['127.0.0.1', 'localhost']);

test('no request leaves for another host during a run', async ({ page, context }) => {
  const urls: string[] = [];
  // the context sees the page's requests and its workers'
  context.on('request', (r) => urls.push(r.url()));
  page.on('request', (r) => urls.push(r.url()));

  await createRun(page);
  await page.getByTestId('btn-play').click();
  await waitForIteration(page, 20);
  await pauseAndSettle(page);

  // the check is live: it saw the app's own requests, the worker script's included
  expect(urls.some((u) => /worker/.test(u))).toBe(true);
  const remote = urls.filter((u) => {
    const url = new URL(u);
    if (url.protocol === 'data:' || url.protocol === 'blob:') return false;
    return !LOCAL.has(url.hostname);
  });
  expect(remote).toEqual([]);
});
