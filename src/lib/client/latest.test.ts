import { describe, expect, it } from 'vitest';
import { Latest } from './latest';

describe('Latest', () => {
  it('lets only the newest request answer, and none after a drop', async () => {
    const latest = new Latest();
    const shown: string[] = [];
    const ask = async (answer: string, ms: number) => {
      const current = latest.take();
      await new Promise((r) => setTimeout(r, ms));
      if (current()) shown.push(answer);
    };
    await Promise.all([ask('slow, older', 30), ask('quick, newer', 1)]);
    expect(shown).toEqual(['quick, newer']);
    const pending = ask('dropped', 5);
    latest.drop();
    await pending;
    expect(shown).toEqual(['quick, newer']);
  });
});
