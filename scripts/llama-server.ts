// A real llama.cpp server for the own-server backend's tests and benchmark: llama-cpp-python's
// OpenAI-compatible server (PyPI `llama-cpp-python[server]`, pinned below), built from source by
// pip with this machine's compiler into a git-ignored virtual environment (.venv-llama/); pip
// keeps the built wheel in its cache, so a second install takes seconds.
//
//   npm run llama-server -- [--model smollm2|gemma3] [--port N] [--ctx N]
//
// starts one on 127.0.0.1 (a free port unless --port) with a fetched model (npm run models) and
// prints its URL; the end-to-end tests and `npm run bench` start theirs through startLlamaServer.
// `--logits_all true` is what makes it return log-probabilities of the prompt's next token;
// scripts/llama_server.py starts it with the log-probabilities of only the returned tokens computed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DataItem, Dataset } from '../src/lib/data/types';
import { defaultServerSpec, type PromptFormat, type ServerSpec } from '../src/lib/model/params';
import { createServerModel, type ServerLabelModel } from '../workers/backends/server/model';
import { freePort } from './ports';
import { findPython, pipMissing, run } from './python';
import { realModel, realModels, type RealModel } from './real-models';

export const LLAMA_CPP_PYTHON = 'llama-cpp-python[server]==0.3.36';
const VERSION = '0.3.36';
export const VENV = fileURLToPath(new URL('../.venv-llama', import.meta.url));
const venvPython = resolve(VENV, 'bin', 'python');
const LAUNCHER = fileURLToPath(new URL('./llama_server.py', import.meta.url)); // python -m llama_cpp.server, less its per-request waste

const installed = () =>
  existsSync(venvPython) &&
  spawnSync(venvPython, ['-c', `import llama_cpp, llama_cpp.server.app; assert llama_cpp.__version__ == '${VERSION}'`], { stdio: 'ignore' }).status === 0;

/** The virtual environment's Python when the server is installed there, else null. */
export const llamaServerPython = (): string | null => (installed() ? venvPython : null);

/**
 * The virtual environment's Python with the server installed (building it the first time:
 * minutes on two cores), or null, having said why, when there is no pip.
 */
export function ensureLlamaServer(log: (line: string) => void = console.log): string | null {
  if (installed()) return venvPython;
  const python = findPython();
  if (!python) {
    log(pipMissing);
    return null;
  }
  const t0 = performance.now();
  log(`Installing ${LLAMA_CPP_PYTHON} into ${VENV} (built from source the first time, cached by pip after)…`);
  if (!existsSync(venvPython)) run(python, ['-m', 'venv', VENV]);
  run(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', LLAMA_CPP_PYTHON], { quiet: false });
  if (!installed()) throw new Error(`${LLAMA_CPP_PYTHON} installed, but its server does not import; see pip's output above.`);
  log(`  installed in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return venvPython;
}

export interface LlamaServer {
  url: string; // http://127.0.0.1:port (the API is under /v1)
  model: RealModel;
  pid: number | undefined; // its process, for the CPU time it used
  output(): string; // what the server printed, for failures
  close(): Promise<void>;
}

export interface LlamaServerOptions {
  port?: number; // 0 or absent: a free one
  nCtx?: number; // context window (default 4096)
  threads?: number; // default: every core
  startTimeoutMs?: number; // default 120 s
}

/** Starts the server on 127.0.0.1 with a fetched model; resolves once /v1/models answers. */
export async function startLlamaServer(python: string, model: RealModel, opts: LlamaServerOptions = {}): Promise<LlamaServer> {
  if (!existsSync(model.path)) throw new Error(`${model.path} is missing: run \`npm run models\` first.`);
  const port = opts.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const args = [LAUNCHER, '--model', model.path, '--model_alias', model.id, '--host', '127.0.0.1', '--port', String(port)];
  args.push('--n_ctx', String(opts.nCtx ?? 4096), '--logits_all', 'true', '--verbose', 'false');
  // its defaults are half the cores for one token and every core for a prompt (n_threads_batch)
  const threads = String(opts.threads ?? availableParallelism());
  args.push('--n_threads', threads, '--n_threads_batch', threads);
  const proc: ChildProcess = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (c: Buffer) => {
    out = (out + c.toString()).slice(-20_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((res) => proc.once('exit', () => res()));
  // never outlive the process that started it (uvicorn's SIGTERM waits for requests in flight)
  const orphan = () => proc.kill('SIGKILL');
  process.once('exit', orphan);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  const close = async () => {
    process.off('exit', orphan);
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 5000); // a busy server may sit on SIGTERM
      await exited;
      clearTimeout(killer);
    }
  };
  const deadline = Date.now() + (opts.startTimeoutMs ?? 120_000);
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`The llama.cpp server exited (${proc.exitCode}) before it answered:\n${out}`);
    try {
      const res = await fetch(`${url}/v1/models`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`The llama.cpp server did not answer within ${opts.startTimeoutMs ?? 120_000} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, model, pid: proc.pid, output: () => out, close };
}

/** The app's server spec for a started server, as the scripts read it: one request in flight (it reads one at a time). */
export const serverSpecFor = (server: LlamaServer, timeoutS: number, prompt?: PromptFormat): ServerSpec => ({ ...defaultServerSpec, baseUrl: server.url, model: server.model.id, concurrency: 1, timeoutS, ...(prompt ? { prompt } : {}) });

/** The app's server model of `items` (of `ds`) read through a started server, as a run in the browser reads it. */
export const serverModelFor = (server: LlamaServer, ds: Dataset, items: DataItem[], timeoutS: number, prompt?: PromptFormat): ServerLabelModel =>
  createServerModel(ds.kind, items, serverSpecFor(server, timeoutS, prompt), { description: ds.description });

async function main() {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const python = ensureLlamaServer();
  if (!python) process.exit(2);
  const model = realModel(arg('--model') ?? realModels[0].id);
  const server = await startLlamaServer(python, model, { port: Number(arg('--port') ?? 0), nCtx: Number(arg('--ctx') ?? 4096) });
  console.log(`llama.cpp server (${model.name}) at ${server.url}/v1 — use ${server.url} in the app; Ctrl-C stops it.`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void main();
