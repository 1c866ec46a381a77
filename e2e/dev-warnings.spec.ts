// Svelte reports some mistakes only in development builds (ownership_invalid_binding and the
// like), which the rest of the suite, run against the production build, cannot see. This test
// serves the app with Vite's dev server on a free port and walks the screens with the console
// guard of fixtures.ts on: any warning fails it. `npx vite` runs Vite as a grandchild, so the
// server is started as its own process group and stopped as one: none of it outlives the test.
import { expect, test } from './fixtures';
import { spawnGroup, type Group } from '../scripts/process-group';

let dev: Group | null = null;
let base = '';

test.beforeAll(async () => {
  test.setTimeout(400_000); // a first start optimises dependencies: minutes on a busy machine
  dev = spawnGroup('npx', ['vite', '--host', '127.0.0.1', '--port', '0', '--strictPort', 'false'], { stdio: ['ignore', 'pipe', 'pipe'] });
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`vite dev did not start:\n${out}`)), 200_000);
    dev?.proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      // eslint-disable-next-line no-control-regex
      const m = /Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(out.replace(/\x1b\[[0-9;]*m/g, ''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
});

test.afterAll(async () => {
  const group = dev;
  dev = null;
  await group?.stop();
  expect(group?.alive() ?? false, 'a process of the Vite dev server outlived the test').toBe(false);
});

test('no Svelte warning on any screen of the development build', async ({ page }) => {
  test.setTimeout(400_000); // the dev server compiles each module on its first request
  await page.goto(base + '/');
  await expect(page.getByTestId('setup-screen')).toBeVisible({ timeout: 180_000 });
  const tasks = page.locator('[data-testid^="task-"]');
  for (let i = 0; i < 3; i++) await tasks.nth(i).click();
  for (const kind of ['server', 'webllm', 'simulated']) await page.getByTestId(`choice-${kind}`).click();
  await page.getByTestId('input-iterations').fill('30');
  await page.getByTestId('btn-create').click();
  await page.getByTestId('btn-play').click();
  await expect(page.getByTestId('finished')).toBeVisible({ timeout: 180_000 });
  await page.getByTestId('tab-review').click();
  await expect(page.getByTestId('review-row').first()).toBeVisible();
  await page.goto(base + '/#import');
  await expect(page.getByTestId('import-screen')).toBeVisible();
  // the ways to a real model: the proposal (nothing is downloaded), and the recorded run replaying
  await page.goto(base + '/#new');
  await page.getByTestId('btn-real-model').click();
  await expect(page.getByTestId('real-model-confirm')).toBeVisible();
  await page.getByTestId('btn-real-model-back').click();
  await page.getByTestId('btn-recorded-run').click();
  await expect(page.getByTestId('recorded-notice')).toBeVisible();
  await expect(page.getByTestId('btn-replay')).toHaveText(/Stop replay/);
});
