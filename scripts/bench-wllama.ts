// Benchmark of the llama.cpp (WebAssembly) backend in headless Chromium on the real GGUF models in
// .models/, against native llama.cpp (llama-cpp-python, .venv-llama) on the same file and the same
// token ids. Speeds are tokens per CPU-second (all of the browser's processes, read from /proc by
// this process; native: its own process time), so the shared machine's load cancels out; wall
// figures are beside them. Serves scripts/wllama-bench/ with Vite (COOP/COEP of vite.config.ts, so
// the page is cross-origin isolated) and hands the model to the page's file input, as a person would.
//
// Figures (keys wllama.<model>.… in `npm run bench`):
//   <build>.<attention>.threads<t>.{decode,reader}.tokensPerCpuSecond   build wllama (2.4.0's wasm) or
//       simd (scripts/build-llama-wasm.sh); attention reader (no flash attention, f32 KV: the app's) or
//       wllama (its defaults: the app before issue 23); decode = the whole sequence at once, reader = the
//       app's reader, one read point per claim; .readerVsDecode = decode CPU ÷ reader CPU (1: as fast);
//       build webgpu: wllama 3's WebGPU build through its completions (gpu-engine.ts, gpu-reader.ts),
//       .onGpu says whether llama.cpp put the model on the GPU (not on these machines: no shader-f16)
//   <config>.icm.{secondsPerStep,cpuSecondsPerStep,tokensComputedPerStep}  ICM steps, pool of 8 claims
//   tokensPerCpuSecond        the app's path (the first config): its reader
//   native.{decode,reader}.tokensPerCpuSecond  llama-cpp-python, same ids, same threads, flash attention off
//   nativeRatio               tokensPerCpuSecond ÷ native.decode.tokensPerCpuSecond
//   <config>.maxLogOddsDiffVsNative  largest |Δ log-odds| of a read against native's on the same ids
// Alone:
//   npx tsx scripts/bench-wllama.ts [--model .models/x.gguf] [--configs simd.reader.1,wllama.wllama.2]
//                                   [--icm simd.reader.1,wllama.wllama.2] [--items 32] [--steps 2] [--pool 8]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { llamaServerPython } from './llama-server';

export interface WllamaBenchOptions {
  model: string; // path of the .gguf file
  configs: string[]; // build.attention.threads, the app's path first
  icm: string[]; // configs that also run ICM steps
  items: number;
  steps: number;
  pool: number;
  task: string;
  timeoutS: number;
  native?: boolean; // default true: native llama.cpp on the same ids
  log?: (line: string) => void;
}

export type WllamaFigures = Record<string, number | string | boolean>;

/** A configuration's key prefix in the figures: "simd.reader.1" → "simd.reader.threads1". */
export const configKey = (config: string): string => config.replace(/\.(\d+)$/, '.threads$1');

/** The configurations the bench compares: the app's path first (the SIMD build where it is built), then the app before issue 23. */
export function defaultConfigs(): string[] {
  const simd = existsSync(fileURLToPath(new URL('../workers/backends/wllama/build/icm-llama.wasm', import.meta.url)));
  return [...(simd ? ['simd.reader.1'] : []), 'wllama.reader.1', 'wllama.wllama.1', 'wllama.wllama.2'];
}

const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds used so far by this process's descendants, less Node helpers (Vite's esbuild). */
export function descendantsCpuSeconds(root = process.pid): number {
  const procs = new Map<number, { ppid: number; comm: string; ticks: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const f = stat.slice(close + 2).split(' '); // f[k - 3] is field k of proc(5)
      procs.set(Number(d), { ppid: Number(f[1]), comm: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // gone meanwhile
    }
  }
  const under = (pid: number): boolean => {
    for (let p = procs.get(pid)?.ppid; p !== undefined && p > 1; p = procs.get(p)?.ppid) if (p === root) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, p] of procs) if (under(pid) && !/esbuild|node/.test(p.comm)) ticks += p.ticks;
  return ticks / TICKS;
}

