import { describe, expect, it } from 'vitest';
import { checkCapability, detectBrowser, llamaPlacement, type Capability, type GpuAdapterLike, type NavigatorLike } from './capability';
import { modelsFor } from './catalog';
import { wllamaKind } from '../../../workers/backends/wllama/kind';

const UA = {
  chromeWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  chromeLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  headless: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
  oldChrome: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0.0.0 Safari/537.36',
  firefoxMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0',
  safari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
};

const GiB = 2 ** 30;

function adapter(o: { features?: string[]; info?: GpuAdapterLike['info']; fallback?: boolean; storage?: number; buffer?: number } = {}): GpuAdapterLike {
  return {
    features: new Set(o.features ?? ['shader-f16']),
    limits: { maxStorageBufferBindingSize: o.storage ?? 2 * GiB, maxBufferSize: o.buffer ?? 2 * GiB, maxComputeWorkgroupStorageSize: 32768, maxStorageBuffersPerShaderStage: 10 },
    info: o.info ?? { vendor: 'nvidia', architecture: 'ampere', description: '' },
    isFallbackAdapter: o.fallback,
  };
}

const nav = (userAgent: string, a: GpuAdapterLike | null | 'none' | Promise<never>): NavigatorLike => ({
  userAgent,
  gpu: a === 'none' ? undefined : { requestAdapter: () => (a instanceof Promise ? a : Promise.resolve(a)) },
});

