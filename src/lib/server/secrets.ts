// The API key of a server run lives in this browser only: in the run's ModelSpec, inside its
// record in IndexedDB (the worker needs it to resume after a reload). Anything that leaves the
// browser (an export, a shared link, a bug report) goes through publicModelSpec first.

import type { ModelSpec } from '../model/params';

/** The spec without its API key (every other field unchanged). */
export function publicModelSpec(spec: ModelSpec): ModelSpec {
  if (spec.kind !== 'server' || spec.apiKey === undefined) return spec;
  const { apiKey: _dropped, ...rest } = spec;
  return rest;
}

/** Whether a server spec carries a key (for the UI: "key set", never the key itself). */
export const hasApiKey = (spec: ModelSpec): boolean => spec.kind === 'server' && !!spec.apiKey;
