// The test kind's backend (kind.ts says why it exists): a toy model, one token a word, a 900-token
// window and a one-prompt prefix cache, counting what it read and what it computed.

import { sequenceText } from '../../../src/lib/data/prompt';
import type { Dataset } from '../../../src/lib/data/types';
import type { LabelRead, Segment } from '../../../src/lib/icm/model';
import type { Backend } from '../backend';
import { wordsKind, type WordSpec } from './kind';

const words = (text: string) => text.split(/\s+/).filter(Boolean);

export function wordsBackend(): Backend<'words'> & { computed: number; read: number } {
  const backend = {
    descriptor: wordsKind,
    needs: { kind: 'nothing' } as const,
    computed: 0,
    read: 0,
    async open(spec: WordSpec, dataset: Dataset, indices: number[]) {
      const items = indices.map((d) => dataset.items[d]);
      let previous: string[] = [];
      return {
        contextWindow: 900,
        tokenCounts: () => ({ items: items.map((it) => words(`${it.question} ${it.claim} I think this claim is True`).length), fixed: 0 }),
        warnings: () => ['Word counts stand in for tokens.'],
        cancel: () => undefined,
        async readSequence(segments: Segment[]) {
          const seq = sequenceText(dataset.kind, items, segments);
          const tokens = words(seq.text);
          let shared = 0;
          while (shared < Math.min(tokens.length, previous.length) && tokens[shared] === previous[shared]) shared++;
          previous = tokens;
          const reads: LabelRead[] = seq.reads.map((r) => {
            const even = words(items[r.item].claim).length % 2 === 0;
            return { item: r.item, logTrue: even ? spec.lean : -spec.lean, logFalse: 0 };
          });
          backend.computed += tokens.length - shared;
          backend.read += tokens.length;
          return { reads, tokens: tokens.length, computed: tokens.length - shared };
        },
      };
    },
  };
  return backend;
}
