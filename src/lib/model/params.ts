// What a run's model is (ModelSpec), and the settings of the simulated model (DESIGN §4) and of a
// server, with their checks, shared by the page and the worker.

import type { PromptFormat } from '../data/prompt';

export type { PromptFormat } from '../data/prompt';

export type SaliencePreset = 'truth' | 'spurious'; // which concept is most salient to the model

export interface SimulatedParams {
  knowledge: number; // share of items whose hidden belief agrees with gold, 0.5–1
  confidence: number; // mean probability the model puts on its belief when it follows it, 0.5–1
  bias: number; // zero-shot lean toward " True", 0 (none) – 1 (strong)
  salience: SaliencePreset;
}

export const defaultSimulatedParams: SimulatedParams = {
  knowledge: 0.85,
  confidence: 0.8,
  bias: 0.5,
  salience: 'truth',
};

/** How the web-llm backend reads label log-probabilities: full logits (exact, one pass per
 *  sequence) or completions with equal logit bias on both labels (slower fallback). */
export type WebLLMReadMode = 'logits' | 'logit-bias';

/**
 * A model behind an OpenAI-compatible completions endpoint (vLLM, llama.cpp's server, Ollama).
 * The API key is kept in this browser only: inside the run's record in IndexedDB, because the
 * worker needs it to resume the run after a reload. It is never logged, never put in an error
 * message, and must be dropped (src/lib/server/secrets.ts) from anything exported.
 */
export interface ServerSpec {
  kind: 'server';
  baseUrl: string; // the server's root or its /v1, e.g. http://127.0.0.1:8000
  model: string; // the model name the server serves (its /v1/models ids)
  apiKey?: string; // sent as "Authorization: Bearer …"; omitted when the server needs none
  topK: number; // top log-probabilities asked per read (OpenAI allows 5, vLLM 20 by default)
  concurrency: number; // requests in flight at once (servers batch them)
  timeoutS?: number; // seconds one request may take before the run stops with a clear error (default 120)
  prompt?: PromptFormat; // how items are put to the model (default 'completion', the paper's)
}

/** A GGUF model run by llama.cpp compiled to WebAssembly, on the CPU (workers/backends/wllama): one
 *  of the built-in list, downloaded once, or a .gguf file picked from disk (it never leaves the machine). */
/** Where llama.cpp computes: the GPU where its WebGPU backend can use it, else the CPU (auto); or as chosen. */
export type LlamaDevice = 'auto' | 'gpu' | 'cpu';

export interface WllamaSpec {
  kind: 'wllama';
  modelId: string; // a built-in list id, or "file-<name>-<bytes>" for a file from disk
  name: string; // shown on the run screen
  device?: LlamaDevice; // absent: auto
}

/** A run recorded on a real model elsewhere (`npm run record-real`) and shipped with the app as
 *  its step log: it replays from the log and never reads a model here (workers/backends/recorded). */
export interface RecordedSpec {
  kind: 'recorded';
  model: string; // the model's name, e.g. "SmolLM2 135M Instruct (Q4_1)"
  file: string; // the GGUF file it was read from
  via: string; // what read it, e.g. "llama-cpp-python 0.3.36 server, top-20 log-probabilities"
  machine: string; // the machine it ran on, e.g. "2 × AMD EPYC 7B13, 8 GB memory"
  recordedAt: string; // ISO date and time
  seconds?: number; // wall time of the search, seed labels included (absent in runs stored before it was kept)
}

export interface SimulatedSpec {
  kind: 'simulated';
  params: SimulatedParams;
}

/** A small language model on WebGPU through web-llm (workers/backends/webllm). */
export interface WebLLMSpec {
  kind: 'webllm';
  modelId: string; // a prebuilt model of web-llm's list
  mode: WebLLMReadMode;
}

/**
 * The spec of each model kind the app ships, by kind: one folder under workers/backends/ each,
 * whose kind.ts describes it to the page and the worker (workers/backends/kinds.ts). The
 * registries are held to these kinds by the compiler.
 */
export interface BuiltinModelSpecs {
  simulated: SimulatedSpec;
  webllm: WebLLMSpec;
  server: ServerSpec;
  wllama: WllamaSpec;
  recorded: RecordedSpec;
}

/**
 * Every kind's spec: the built-in ones, and any a test adds beside them by declaration merging
 * (`declare module '…/src/lib/model/params' { interface ModelSpecs { mine: MySpec } }`), with its
 * backend and descriptor passed to the registries as extras.
 */
