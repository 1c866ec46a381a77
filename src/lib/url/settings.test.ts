import { describe, expect, it } from 'vitest';
import { decodeSettings, defaultSettings, encodeSettings } from './settings';

describe('settings in the URL', () => {
  it('writes only what differs from the defaults and reads it back', () => {
    expect(encodeSettings(defaultSettings())).toBe('');
    const s = defaultSettings();
    s.task = 'builtin-comparison';
    s.config.seed = 42;
    s.config.alpha = 50;
    s.config.plan = 'leaveOneOut';
    s.params.salience = 'spurious';
    const q = encodeSettings(s);
    expect(q).toBe('task=builtin-comparison&seed=42&alpha=50&plan=leaveOneOut&salience=spurious');
    expect(decodeSettings(q)).toEqual({ settings: s, errors: [], present: true });
  });
  it('names unreadable values and keeps the defaults for them', () => {
    const { settings, errors, present } = decodeSettings('seed=abc&schedule=weekly&K=6');
    expect(present).toBe(true);
    expect(settings.config.seed).toBe(defaultSettings().config.seed);
    expect(settings.config.K).toBe(6);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/seed=abc/);
    expect(decodeSettings('').present).toBe(false);
  });
});
