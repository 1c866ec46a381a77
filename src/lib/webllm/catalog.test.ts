import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { prebuiltSmallModels, webllmVersion } from './catalog-data';
import { bitsPerWeight, catalog, defaultModelId, families, findModel, modelHosts, modelsFor, parseModelId, unusableReason } from './catalog';

const f16 = { usable: true, shaderF16: true, maxStorageBufferBindingSize: 2 ** 31 };
const noF16 = { usable: true, shaderF16: false, maxStorageBufferBindingSize: 2 ** 30 };

describe('model catalog', () => {
  it('matches the installed web-llm prebuilt list', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../node_modules/@mlc-ai/web-llm/package.json', import.meta.url), 'utf8'));
    expect(pkg.version).toBe(webllmVersion);
    const fromPackage = prebuiltAppConfig.model_list
      .filter((r) => r.model_type === undefined && families[parseModelId(r.model_id)?.family ?? ''] !== undefined)
      .map((r) => ({
        model_id: r.model_id,
        model: r.model,
        model_lib: r.model_lib,
        vram_required_MB: r.vram_required_MB,
        low_resource_required: r.low_resource_required ?? false,
        context_window_size: r.overrides?.context_window_size,
        ...(r.required_features ? { required_features: r.required_features } : {}),
        ...(r.buffer_size_required_bytes ? { buffer_size_required_bytes: r.buffer_size_required_bytes } : {}),
      }));
    expect(prebuiltSmallModels).toEqual(fromPackage);
    // Every family named is still in the list.
    for (const family of Object.keys(families)) expect(prebuiltSmallModels.some((r) => parseModelId(r.model_id)?.family === family)).toBe(true);
  });

  it('offers small models with what the picker shows', () => {
    expect(catalog.length).toBeGreaterThan(30);
    for (const m of catalog) {
      expect(m.paramsB).toBeLessThanOrEqual(2.8);
      expect(m.downloadMB).toBeLessThanOrEqual(3000);
      expect(m.contextWindow).toBeGreaterThanOrEqual(1024);
      expect(m.shader === 'f16').toBe(m.requiredFeatures.includes('shader-f16'));
    }
    const qwen = findModel('Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
    expect(qwen).toMatchObject({ family: 'Qwen2.5-0.5B-Instruct', quantization: 'q4f16_1', shader: 'f16', gpuMB: 945, contextWindow: 4096, flavor: 'instruct' });
    expect(qwen?.downloadMB).toBe(Math.round((0.494e9 * 4.5) / 8 / 2 ** 20 + 10)); // ≈ 275 MB
    expect(findModel('phi-1_5-q4f32_1-MLC-1k')).toMatchObject({ flavor: 'base', contextWindow: 1024, shader: 'f32' });
    expect(findModel('Llama-3.2-1B-Instruct-q0f32-MLC')).toBeUndefined(); // ~4.7 GB download
    expect(findModel('Llama-3.2-3B-Instruct-q4f16_1-MLC')).toBeUndefined(); // too large
    expect(catalog[0].family).toBe('SmolLM2-135M-Instruct');
  });

  it('knows the bits of each quantization', () => {
    expect(bitsPerWeight('q4f16_1')).toBe(4.5);
    expect(bitsPerWeight('q4f32_1')).toBe(5);
    expect(bitsPerWeight('q0f16')).toBe(16);
    expect(bitsPerWeight('q0f32')).toBe(32);
    expect(() => bitsPerWeight('int8')).toThrow(/Unknown quantization/);
    expect(parseModelId('gemma-2-2b-it-q4f32_1-MLC-1k')).toEqual({ family: 'gemma-2-2b-it', quantization: 'q4f32_1' });
  });

  it('offers the f32-kernel variants when shader-f16 is missing', () => {
    const offered = modelsFor(noF16);
    expect(offered.length).toBeGreaterThan(10);
    expect(offered.every((m) => m.shader === 'f32')).toBe(true);
    expect(offered.map((m) => m.id)).toContain('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    expect(offered.some((m) => m.quantization === 'q4f32_1')).toBe(true);
    expect(modelsFor(f16).some((m) => m.shader === 'f16')).toBe(true);
    expect(unusableReason(findModel('Qwen3-0.6B-q4f16_1-MLC')!, noF16)).toMatch(/shader-f16.*q4f32/);
    expect(modelsFor({ usable: false, shaderF16: true, maxStorageBufferBindingSize: 2 ** 31 })).toEqual([]);
    // gemma-2b needs 250 MB storage buffers
    expect(unusableReason(findModel('gemma-2b-it-q4f32_1-MLC')!, { ...noF16, maxStorageBufferBindingSize: 128 * 2 ** 20 })).toMatch(/250 MB/);
  });

  it('picks a default the GPU can run and names the hosts a download contacts', () => {
    expect(defaultModelId(f16)).toBe('Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
    expect(defaultModelId(noF16)).toBe('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    expect(defaultModelId({ ...noF16, usable: false })).toBeNull();
    expect(modelHosts()).toEqual(['huggingface.co', 'raw.githubusercontent.com']);
  });

  it('keeps web-llm out of the main bundle: src/lib/webllm imports it for types only', () => {
    const dir = new URL('.', import.meta.url);
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const src = readFileSync(new URL(f, dir), 'utf8');
      const runtime = src.split('\n').filter((l) => /from '@mlc-ai\/web-llm'|import\('@mlc-ai\/web-llm'\)/.test(l) && !/^import type /.test(l));
      expect(runtime, f).toEqual([]);
    }
  });
});