export interface ModelSpecs extends BuiltinModelSpecs {}

export type BuiltinKind = keyof BuiltinModelSpecs;
export type ModelKind = keyof ModelSpecs;
export type ModelSpec = ModelSpecs[ModelKind];

export const simulatedRules: Record<Exclude<keyof SimulatedParams, 'salience'>, { min: number; max: number; label: string }> = {
  knowledge: { min: 0.5, max: 1, label: 'Knowledge' },
  confidence: { min: 0.5, max: 0.99, label: 'Confidence' },
  bias: { min: 0, max: 1, label: 'Bias' },
};

export function validateSimulatedParams(p: SimulatedParams): Partial<Record<keyof SimulatedParams, string>> {
  const errors: Partial<Record<keyof SimulatedParams, string>> = {};
  for (const [field, rule] of Object.entries(simulatedRules) as [keyof typeof simulatedRules, (typeof simulatedRules)['knowledge']][]) {
    const v = p[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < rule.min || v > rule.max)
      errors[field] = `${rule.label} must be between ${rule.min} and ${rule.max}.`;
  }
  if (p.salience !== 'truth' && p.salience !== 'spurious') errors.salience = 'Choose a salience preset.';
  return errors;
}

export const defaultServerSpec: ServerSpec = {
  kind: 'server',
  baseUrl: 'http://127.0.0.1:8000', // localhost: item texts stay on this machine
  model: '',
  topK: 20,
  concurrency: 4,
  timeoutS: 120,
};

export const serverRules = {
  topK: { min: 1, max: 100, label: 'Top-k' }, // above 20, vLLM needs --max-logprobs; the connection check probes it
  concurrency: { min: 1, max: 64, label: 'Requests in flight' },
  timeoutS: { min: 1, max: 3600, label: 'Request timeout (s)' }, // a 70B model on a long prompt may need minutes
} as const;

/** How the server's model is prompted. The paper's completion is the default: measured on Qwen2.5-Coder
 *  Instruct (docs/measurements/real-models.md), the chat template did not elicit better overall. */
export const promptFormatRule = {
  label: 'Prompt',
  options: [
    { value: 'completion', text: "Completion (the paper's)" },
    { value: 'chat', text: 'Chat template (ChatML)' },
  ] satisfies { value: PromptFormat; text: string }[],
} as const;

export type ServerSpecErrors = Partial<Record<Exclude<keyof ServerSpec, 'kind'>, string>>;

/** Every invalid field of a server spec with a message a person can act on; empty when valid. */
export function validateServerSpec(spec: ServerSpec): ServerSpecErrors {
  const errors: ServerSpecErrors = {};
  const base = typeof spec.baseUrl === 'string' ? spec.baseUrl.trim() : '';
  let url: URL | null = null;
  try {
    url = new URL(base);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    errors.baseUrl = 'Server URL must start with http:// or https://, e.g. http://127.0.0.1:8000.';
  else if (url.username || url.password) errors.baseUrl = 'Put the key in the API key field, not in the server URL.';
  else if (url.search || url.hash) errors.baseUrl = "Server URL must not have a query (?…) or a fragment (#…): give the server's root, e.g. http://127.0.0.1:8000.";
  if (typeof spec.model !== 'string' || spec.model.trim() === '') errors.model = 'Name the model the server serves (the connection check lists them).';
  // Header values cannot hold line breaks; spaces are a sign of a pasted "Bearer …" or a typo.
  if (spec.apiKey !== undefined && (typeof spec.apiKey !== 'string' || /\s/.test(spec.apiKey)))
    errors.apiKey = 'The API key must not contain spaces or line breaks (give the key alone, without "Bearer").';
  if (spec.prompt !== undefined && !promptFormatRule.options.some((o) => o.value === spec.prompt))
    errors.prompt = `Prompt must be ${promptFormatRule.options.map((o) => `"${o.value}"`).join(' or ')}.`;
  for (const field of ['topK', 'concurrency', 'timeoutS'] as const) {
    const rule = serverRules[field];
    const v = spec[field];
    if (field === 'timeoutS' && v === undefined) continue; // optional: the default applies
    if (typeof v !== 'number' || !Number.isInteger(v) || v < rule.min || v > rule.max)
      errors[field] = `${rule.label} must be a whole number between ${rule.min} and ${rule.max}.`;
  }
  return errors;
}
