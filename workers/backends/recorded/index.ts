// A run recorded on a real model elsewhere (src/lib/export/recording.ts) has a model kind of its
// own, so that it replays from its log and can never read a model here: nothing resumes, resets or
// labels with it, whatever the page asks. The run host opens recordings (openRecording).

import type { Backend } from '../backend';
import { HostError } from '../../errors';
import { recordedKind } from './kind';

export const recordedRunRefusal = (model: string): string =>
  `This run was recorded on ${model} on another machine and replays from its log; it cannot take more steps or read a model here. To run ICM on a real model yourself, press "Run it on a real model in this browser" on New run.`;

export function recordedBackend(): Backend<'recorded'> {
  return {
    descriptor: recordedKind, // its refusal keeps createRun from making one
    needs: { kind: 'nothing' },
    open: async (spec) => {
      throw new HostError('RecordedRunError', recordedRunRefusal(spec.model));
    },
  };
}
