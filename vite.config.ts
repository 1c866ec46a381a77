import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { precache } from './scripts/precache.ts';

export default defineConfig({
  // relative asset URLs: the built folder runs from any static host, under any sub-path (README, "Deploy")
  base: './',
  plugins: [svelte(), precache()],
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
  },
});
