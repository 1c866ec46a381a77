// The lesson texts, as data keyed by id. A lesson's pointers name a focus (FocusId): the
// LessonPanel sets it, and the plots, equations and inspector that show that thing highlight
// themselves. The tour explains one step of Algorithm 1; the preset lessons say what each preset
// shows at seed 1 (presets.test.ts pins those claims), naming the preset, never claiming it of the
// run beside them. What the texts say of that run is filled in from it: a "{alpha}" in a text is
// the run's own α (runFacts), and "This run" opens with the run's own figures (runText).

import type { FocusId } from '../../lib/client/learn.svelte';
import type { PresetId } from './presets';

export type TourId = 'score' | 'sampling' | 'proposal' | 'consistency' | 'temperature' | 'acceptance';
export type LessonId = TourId | PresetId | 'constant';

export interface Pointer {
  text: string;
  focus: FocusId;
}

/** A paragraph, or one shown only when the run has the setting it names. */
export type Paragraph = string | { text: string; when: 'balancePrior' | 'noConsistency' };

export interface Lesson {
  id: LessonId;
  title: string;
  body: Paragraph[]; // may name the run's settings: {alpha}, {lambda}, {M}, {T0}, {groupWeight}
  look: Pointer[]; // "look at …": each highlights what it names
}

export const tour: TourId[] = ['score', 'sampling', 'proposal', 'consistency', 'temperature', 'acceptance'];
/** Lessons about pitfalls, offered after the tour on every run. */
export const pitfalls: LessonId[] = ['constant'];

/** What "This run" says of the run, from its own figures at the step on show (LessonPanel fills the slots). */
export const runText = {
  title: 'This run',
  facts: 'This run {at}: {labeled} of {pool} items labeled, {trues} of them True; U = {U}, I = {I}, with α = {alpha}{lambdaText}.',
  accuracy: 'Accuracy against gold (evaluation only, never read by the search): {accuracy}.',
  lambda: ' and the label-balance prior λ = {lambda}',
  constant: 'Its labeling may say nothing about the items: {message} What that is, and why ICM can end there:',
  preset: 'Its set-up is that of the preset “{preset}”. What that preset shows at seed 1, whatever this run does:',
  own: 'Its set-up is none of the presets. The nearest, by the one ablation it makes, is “{preset}”; at seed 1 that preset shows, whatever this run does:',
} as const;

