// Your own OpenAI-compatible server as the page and the worker both know it (kind.ts in
// workers/backends says what this is). The set-up form edits every field (the key '' when there is
// none); a run keeps the spec tidied: trimmed, no key field without a key.

import { literal, num, object, optional, str } from '../../../src/lib/export/validate';
import { defaultServerSpec, validateServerSpec, type ServerSpec } from '../../../src/lib/model/params';
import { originOf } from '../../../src/lib/server/errors';
import type { FieldErrors, KindDescriptor } from '../kind';

/** The form's server spec: every optional field present (the key '' when there is none). */
const formSpec = (): ServerSpec => ({ ...defaultServerSpec, apiKey: '', timeoutS: defaultServerSpec.timeoutS ?? 120, prompt: defaultServerSpec.prompt ?? 'completion' });

export const serverKind = {
  kind: 'server',
  label: 'Your own server (OpenAI-compatible completions)',
  blurb:
    'A model of any size on a vLLM, llama.cpp or Ollama server you run, read through its /v1/completions with log-probabilities. Item texts are sent to that server; one on this machine is suggested.',
  languageModel: true,
  // counted on: llama.cpp's server, llama-cpp-python's and Ollama reuse the previous prompt's
  // prefix, and vLLM has prefix caching on by default since its V1 engine; on a server without
  // one the tree plan (B = 2) still reads half the tokens of flat blocks (B = 4)
  prefixCache: true,
  files: 'none',
  defaultSpec: formSpec,
  validate: (spec) => validateServerSpec(spec),
  // apiKey never reaches the schema: a backup is read with every key dropped first
  schema: object<ServerSpec>({
    kind: literal('server'), baseUrl: str, model: str, apiKey: optional(str), topK: num, concurrency: num, timeoutS: optional(num), prompt: optional(literal('completion', 'chat')),
  }),
  describe: (spec) => `${spec.model} (server at ${spec.baseUrl})`,
  tidy(spec) {
    const { apiKey, ...rest } = spec;
    const key = apiKey?.trim() ?? '';
    return { ...rest, baseUrl: rest.baseUrl.trim(), model: rest.model.trim(), ...(key ? { apiKey: key } : {}) };
  },
  // the server's address, model, key and prompt format are not search settings: they stay
  restore: (spec) => ({ ...spec, topK: defaultServerSpec.topK, concurrency: defaultServerSpec.concurrency, timeoutS: defaultServerSpec.timeoutS ?? 120 }),
  formFields: ['baseUrl', 'model', 'apiKey', 'topK', 'concurrency', 'timeoutS', 'prompt'],
  formErrors(spec, validated, { connection }) {
    const errors: FieldErrors = { ...validated };
    // an empty name is the starting point: the check fills it in, so it is a hint, not a red field
    const unnamed = spec.model === '';
    if (unnamed) delete errors.model;
    if (errors.baseUrl) return errors;
    if (connection.needsConsent(spec.baseUrl)) {
      errors.serverPrivacy = `Item texts would be sent to ${originOf(spec.baseUrl)}: confirm that above, or use a server on this machine.`;
      return errors;
    }
    const phase = connection.phase(spec);
    if (phase === 'passed') return errors;
    errors.serverCheck = {
      unchecked: unnamed ? 'Check the connection: it also fills in the model the server serves.' : 'Check the connection to the server first.',
      stale: 'The server settings changed since the last check: check the connection again.',
      checking: 'Checking the connection to the server…',
      failed: 'The connection check failed: fix what it says, then check again.',
    }[phase];
    return errors;
  },
  hints: ['serverPrivacy', 'serverCheck'],
} satisfies KindDescriptor<'server'>;
