// `npm start` and `npm test` run `npm install`, and npm 11 ends an install with a warning for every
// dependency whose install script package.json's `allowScripts` does not decide (issue 25, item 9):
// a user should see none. So every package of the lockfile that has an install script is named
// there, approved (true: the script must run, e.g. esbuild's check of its binary) or denied.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (name: string) => JSON.parse(readFileSync(new URL(`../${name}`, import.meta.url), 'utf8')) as unknown;

interface Lock {
  packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
}
interface Manifest {
  allowScripts?: Record<string, boolean>;
}

describe('install scripts', () => {
  it('every dependency with an install script is approved or denied in package.json, so npm install warns of none', () => {
    const lock = read('package-lock.json') as Lock;
    const allowed = (read('package.json') as Manifest).allowScripts ?? {};
    const names = Object.keys(allowed).map((k) => k.replace(/(.)@[^@]*$/, '$1')); // "pkg" or "pkg@1.2.3"
    const withScripts = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0); // esbuild's, at least
    expect(withScripts.filter((n) => !names.includes(n))).toEqual([]);
  });
});
