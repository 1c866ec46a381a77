// Benchmark of the llama.cpp (WebAssembly) backend in headless Chromium on the real GGUF models in
// .models/: prompt tokens per second with 1 and 2 threads, and seconds per ICM step at the default
// plan with the tokens read and computed per step. Serves scripts/wllama-bench/ with Vite (with the
// COOP/COEP headers of vite.config.ts, so the page is cross-origin isolated) and hands the model to
// the page's file input, as a person would.
//   npx tsx scripts/bench-wllama.ts [--model .models/x.gguf] [--steps 5] [--pool 128] [--threads 1,2]
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const model = arg('model', '.models/SmolLM2-135M-Instruct.Q4_1.gguf');
const query = new URLSearchParams({ steps: arg('steps', '5'), pool: arg('pool', '128'), threads: arg('threads', '1,2'), task: arg('task', 'builtin-factual') });
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(model) || !existsSync(executablePath)) {
  console.log(`wllama: skipped (needs ${model} and Chromium; run \`npm run models\`)`);
  process.exit(0);
}

const server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
await server.listen();
const address = server.httpServer?.address();
const port = typeof address === 'object' && address ? address.port : 0;
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.error('[page]', m.text()));
  await page.goto(`http://127.0.0.1:${port}/scripts/wllama-bench/index.html?${query}`);
  await page.locator('#gguf').setInputFiles(model);
  const timeout = Number(arg('timeout', '900')) * 1000;
  const t0 = Date.now();
  let shown = 0;
  for (;;) {
    const state = await page.evaluate(() => {
      const w = window as unknown as { benchResult?: Record<string, unknown>; benchError?: string };
      return { result: w.benchResult, error: w.benchError, log: document.getElementById('out')?.textContent ?? '' };
    });
    const lines = state.log.split('\n').filter(Boolean);
    for (const l of lines.slice(shown)) console.log(`  ${l}`);
    shown = lines.length;
    if (state.error) throw new Error(state.error);
    if (state.result) {
      for (const [k, v] of Object.entries(state.result)) console.log(`wllama.${k}`.padEnd(52), v);
      break;
    }
    if (Date.now() - t0 > timeout) throw new Error('the wllama bench timed out');
    await new Promise((r) => setTimeout(r, 1000));
  }
} finally {
  await browser.close();
  await server.close();
}
