// A child process started as the leader of its own process group, and stopped with every process
// it started. `npx vite` is a wrapper: killing its pid leaves the Vite server (its grandchild)
// running after the test or benchmark that started it has exited; signalling the group (-pid)
// reaches all of them.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface Group {
  proc: ChildProcess;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves once no process of it is left. */
  stop(graceMs?: number): Promise<void>;
  /** Whether any process of the group is still running. */
  alive(): boolean;
}

/** Whether any process of group `pgid` still runs. Signal 0 finds zombies too (a container's
 *  init may never reap them), so on Linux /proc tells a running process from a dead one. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false; // ESRCH: none left
  }
  if (!existsSync('/proc/self/stat')) return true;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // it ended meanwhile
    }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) "
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

const signal = (pgid: number, sig: NodeJS.Signals) => {
  try {
    process.kill(-pgid, sig);
  } catch {
    // already gone
  }
};

export function spawnGroup(command: string, args: string[], opts: SpawnOptions = {}): Group {
  const proc = spawn(command, args, { ...opts, detached: true });
  const pgid = proc.pid;
  // never outlive the process that started it
  const orphan = () => pgid && signal(pgid, 'SIGKILL');
  process.once('exit', orphan);
  return {
    proc,
    alive: () => pgid !== undefined && groupAlive(pgid),
    async stop(graceMs = 5000) {
      process.off('exit', orphan);
      if (!pgid) return;
      signal(pgid, 'SIGTERM');
      const killAt = Date.now() + graceMs;
      while (groupAlive(pgid)) {
        if (Date.now() > killAt) signal(pgid, 'SIGKILL');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
