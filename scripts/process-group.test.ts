import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { groupAlive, spawnGroup } from './process-group';

// a wrapper that starts a long-lived child, as `npx vite` does
const wrapper = ['-c', 'sleep 60 & wait'];

describe('spawnGroup', () => {
  it('stops the wrapper and what it started; killing the wrapper alone leaves its child running', async () => {
    const group = spawnGroup('sh', wrapper, { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 200));
    expect(group.alive()).toBe(true);
    await group.stop(2000);
    expect(group.alive()).toBe(false);

    // the old way: the wrapper's pid only
    const bare = spawn('sh', wrapper, { stdio: 'ignore', detached: true });
    await new Promise((r) => setTimeout(r, 200));
    bare.kill();
    await new Promise((r) => bare.once('exit', r));
    const pgid = bare.pid as number;
    expect(groupAlive(pgid)).toBe(true); // sleep is still there
    process.kill(-pgid, 'SIGKILL');
    await expect.poll(() => groupAlive(pgid)).toBe(false);
  });
});
