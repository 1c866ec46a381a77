// A throwaway model kind for the tests, in its own folder as a real one is (kind.ts, index.ts,
// Settings.svelte), and in none of the app's registries: the tests pass it beside the built-in
// kinds, to show that a kind added in its folder reaches the form, runs and is backed up with no
// edit anywhere else (kinds.test.ts, registry.test.ts). A toy "model": one token a word.

import { literal, num, object } from '../../../src/lib/export/validate';
import type { KindDescriptor } from '../kind';

export interface WordSpec {
  kind: 'words';
  lean: number; // log-odds toward True of a claim with an even number of words
}

declare module '../../../src/lib/model/params' {
  interface ModelSpecs {
    words: WordSpec;
  }
}

export const wordsKind = {
  kind: 'words',
  label: 'Word counter (a test kind)',
  blurb: 'Calls a claim true when it has an even number of words.',
  languageModel: true,
  prefixCache: true, // it keeps the words of the previous prompt
  files: 'none',
  defaultSpec: () => ({ kind: 'words', lean: 1 }),
  validate: (spec) => (Number.isFinite(spec.lean) ? {} : { lean: 'Lean must be a number.' }),
  schema: object<WordSpec>({ kind: literal('words'), lean: num }),
  describe: (spec) => `Word counter, lean ${spec.lean}`,
  formFields: ['lean'],
} satisfies KindDescriptor<'words'>;
