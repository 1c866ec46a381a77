// Names that tell runs and their files apart (issue 25, item 8): the demo and a new default run
// were both "Math solutions (generated) · seed 1", and every export of a dataset had one file
// name. A run's name says its data, model and seed and ends in a short id no other run's name
// has; a file's name is its run's, with the time it was written.

import { findModel } from '../webllm/catalog';
import type { ModelSpec } from './params';

/** The model in a few words (the run screen says more: the read mode, the server's address). */
export function modelName(m: ModelSpec): string {
  switch (m.kind) {
    case 'simulated':
      return 'simulated model';
    case 'webllm':
      return findModel(m.modelId)?.label ?? m.modelId;
    case 'wllama':
      return m.name;
    case 'server':
    case 'recorded':
      return m.model;
    default:
      return (m as { kind: string }).kind; // a backend added without a name here
  }
}

const SHORT_ID = 4; // characters of the run's id: enough among the runs of one browser, lengthened on a clash

/** "<data> · <model> · seed <n> · <short id>", the short id as long as it must be for a name no run in `taken` has. */
export function runName(dataset: string, model: ModelSpec, seed: number, id: string, taken: ReadonlySet<string>): string {
  const chars = id.replace(/[^0-9a-z]/gi, '') || id;
  for (let n = SHORT_ID; ; n++) {
    const name = `${dataset} · ${modelName(model)} · seed ${seed} · ${chars.slice(0, n)}`;
    if (!taken.has(name) || n >= chars.length) return name;
  }
}

const two = (n: number) => String(n).padStart(2, '0');

/** Local date and time to the second, for a file name: "2026-12-07-094105". */
export function fileStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`;
}

/** A name made safe for a file: lower case, runs of anything but letters, digits, '.', '_' and '-' made one '-'. */
export const fileSlug = (name: string): string => name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase();
