// The simulated model as the page and the worker both know it (kind.ts in workers/backends says what this is).

import { num, object, literal } from '../../../src/lib/export/validate';
import { defaultSimulatedParams, validateSimulatedParams, type SimulatedParams, type SimulatedSpec } from '../../../src/lib/model/params';
import type { KindDescriptor } from '../kind';

export const simulatedKind = {
  kind: 'simulated',
  label: 'Simulated model',
  badge: 'not a language model',
  blurb:
    'A seeded Bayesian in-context learner that behaves the way ICM expects a language model to: it has a hidden belief about each item, a zero-shot bias, and it infers from the demonstrations which labeling concept to follow. Runs without a GPU.',
  languageModel: false,
  prefixCache: false, // it computes every read
  files: 'none',
  defaultSpec: () => ({ kind: 'simulated', params: { ...defaultSimulatedParams } }),
  validate: (spec) => validateSimulatedParams(spec.params),
  schema: object<SimulatedSpec>({
    kind: literal('simulated'),
    params: object<SimulatedParams>({ knowledge: num, confidence: num, bias: num, salience: literal('truth', 'spurious') }),
  }),
  describe: () => 'Simulated model (not a language model)',
  formFields: ['knowledge', 'confidence', 'bias', 'salience'],
} satisfies KindDescriptor<'simulated'>;
