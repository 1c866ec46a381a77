import type { Wllama } from '@wllama/wllama';
import { describe, expect, it } from 'vitest';
import { NativeLog, type WllamaEngine } from './engine';
import { FakeWllama } from './fake';
import { fileModelId } from './loader';
import { Speedometer } from './storage';

// Compile-time: the installed package's Wllama has every method the backend calls, with these shapes
// (tokenize → number[], decode → {nPast}, getLogits → {token, p}[], kvRemove, kvClear, exit).
const real = (w: Wllama): WllamaEngine => w;

describe('the engine boundary', () => {
  it('the fake answers in the package shapes: probabilities sorted, over the whole vocabulary, top K a prefix of all', async () => {
    expect(typeof real).toBe('function');
    const fake = new FakeWllama({ vocab: 120 });
    const ids = await fake.tokenize('Question: a?\nClaim: b\nI think this claim is');
    expect(ids.every(Number.isInteger)).toBe(true);
    expect(await fake.decode(ids, {})).toEqual({ nPast: ids.length });
    const all = await fake.getLogits(-1);
    const top = await fake.getLogits(40);
    expect(all).toHaveLength(120);
    expect(top).toEqual(all.slice(0, 40));
    expect(all.reduce((s, x) => s + x.p, 0)).toBeCloseTo(1, 10);
    for (let i = 1; i < all.length; i++) expect(all[i - 1].p).toBeGreaterThanOrEqual(all[i].p);
  });

  it('names a file from disk by its name and size, so the same file gets the same id after a reload', () => {
    expect(fileModelId({ name: 'SmolLM2 135M (Q4_1).gguf', size: 98362432 })).toBe('file-SmolLM2-135M-Q4_1--98362432');
    expect(fileModelId({ name: 'a.gguf', size: 1 })).not.toBe(fileModelId({ name: 'a.gguf', size: 2 }));
  });

  it("finds why llama.cpp refused a file in its log (wllama 2.4.0's exception does not say)", () => {
    const log = new NativeLog();
    // llama.cpp's lines as wllama forwards them for a file without its hyperparameters (recorded in Chromium)
    for (const line of [
      'llama_model_loader: loaded meta data with 4 key-value pairs and 1 tensors from models/model-0.gguf (version GGUF V3 (latest))',
      'llama_model_loader: - type  f32:    1 tensors',
      'print_info: file size   = 0.00 MiB (32.00 BPW) ',
      'llama_model_load: error loading model: error loading model hyperparameters: key not found in model: llama.context_length',
      'llama_model_load_from_file_impl: failed to load model',
      'Error while loading model',
    ])
      log.add(line);
    expect(log.lastError()).toBe('error loading model hyperparameters: key not found in model: llama.context_length');
    expect(new NativeLog().lastError()).toBeNull();
  });

  it('download speed is measured over the last seconds', () => {
    const s = new Speedometer(3000);
    expect(s.add(0, 0)).toBe(0);
    expect(s.add(1000, 1_000_000)).toBe(1_000_000);
    s.add(5000, 2_000_000);
    expect(s.add(6000, 4_000_000)).toBe(2_000_000); // only the samples of the last 3 s count
  });
});
