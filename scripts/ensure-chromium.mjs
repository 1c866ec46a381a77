#!/usr/bin/env node
// Makes sure a Chromium exists for the end-to-end tests, without ever downloading a browser
// through Playwright (those downloads fail on closed networks). Order: $CHROMIUM_PATH, then
// /usr/bin/chromium; if neither exists, install Debian's chromium with apt when we are root
// on Debian; otherwise say how to get one and fail.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter(Boolean);
const found = candidates.find((p) => existsSync(p));
if (found) {
  console.log(`ensure-chromium: using ${found}`);
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
const isDebian = /^(ID|ID_LIKE)=.*debian/m.test(osRelease);

if (isRoot && isDebian) {
  console.log('ensure-chromium: no Chromium found; installing Debian\'s chromium package with apt-get');
  const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const ok = run(['update']).status === 0 && run(['install', '-y', 'chromium']).status === 0;
  if (ok && existsSync('/usr/bin/chromium')) process.exit(0);
  console.error('ensure-chromium: apt-get could not install chromium (see the output above).');
  process.exit(1);
}

console.error(`ensure-chromium: no Chromium found (looked at ${candidates.join(', ')}).
The end-to-end tests need a Chromium. Either:
  - on Debian/Ubuntu:  sudo apt-get install -y chromium   (gives /usr/bin/chromium), or
  - point CHROMIUM_PATH at an installed Chromium or Chrome, e.g.
      CHROMIUM_PATH="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" npm test
This script never downloads a browser itself.`);
process.exit(1);
