import { describe, expect, it } from 'vitest';
import { mb, megabytes, millis, runDate, seconds, size } from './format';

describe('sizes and times on screen', () => {
  it('writes bytes as MB, and GB from 10 GB up', () => {
    expect(mb(0.5 * 2 ** 20)).toBe('0.5 MB');
    expect(mb(226 * 2 ** 20)).toBe('226 MB');
    expect(mb(12 * 2 ** 30)).toBe('12.0 GB');
    expect(mb(null)).toBe('—');
    expect([size(300), size(52_000), size(3.6 * 2 ** 20), size(undefined)]).toEqual(['1 kB', '51 kB', '3.6 MB', '—']); // a stored run or dataset
    expect(megabytes(304)).toBe('304 MB');
    expect(megabytes(1894)).toBe('1.8 GB');
  });

  it('writes elapsed seconds and step times with sensible digits', () => {
    expect(seconds(42.7)).toBe('42 s');
    expect(seconds(185)).toBe('3 min 05 s');
    expect(millis(0.213)).toBe('0.21 ms');
    expect(millis(12.46)).toBe('12.5 ms');
    expect(millis(840.2)).toBe('840 ms');
    expect(millis(32_100)).toBe('32.1 s');
    expect(millis(undefined)).toBe('—');
  });

  it('dates a run to the minute', () => {
    const at = new Date(2026, 11, 2, 0, 12).getTime();
    expect(runDate(at)).toBe('2 Dec, 00:12');
  });
});
