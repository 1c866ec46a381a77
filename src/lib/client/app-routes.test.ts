import { describe, expect, it } from 'vitest';
import { hashForReview, hashForRun, runIdFromHash, screenFromHash, viewFromHash } from './app.svelte';

describe('addresses of the labeling screens', () => {
  it('#import is the import page; anything else without a run is the set-up screen', () => {
    expect(screenFromHash('#import')).toBe('import');
    expect(screenFromHash('#new')).toBe('setup');
    expect(screenFromHash('')).toBe('setup');
    expect(screenFromHash('#imports')).toBe('setup');
  });

  it('a run opens on its search; &view=review opens its review; the old address still works', () => {
    expect(hashForReview('a b')).toBe('#run=a%20b&view=review');
    expect(runIdFromHash(hashForReview('a b'))).toBe('a b');
    expect(viewFromHash(hashForReview('x'))).toBe('review');
    expect(viewFromHash(hashForRun('x'))).toBe('search');
    expect(runIdFromHash(hashForRun('x'))).toBe('x');
  });
});
