// The README's first screen is what a new user reads: a short walkthrough before anything else,
// and how to stop the server (issue 16, item 20).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const sections = readme.split('\n').filter((l) => l.startsWith('## '));

describe('README', () => {
  it('opens with a two-minute walkthrough, and says how to stop the server', () => {
    expect(sections[0]).toBe('## Two minutes with it');
    const walkthrough = readme.slice(readme.indexOf(sections[0]), readme.indexOf(sections[1]));
    expect(walkthrough).toMatch(/npm start/);
    expect(walkthrough).toMatch(/Create run/);
    expect(walkthrough).toMatch(/To stop the server, press \*\*Ctrl\+C\*\*/);
  });

});