describe('capability check', () => {
  it('reports a hardware GPU with shader-f16 as ready', async () => {
    const c = await checkCapability(nav(UA.chromeWin, adapter()), { secureContext: true });
    expect(c).toMatchObject({ verdict: 'ready', usable: true, webgpu: true, shaderF16: true, maxStorageBufferBindingSize: 2 * GiB, fix: [] });
    expect(c.adapter).toEqual({ vendor: 'nvidia', architecture: 'ampere', description: '', fallback: false });
    expect(c.title).toMatch(/WebGPU ready on nvidia ampere, with shader-f16/);
  });

  it('reports headless Chromium\'s SwiftShader as a software adapter without shader-f16, and q4f32 models are offered', async () => {
    const swiftshader = adapter({ features: [], info: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)' }, storage: 128 * 2 ** 20 * 8 });
    const c = await checkCapability(nav(UA.headless, swiftshader), { secureContext: true });
    expect(c).toMatchObject({ verdict: 'software', usable: true, shaderF16: false });
    expect(c.adapter?.fallback).toBe(true);
    expect(c.title).toMatch(/software GPU/);
    expect(c.notes.join(' ')).toMatch(/q4f32/);
    const offered = modelsFor(c);
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.every((m) => m.shader === 'f32')).toBe(true);
    // isFallbackAdapter alone marks software too (either where browsers report it)
    expect((await checkCapability(nav(UA.chromeWin, adapter({ info: { isFallbackAdapter: true } })))).verdict).toBe('software');
    expect((await checkCapability(nav(UA.chromeWin, adapter({ info: {}, fallback: true })))).verdict).toBe('software');
  });

  it('explains how to get WebGPU when the browser has none', async () => {
    const linux = await checkCapability(nav(UA.chromeLinux, 'none'), { secureContext: true });
    expect(linux).toMatchObject({ verdict: 'unavailable', usable: false, webgpu: false, adapter: null, shaderF16: false });
    expect(linux.fix.join('\n')).toMatch(/chrome:\/\/flags\/#enable-unsafe-webgpu/);
    expect(linux.fix.join('\n')).toMatch(/Vulkan/);
    expect(linux.fix.at(-1)).toMatch(/Simulated model/);
    expect((await checkCapability(nav(UA.oldChrome, 'none'), { secureContext: true })).fix[0]).toMatch(/version 113 \(this is 110\)/);
    expect((await checkCapability(nav(UA.firefoxMac, 'none'), { secureContext: true })).fix[0]).toMatch(/Firefox.*Windows/);
    expect((await checkCapability(nav(UA.safari, 'none'), { secureContext: true })).fix[0]).toMatch(/Safari 26/);
    expect((await checkCapability(nav(UA.edge, 'none'), { secureContext: true })).fix[0]).toMatch(/edge:\/\/gpu/);
    expect((await checkCapability(nav(UA.chromeWin, 'none'), { secureContext: false })).fix[0]).toMatch(/https:\/\/ or on localhost/);
  });

  it('says when WebGPU finds no adapter, or the GPU never answers', async () => {
    const none = await checkCapability(nav(UA.chromeLinux, null), { secureContext: true });
    expect(none).toMatchObject({ verdict: 'unavailable', webgpu: true });
    expect(none.title).toMatch(/no usable GPU/);
    expect(none.fix.join(' ')).toMatch(/Vulkan/);
    const hung = await checkCapability(nav(UA.chromeWin, new Promise<never>(() => {})), { timeoutMs: 20 });
    expect(hung).toMatchObject({ verdict: 'unavailable' });
    expect(hung.title).toMatch(/did not answer/);
    const failing: NavigatorLike = { userAgent: UA.chromeWin, gpu: { requestAdapter: () => Promise.reject(new Error('GPU process crashed')) } };
    expect((await checkCapability(failing)).title).toMatch(/GPU process crashed/);
  });

  it('refuses GPUs below web-llm\'s limits', async () => {
    const c = await checkCapability(nav(UA.chromeWin, adapter({ buffer: 128 * 2 ** 20 })));
    expect(c).toMatchObject({ verdict: 'unavailable', usable: false });
    expect(c.title).toMatch(/maxBufferSize is 128 MB \(web-llm needs 256 MB\)/);
    expect(modelsFor(c)).toEqual([]);
  });

  it('recognizes browsers', () => {
    expect(detectBrowser(UA.headless)).toEqual({ name: 'chrome', version: 131, os: 'linux' });
    expect(detectBrowser(UA.edge)).toEqual({ name: 'edge', version: 131, os: 'windows' });
    expect(detectBrowser(UA.safari)).toEqual({ name: 'safari', version: 17, os: 'mac' });
    expect(detectBrowser(UA.firefoxMac)).toEqual({ name: 'firefox', version: 128, os: 'mac' });
  });

  it('accepts the real Navigator type', () => {
    // Compile-time: a DOM Navigator (without WebGPU types) is a NavigatorLike.
    const check = (n: Navigator): NavigatorLike => n;
    expect(typeof check).toBe('function');
  });

  it('says where llama.cpp computes GGUF models: the GPU only with shader-f16 and JSPI, else the CPU and why', async () => {
    const gpu = await checkCapability(nav(UA.chromeWin, adapter()), { secureContext: true });
    expect(llamaPlacement(gpu, true)).toEqual({ gpu: true, text: expect.stringMatching(/^GPU, through llama.cpp's WebGPU build/) });
    expect(llamaPlacement(gpu, false).text).toMatch(/^CPU: this browser lacks WebAssembly JSPI/);
    const swiftshader = await checkCapability(nav(UA.headless, adapter({ features: [], info: { vendor: 'google', architecture: 'swiftshader', description: '' } })), { secureContext: true });
    expect(llamaPlacement(swiftshader, true)).toEqual({ gpu: false, text: "CPU: the software GPU lacks shader-f16, which llama.cpp's WebGPU backend requires." });
    expect(llamaPlacement(await checkCapability(nav(UA.chromeWin, 'none')), true).text).toBe('CPU: no WebGPU adapter.');
    // the set-up form recommends llama.cpp on the CPU where web-llm would be slow, and on such a GPU where the browser has JSPI
    const recommended = (c: Capability) => wllamaKind.recommended(c);
    expect([recommended(swiftshader), recommended(gpu)]).toEqual([true, 'Suspending' in WebAssembly]);
  });
});
