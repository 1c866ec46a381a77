import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { precache } from './scripts/precache.ts';

// Cross-origin isolation (COOP + COEP) gives the page SharedArrayBuffer, which llama.cpp's
// multi-threaded wasm build needs; without it the llama.cpp backend runs on one thread. A static
// host must send the same two headers (README, "Hosting").
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // where the dev server keeps its pre-bundled dependencies; the bench points it at an empty folder
  // to time a fresh clone's first `npm start` (scripts/bench-browser.ts, firstVisit)
  cacheDir: process.env.ICM_VITE_CACHE_DIR || 'node_modules/.vite',
  // relative asset URLs: the built folder runs from any static host, under any sub-path (README, "Deploy")
  base: './',
  plugins: [svelte(), precache()],
  worker: { format: 'es' },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Tests are sized by the work they do, not by a clock: a timeout only ends a test that hangs.
    // Vitest's 5 s default failed a 1.9 s test (an ICM run on the simulated model) on a machine
    // running other work (issue 25); a test that must end sooner says so itself.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