export const lessons: Record<LessonId, Lesson> = {
  score: {
    id: 'score',
    title: '1. The score U',
    body: [
      'ICM looks for the labeling D the model itself finds most coherent, without a single human label. It scores a labeling by U(D) = α·P(D) − I(D).',
      'P, mutual predictability, asks how well the model predicts each labeled item’s label when every other labeled item is shown to it as a demonstration. I counts the pairs in one group that cannot both hold. α ({alpha} here) weighs the two.',
      { text: 'This run also subtracts a label-balance prior, λ·(share True − share False)² with λ = {lambda}: a departure from the paper, against labelings that say nothing.', when: 'balancePrior' },
      { text: 'This run has the consistency rules off: U is α·P alone, and I is shown but not counted.', when: 'noConsistency' },
    ],
    look: [
      { text: 'U over the steps', focus: 'U' },
      { text: 'P, mutual predictability', focus: 'P' },
      { text: 'I, inconsistent pairs', focus: 'I' },
    ],
  },
  sampling: {
    id: 'sampling',
    title: '2. Pick an item',
    body: [
      'Each step samples one item of the pool. An unlabeled item whose group already has a labeled member is {groupWeight} times likelier (the group weight; 100 in the paper), so the search finishes the groups it has started: their members constrain each other.',
      'Labeled items stay in the draw: sampling one again is how the search corrects a label.',
    ],
    look: [
      { text: 'the sampled item and its weight', focus: 'sampling' },
      { text: 'labeled items over the steps', focus: 'labeled' },
    ],
  },
  proposal: {
    id: 'proposal',
    title: '3. Ask the model',
    body: [
      'The model reads every other labeled item with its label as a demonstration, then the sampled item, and proposes the label it finds more likely: True when log P(True) > log P(False).',
      'When the proposal equals the item’s label, nothing changes and there is nothing to decide.',
    ],
    look: [{ text: 'the proposal and the text the model read', focus: 'proposal' }],
  },
  consistency: {
    id: 'consistency',
    title: '4. Repair with ConsistencyFix',
    body: [
      'A new label can contradict others in its group: the same final answer labeled differently, two different answers both True, or, for comparisons, both orderings False.',
      'ConsistencyFix picks an inconsistent pair, scores its consistent options by U and takes the best, for up to M rounds (M = {M} here). The labeling it ends with, D̂, is the candidate.',
    ],
    look: [
      { text: 'the repair moves of the step', focus: 'fix' },
      { text: 'I, inconsistent pairs', focus: 'I' },
    ],
  },
  temperature: {
    id: 'temperature',
    title: '5. Cool down',
    body: [
      'The search is simulated annealing. The temperature starts at T₀ ({T0} here) and falls as the search goes: T = max(T_min, T₀ / (1 + β·ln(1 + n))), where n counts accepted moves (the official code) or iterations (the paper).',
      'Hot, the search accepts moves that lower U and can leave a poor start; cold, it only climbs.',
    ],
    look: [{ text: 'T over the steps', focus: 'T' }],
  },
  acceptance: {
    id: 'acceptance',
    title: '6. Accept or reject',
    body: [
      'The candidate D̂ replaces D with probability min(1, e^(ΔU/T)), where ΔU = U(D̂) − U(D). A move that raises U is always taken; one that lowers it is taken less often the colder the search and the bigger the drop.',
      'A uniform random draw decides: the move is accepted when the draw is below that probability.',
    ],
    look: [
      { text: 'the draw that decided this step', focus: 'draw' },
      { text: 'the accept rate over the steps', focus: 'accept' },
    ],
  },
  truth: {
    id: 'truth',
    title: 'Truth found',
    body: [
      'The paper’s defaults on the math task, with the simulated model. The seed labels are coin flips, so accuracy starts near 50%. As the search labels whole groups and repairs contradictions, I falls to 0 and accuracy (evaluation only) climbs above 80%, close to what the simulated model gets from gold demonstrations. ICM never read a gold label.',
    ],
    look: [
      { text: 'accuracy against gold', focus: 'accuracy' },
      { text: 'I falling to 0', focus: 'I' },
      { text: 'every item labeled', focus: 'labeled' },
    ],
  },
  noConsistency: {
    id: 'noConsistency',
    title: 'Without consistency rules',
    body: [
      'The math task with the simulated model, U = α·P alone and ConsistencyFix off. Mutual predictability by itself rewards any labeling the model can predict from the others, contradictions included: more proposals are accepted, I stays at dozens of inconsistent pairs (shown, not counted in U), and accuracy ends well below Truth found’s.',
      'Compare with Truth found at the same seed: the logical constraints are what pull the search toward the truth.',
    ],
    look: [
      { text: 'I, shown but not in U', focus: 'I' },
      { text: 'accuracy against gold', focus: 'accuracy' },
      { text: 'the accept rate', focus: 'accept' },
    ],
  },
  zeroShot: {
    id: 'zeroShot',
    title: 'Random vs zero-shot initialisation',
    body: [
      'The math task with the simulated model, its K seed labels the model’s own zero-shot guesses instead of coin flips (half True). Compare with Truth found at the same seed: look at accuracy at step 0 and over the first hundred steps, then at the end.',
      'A better start often helps early, yet both runs end at about the same accuracy: the annealing forgets where it began. Zero-shot seeds also cost K extra reads of the model.',
    ],
    look: [
      { text: 'accuracy from step 0', focus: 'accuracy' },
      { text: 'T: hot early, when the start is forgotten', focus: 'T' },
    ],
  },
  constant: {
    id: 'constant',
    title: 'When ICM labels everything one way',
    body: [
      'On data whose answers do not exclude each other (TruthfulQA: many claims per question, several right) the consistency rules never object to labeling everything True. Each proposal is the label the model finds likelier given the labels in context, and a model that leans toward True early on proposes True; once most labels are True it proposes True for everything, so all-True is a labeling the search can never leave, even where U ranks the truthful labeling higher.',
      'Measured on a generated file in the TruthfulQA layout with the simulated model: ICM as the paper runs it ended 100% True, no better than zero-shot and far below few-shot with random labels. A label-balance prior in U did not help (the proposals stay True; it only rejects them). Consistency keys that tie claims giving the same answer together, with one right answer per group, helped part of the way. Calibrated proposals — True only where the model finds True likelier than it does on average over the labeled items — let the search leave the constant labeling and reach the accuracy of gold demonstrations. Both are departures from the paper, off by default.',
      'Every run therefore shows its label balance, draws U of all-True and all-False on the U plot, and warns when the labeling is (nearly) constant or a constant labeling scores as high.',
    ],
    look: [
      { text: 'the label balance over the steps', focus: 'balance' },
      { text: 'U against all-True and all-False', focus: 'U' },
    ],
  },
  nonSalient: {
    id: 'nonSalient',
    title: 'A non-salient concept: ICM fails',
    body: [
      'Pairwise comparisons, where the simulated model notices which response is longer more readily than which is better. ICM finds, as it should, the labeling the model finds most coherent: by length. U ends far higher than in a comparison run where the truth is salient, with I at 0, yet accuracy stays well below that run’s, near 60%.',
      'Coherence is not truth: ICM can only elicit a concept the model already represents saliently (the paper’s own caveat).',
    ],
    look: [
      { text: 'U: higher than the truth’s', focus: 'U' },
      { text: 'accuracy against gold', focus: 'accuracy' },
    ],
  },
};
