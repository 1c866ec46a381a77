// A labeling that says nothing: (nearly) every item the same label, or a found labeling that
// scores no higher than a constant one. On data whose answers do not exclude each other the
// consistency rules never penalise a constant labeling, and ICM can drift to one (README,
// "When ICM labels everything one way"); every run is checked for it.

import type { ConstantScores } from '../icm/search';

export const NEARLY_CONSTANT = 0.95; // share of one label at which a labeling says (nearly) nothing
export const MIN_LABELED = 8; // fewer labels than this are too few to call constant (the seed labels are 8)
export const COVERED = 0.9; // U is compared with the constants' (whole pool) once this share of the pool is labeled

export interface Degeneracy {
  shareTrue: number;
  constant: boolean | null; // the label that (nearly) every item has; null when both are used
  beatenBy: boolean | null; // the constant labeling that scores at least as high as the one found; null when none does
  message: string; // what is wrong, for a person
  advice: string[]; // what to try
}

export const DEGENERATE_ADVICE = [
  'Run again with Proposals set to "likelier than the labeled items\' average" in the search settings (a departure from the paper): the model then proposes the other label wherever it is less sure than usual.',
  'Import the file again with the consistency key "the claim\'s answer" and One right answer per group on, so that claims giving different answers to one question constrain each other (a departure from the paper).',
  'Compare with the baselines on the review screen: few-shot with random labels or bootstrapping may do better on this data.',
  'Try the label-balance prior λ in the search settings (a departure from the paper; on its own it rarely rescues a run whose model proposes one label for everything).',
];

const name = (label: boolean) => (label ? 'True' : 'False');

/** A run's labeling as the check needs it: counts, its U, and U of the constant labelings. */
export interface LabelingFigures {
  labeled: number;
  trues: number; // labeled True
  pool: number;
  U: number;
  constants: ConstantScores | null; // on the whole pool; null in runs saved before they were measured
}

/** Whether a labeling is degenerate, with the message and advice to show; null when it is not
 *  (or too little is labeled to tell). */
export function degeneracy({ labeled, trues, pool, U, constants }: LabelingFigures): Degeneracy | null {
  if (labeled < MIN_LABELED) return null;
  const share = trues / labeled;
  const constant = share >= NEARLY_CONSTANT ? true : share <= 1 - NEARLY_CONSTANT ? false : null;
  const bestU = constants ? Math.max(constants.allTrue.U, constants.allFalse.U) : -Infinity;
  const comparable = labeled >= COVERED * pool;
  const beatenBy = constants && comparable && bestU >= U ? constants.allTrue.U >= constants.allFalse.U : null;
  if (constant === null && beatenBy === null) return null;
  const pct = Math.round(share * 100);
  const parts: string[] = [];
  if (constant !== null) parts.push(`${constant ? pct : 100 - pct}% of the labeled items are ${name(constant)}.`);
  if (beatenBy !== null) parts.push(`Labeling every item ${name(beatenBy)} scores as high (U ${bestU.toFixed(1)} vs ${U.toFixed(1)}): the model finds the constant labeling as coherent as the one found.`);
  return { shareTrue: share, constant, beatenBy, message: parts.join(' '), advice: DEGENERATE_ADVICE };
}
