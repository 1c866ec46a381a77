// Benchmark of the llama.cpp (WebAssembly) backend in headless Chromium on the real GGUF models in
// .models/: prompt tokens per second with 1 and 2 threads, and seconds per ICM step at the default
// plan with the tokens read and computed per step. Serves scripts/wllama-bench/ with Vite (with the
// COOP/COEP headers of vite.config.ts, so the page is cross-origin isolated) and hands the model to
// the page's file input, as a person would. `npm run bench` runs it on each fetched model (keys
// wllama.<model>.…); alone:
//   npx tsx scripts/bench-wllama.ts [--model .models/x.gguf] [--steps 5] [--pool 128] [--threads 1,2] [--task builtin-factual]
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';

export interface WllamaBenchOptions {
  model: string; // path of the .gguf file
  steps: number;
  pool: number;
  threads: number[];
  task: string;
  timeoutS: number;
  log?: (line: string) => void;
}

export type WllamaFigures = Record<string, number | string | boolean>;

/** The page's figures (threads<n>.promptTokensPerSecond, icm.secondsPerStep, …), or null when the model or Chromium is missing. */
export async function wllamaBench(o: WllamaBenchOptions): Promise<WllamaFigures | null> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(o.model) || !existsSync(executablePath)) return null;
  const query = new URLSearchParams({ steps: String(o.steps), pool: String(o.pool), threads: o.threads.join(','), task: o.task });
  const server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  await server.listen();
  const address = server.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/scripts/wllama-bench/index.html?${query}`);
    await page.locator('#gguf').setInputFiles(o.model);
    const t0 = Date.now();
    let shown = 0;
    for (;;) {
      const state = await page.evaluate(() => {
        const w = window as unknown as { benchResult?: WllamaFigures; benchError?: string };
        return { result: w.benchResult, error: w.benchError, log: document.getElementById('out')?.textContent ?? '' };
      });
      const lines = state.log.split('\n').filter(Boolean);
      for (const l of lines.slice(shown)) o.log?.(l);
      shown = lines.length;
      if (state.error) throw new Error(state.error);
      if (state.result) return state.result;
      if (Date.now() - t0 > o.timeoutS * 1000) throw new Error(`the wllama bench did not finish within ${o.timeoutS} s`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string, dflt: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
  };
  const model = arg('model', '.models/SmolLM2-135M-Instruct.Q4_1.gguf');
  const figures = await wllamaBench({
    model,
    steps: Number(arg('steps', '5')),
    pool: Number(arg('pool', '128')),
    threads: arg('threads', '1,2').split(',').map(Number),
    task: arg('task', 'builtin-factual'),
    timeoutS: Number(arg('timeout', '900')),
    log: (l) => console.log(`  ${l}`),
  });
  if (figures === null) console.log(`wllama: skipped (needs ${model} and Chromium; run \`npm run models\`)`);
  else for (const [k, v] of Object.entries(figures)) console.log(`wllama.${k}`.padEnd(52), v);
}
