// What the lesson panel says of a run comes from that run (issue 25, item 1): its settings fill
// the texts, and "This run" tells its own figures and picks the lesson that fits its outcome.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../lib/icm/config';
import { defaultSimulatedParams } from '../../lib/model/params';
import { lessons, runText, type LessonId } from './lessons';
import { fill, lessonBody, runLesson, settingSlots, type RunAt } from './run-lesson';

const allIds = Object.keys(lessons) as LessonId[];
// the recorded real-model run as it ended: every claim False, U just above all-False's
const allFalse: RunAt = {
  iteration: 80, iterations: 80, labeled: 14, trues: 0, pool: 14, U: 106.7, I: 0, accuracy: 0.643,
  constants: { allTrue: { U: 80, P: 3.47, I: 24 }, allFalse: { U: 105.8, P: 3.53, I: 0 } },
};
const found: RunAt = { iteration: 1000, iterations: 1000, labeled: 128, trues: 61, pool: 128, U: 80, I: 0, accuracy: 0.86, constants: { allTrue: { U: 10, P: 1, I: 300 }, allFalse: { U: -5, P: -0.1, I: 0 } } };

describe('the lessons beside a run', () => {
  it('fill every slot of every text from the run’s settings', () => {
    const config = { ...defaultConfig, balancePrior: 2, consistency: false };
    for (const id of allIds) for (const p of lessonBody(id, config)) expect(p).not.toMatch(/\{\w+\}/);
    expect(() => fill('α is {beta}', settingSlots(defaultConfig))).toThrow(/\{beta\}/);
  });

  it('name the run’s own α and λ, not the defaults', () => {
    const text = (config: typeof defaultConfig) => lessonBody('score', config).join(' ');
    expect(text(defaultConfig)).toContain('α (30 here)');
    expect(text({ ...defaultConfig, alpha: 45 })).toContain('α (45 here)');
    expect(text(defaultConfig)).not.toContain('λ');
    expect(text({ ...defaultConfig, balancePrior: 2.5 })).toContain('λ = 2.50');
    expect(lessonBody('sampling', { ...defaultConfig, groupWeight: 7 }).join(' ')).toContain('7 times likelier');
  });

  it('on a run that labeled everything False: its own figures and the lesson on constant labelings, not "Truth found"', () => {
    const { lesson, intro } = runLesson('builtin-factual', { ...defaultConfig, iterations: 80, poolSize: 16 }, null, allFalse);
    expect(lesson).toBe('constant');
    const text = intro.join(' ');
    expect(text).toContain('This run at step 80 of 80: 14 of 14 items labeled, 0 of them True');
    expect(text).toContain('64.3%');
    expect(text).toContain('100% of the labeled items are False');
    expect(text).not.toMatch(/Truth found|above 80%/);
  });

  it('on a run that found a labeling: its figures, then the preset it matches, named as the preset’s', () => {
    const preset = runLesson('builtin-math', defaultConfig, defaultSimulatedParams, found);
    expect(preset.lesson).toBe('truth');
    expect(preset.intro.join(' ')).toContain('128 of 128 items labeled, 61 of them True');
    expect(preset.intro.at(-1)).toBe(fill(runText.preset, { preset: 'Truth found' }));
    // another set-up: the nearest preset, said to be none of them
    const own = runLesson('builtin-math', { ...defaultConfig, alpha: 45, consistency: false }, defaultSimulatedParams, found);
    expect(own.lesson).toBe('noConsistency');
    expect(own.intro.join(' ')).toContain('with α = 45');
    expect(own.intro.at(-1)).toBe(fill(runText.own, { preset: 'Without consistency rules' }));
    // before any step: nothing to judge yet
    expect(runLesson('builtin-math', defaultConfig, defaultSimulatedParams, { ...found, iteration: 0, labeled: 0, trues: 0 }).intro[0]).toContain('before its first step');
  });
});
