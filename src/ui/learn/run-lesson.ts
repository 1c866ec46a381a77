// What the lesson panel says of the run beside it, from that run (issue 25, item 1): its own
// settings in the lesson texts' slots ("α ({alpha} here)"), and for "This run" its own figures at
// the step on show, then the lesson that fits what it shows: a labeling that says nothing gets the
// lesson on constant labelings, any other the lesson of the preset its set-up matches, named as
// the preset's, never claimed of this run. The texts are data (lessons.ts); this only fills them.

import type { ICMConfig } from '../../lib/icm/config';
import type { SimulatedParams } from '../../lib/model/params';
import { degeneracy, type LabelingFigures } from '../../lib/eval/degenerate';
import { count, num, pct } from '../format';
import { lessons, runText, type LessonId, type Paragraph } from './lessons';
import { lessonPresetOf, presetOf, presets } from './presets';

/** The run's figures at the step on show, as "This run" tells them. */
export interface RunAt extends LabelingFigures {
  iteration: number;
  iterations: number;
  I: number;
  accuracy: number | null; // evaluation only; null without gold
}

/** The run's settings by the names the lesson texts use. */
export function settingSlots(config: ICMConfig): Record<string, string> {
  return { alpha: num(config.alpha, config.alpha % 1 ? 2 : 0), lambda: num(config.balancePrior, config.balancePrior % 1 ? 2 : 0), M: count(config.M), T0: num(config.T0, config.T0 % 1 ? 2 : 0), groupWeight: count(config.groupWeight) };
}

/** A text with each "{name}" replaced by its slot; a name without a slot is a bug in the data. */
export function fill(text: string, slots: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = slots[name];
    if (v === undefined) throw new Error(`A lesson text names {${name}}, which no run fills.`);
    return v;
  });
}

/** A lesson's paragraphs for this run: those its settings call for, filled in. */
export function lessonBody(id: LessonId, config: ICMConfig): string[] {
  const slots = settingSlots(config);
  const shown = (p: Paragraph) => typeof p === 'string' || (p.when === 'balancePrior' ? config.balancePrior > 0 : !config.consistency);
  return lessons[id].body.filter(shown).map((p) => fill(typeof p === 'string' ? p : p.text, slots));
}

/** "This run": its figures, what kind of outcome it is, and the lesson that goes with it. */
export function runLesson(task: string, config: ICMConfig, params: SimulatedParams | null, at: RunAt): { lesson: LessonId; intro: string[] } {
  const slots: Record<string, string> = {
    ...settingSlots(config),
    at: at.iteration === 0 ? 'before its first step' : `at step ${count(at.iteration)} of ${count(at.iterations)}`,
    labeled: count(at.labeled),
    pool: count(at.pool),
    trues: count(at.trues),
    U: num(at.U, 1),
    I: count(at.I),
    accuracy: pct(at.accuracy, 1),
  };
  slots.lambdaText = config.balancePrior > 0 ? fill(runText.lambda, slots) : '';
  const intro = [fill(runText.facts, slots)];
  if (at.accuracy !== null) intro.push(fill(runText.accuracy, slots));
  const d = degeneracy(at);
  if (d) {
    intro.push(fill(runText.constant, { message: d.message }));
    return { lesson: 'constant', intro };
  }
  const exact = presetOf(task, config, params);
  const preset = exact ?? lessonPresetOf(config, params);
  const title = presets.find((p) => p.id === preset)?.title ?? preset;
  intro.push(fill(exact ? runText.preset : runText.own, { preset: title }));
  return { lesson: preset, intro };
}
