// A Vite plugin for the static build: after the build is written it lists every file of the
// output folder in `precache.json`, which the service worker (public/sw.js) reads on install and
// copies into its cache. So the first visit already keeps everything the app can load later
// (the run worker, lazily loaded chunks, wasm), and the second visit opens with no network.
// Paths are relative to the folder, so the build runs under any sub-path.
import { readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

export const PRECACHE_LIST = 'precache.json';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The files the service worker keeps, relative to the build folder; the page itself is './'. */
export function precacheList(outDir: string): string[] {
  const files = filesUnder(outDir)
    .map((f) => relative(outDir, f).split(sep).join('/'))
    .filter((f) => f !== PRECACHE_LIST && f !== 'sw.js' && !f.startsWith('.'));
  return ['./', ...files.filter((f) => f !== 'index.html').sort()];
}

export function precache(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'icm-precache',
    apply: 'build',
    configResolved: (c) => void (config = c),
    closeBundle() {
      const outDir = resolve(config.root, config.build.outDir);
      writeFileSync(join(outDir, PRECACHE_LIST), JSON.stringify(precacheList(outDir), null, 1) + '\n');
    },
  };
}