/** The page's figures and native llama.cpp's beside them, or null when the model or Chromium is missing. */
export async function wllamaBench(o: WllamaBenchOptions): Promise<WllamaFigures | null> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(o.model) || !existsSync(executablePath)) return null;
  const query = new URLSearchParams({ configs: o.configs.join(','), icm: o.icm.join(','), items: String(o.items), steps: String(o.steps), pool: String(o.pool), task: o.task });
  // no file watching: an edit elsewhere in the tree must not reload the page mid-measurement
  const server = await createServer({ server: { port: 0, host: '127.0.0.1', hmr: false, watch: null }, logLevel: 'warn' });
  await server.listen();
  const address = server.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // WebGPU on, as in the app's tests: the WebGPU build then finds what a visitor's browser would here (SwiftShader)
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-webgpu'] });
  let figures: WllamaFigures;
  try {
    const page = await browser.newPage();
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning' ? o.log?.(`console ${m.type()}: ${m.text()}`) : undefined));
    page.on('pageerror', (e) => o.log?.(`page error: ${e.message}`));
    await page.exposeFunction('cpuMark', () => descendantsCpuSeconds());
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
      if (state.result) {
        figures = state.result;
        break;
      }
      if (Date.now() - t0 > o.timeoutS * 1000) throw new Error(`the wllama bench did not finish within ${o.timeoutS} s`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const app = o.configs[0];
  figures.tokensPerCpuSecond = figures[`${configKey(app)}.reader.tokensPerCpuSecond`];
  if (o.native !== false) {
    try {
      Object.assign(figures, nativeFigures(o.model, figures, Number(app.split('.')[2]), o.configs, o.log));
    } catch (e) {
      o.log?.(`native: failed (${e instanceof Error ? e.message : String(e)})`); // the browser's figures stand
    }
  }
  if (typeof figures['native.decode.tokensPerCpuSecond'] === 'number' && typeof figures.tokensPerCpuSecond === 'number')
    figures.nativeRatio = Math.round((figures.tokensPerCpuSecond / figures['native.decode.tokensPerCpuSecond']) * 100) / 100;
  for (const k of ['sequenceIds', 'readEnds', 'labelIds', ...o.configs.map((c) => `${configKey(c)}.reads`)]) delete figures[k];
  return figures;
}

/** Native llama.cpp on the ids the page read: its speeds, and how far each config's reads are from its own. */
function nativeFigures(model: string, page: WllamaFigures, threads: number, configs: string[], log?: (l: string) => void): WllamaFigures {
  const python = llamaServerPython();
  if (!python) {
    log?.('native: skipped (llama-cpp-python is not installed in .venv-llama; `npm run real-fixtures` installs it)');
    return {};
  }
  const dir = mkdtempSync(join(tmpdir(), 'native-read-'));
  try {
    const file = (name: string, key: string) => {
      writeFileSync(join(dir, name), String(page[key]));
      return join(dir, name);
    };
    const args = [fileURLToPath(new URL('./native_read.py', import.meta.url)), model, file('ids.json', 'sequenceIds'), String(threads), file('ends.json', 'readEnds'), file('labels.json', 'labelIds')];
    const r = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`native llama.cpp failed: ${r.stderr}`);
    const native = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { 'decode.tokensPerCpuSecond': number; 'reader.tokensPerCpuSecond': number; reads: [number, number][] };
    const out: WllamaFigures = { 'native.threads': threads, 'native.decode.tokensPerCpuSecond': native['decode.tokensPerCpuSecond'], 'native.reader.tokensPerCpuSecond': native['reader.tokensPerCpuSecond'] };
    for (const c of configs) {
      const key = `${configKey(c)}.reads`;
      const reads = typeof page[key] === 'string' ? (JSON.parse(page[key] as string) as [number, number][]) : [];
      if (reads.length !== native.reads.length) continue;
      const diffs = reads.map(([t, f], i) => Math.abs(t - f - (native.reads[i][0] - native.reads[i][1])));
      out[`${configKey(c)}.maxLogOddsDiffVsNative`] = Math.round(Math.max(...diffs) * 1e4) / 1e4;
    }
    log?.(`native (${threads} thread${threads === 1 ? '' : 's'}): decode ${out['native.decode.tokensPerCpuSecond']}, reader ${out['native.reader.tokensPerCpuSecond']} tokens/CPU-s`);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string, dflt: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
  };
  const model = arg('model', '.models/SmolLM2-135M-Instruct.Q4_1.gguf');
  const configs = arg('configs', defaultConfigs().join(',')).split(',');
  const figures = await wllamaBench({
    model,
    configs,
    icm: arg('icm', '').split(',').filter(Boolean),
    items: Number(arg('items', '32')),
    steps: Number(arg('steps', '2')),
    pool: Number(arg('pool', '8')),
    task: arg('task', 'builtin-factual'),
    timeoutS: Number(arg('timeout', '3600')),
    native: !process.argv.includes('--no-native'),
    log: (l) => console.log(`  ${l}`),
  });
  if (figures === null) console.log(`wllama: skipped (needs ${model} and Chromium; run \`npm run models\`)`);
  else for (const [k, v] of Object.entries(figures)) console.log(`wllama.${k}`.padEnd(60), v);
}
