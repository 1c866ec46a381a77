// A run recorded on a real model elsewhere as the page and the worker both know it (kind.ts in
// workers/backends says what this is): nothing creates one here; it replays from its log.

import { dateText, literal, num, object, optional, str } from '../../../src/lib/export/validate';
import type { RecordedSpec } from '../../../src/lib/model/params';
import type { KindDescriptor } from '../kind';

/** How the run screen and the runs list name a recorded run. */
export const recordedLabel = (m: RecordedSpec): string => `Recorded on ${m.model} on ${m.machine}, ${m.recordedAt.slice(0, 10)}`;

export const recordedKind = {
  kind: 'recorded',
  label: 'A run recorded on a real model',
  blurb: 'The step log of a run on a real model elsewhere, replayed here without the model.',
  languageModel: true, // what it recorded was read by one
  prefixCache: false,
  files: 'none',
  refusal: 'A recorded run cannot be created: open it with "Replay a run recorded on a real model".',
  defaultSpec: () => ({ kind: 'recorded', model: '', file: '', via: '', machine: '', recordedAt: '' }),
  validate: () => ({}),
  schema: object<RecordedSpec>({ kind: literal('recorded'), model: str, file: str, via: str, machine: str, recordedAt: dateText, seconds: optional(num) }),
  describe: (spec) => `${spec.model}, recorded (not live)`, // where and when: the run screen's notice (recordedLabel)
  formFields: [],
} satisfies KindDescriptor<'recorded'>;
