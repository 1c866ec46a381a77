// The check before any download (issue 3, item 3). web-llm fetches config and kernels before it
// looks at WebGPU, so the app asks the GPU itself first: is WebGPU there, which adapter (a
// software fallback such as SwiftShader runs, but very slowly), shader-f16 or not, and the
// buffer limits web-llm needs. The answer carries a verdict and, when something is missing,
// how to fix it. Runs in the main thread or a worker; no web-llm import.

// The slice of the WebGPU API this reads, so tests can pass plain objects (TypeScript's DOM
// library has no WebGPU types).
export interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean; // newer browsers report it here
}

export interface GpuAdapterLike {
  readonly features: { has(name: string): boolean };
  readonly limits: {
    readonly maxStorageBufferBindingSize: number;
    readonly maxBufferSize: number;
    readonly maxComputeWorkgroupStorageSize?: number;
    readonly maxStorageBuffersPerShaderStage?: number;
  };
  readonly info?: GpuAdapterInfoLike;
  readonly isFallbackAdapter?: boolean; // older browsers report it here
}

export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

export interface NavigatorLike {
  readonly gpu?: GpuLike;
  readonly userAgent: string;
}

/** ready: a hardware GPU; software: only a CPU emulation (works, very slowly); unavailable: no model can load. */
export type Verdict = 'ready' | 'software' | 'unavailable';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  fallback: boolean; // a software adapter
}

export interface Capability {
  verdict: Verdict;
  usable: boolean; // verdict !== 'unavailable'
  webgpu: boolean; // navigator.gpu exists
  adapter: AdapterSummary | null;
  shaderF16: boolean;
  maxStorageBufferBindingSize: number; // bytes, 0 without an adapter
  maxBufferSize: number; // bytes, 0 without an adapter
  title: string; // one line for the capability panel
  notes: string[]; // what it means for the models offered
  fix: string[]; // how to get a working GPU, empty when ready
}

// web-llm's own minimums (detectGPUDevice in 0.2.86): below these it refuses to start.
const MIN_BUFFER = 256 * 2 ** 20;
const MIN_STORAGE_BINDING = 128 * 2 ** 20;
const MIN_WORKGROUP_STORAGE = 32 * 2 ** 10;
const MIN_STORAGE_BUFFERS = 10;

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;

export interface Browser {
  name: 'chrome' | 'edge' | 'firefox' | 'safari' | 'other';
  version: number | null; // major
  os: 'windows' | 'mac' | 'linux' | 'chromeos' | 'android' | 'ios' | 'other';
}

export function detectBrowser(userAgent: string): Browser {
  const ua = userAgent;
  const os: Browser['os'] = /Android/.test(ua)
    ? 'android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'ios'
      : /CrOS/.test(ua)
        ? 'chromeos'
        : /Windows/.test(ua)
          ? 'windows'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'mac'
            : /Linux/.test(ua)
              ? 'linux'
              : 'other';
  const major = (re: RegExp) => {
    const m = re.exec(ua);
    return m ? Number(m[1]) : null;
  };
  if (/Edg\//.test(ua)) return { name: 'edge', version: major(/Edg\/(\d+)/), os };
  if (/Firefox\//.test(ua)) return { name: 'firefox', version: major(/Firefox\/(\d+)/), os };
  if (/Chrome\/|Chromium\/|HeadlessChrome\//.test(ua)) return { name: 'chrome', version: major(/(?:Chrome|Chromium|HeadlessChrome)\/(\d+)/), os };
  if (/Safari\//.test(ua)) return { name: 'safari', version: major(/Version\/(\d+)/), os };
  return { name: 'other', version: null, os };
}

const simulatedHint = 'Meanwhile the Simulated model runs everything without a GPU.';

/** How to get WebGPU in this browser, most likely fix first. */
export function webgpuFixes(b: Browser, secureContext: boolean): string[] {
  const fixes: string[] = [];
  if (!secureContext) fixes.push('WebGPU only works on secure pages: open the app over https:// or on localhost.');
  if (b.name === 'chrome' || b.name === 'edge') {
    const app = b.name === 'edge' ? 'Edge' : 'Chrome';
    const flags = b.name === 'edge' ? 'edge://flags' : 'chrome://flags';
    if (b.os === 'linux') {
      fixes.push(
        `On Linux, ${app} keeps WebGPU behind a flag: open ${flags}/#enable-unsafe-webgpu, enable it, and restart ${app}.`,
        `If it is still missing, also enable ${flags}/#enable-vulkan and make sure Vulkan drivers are installed (vulkaninfo lists your GPU).`,
      );
    } else if (b.os === 'android') {
      fixes.push(`Update to ${app} 121 or newer on Android 12+ with a Qualcomm or ARM GPU.`);
    } else if (b.version !== null && b.version < 113) {
      fixes.push(`Update ${app}: WebGPU is on by default from version 113 (this is ${b.version}).`);
    } else {
      fixes.push(`Check ${b.name === 'edge' ? 'edge://gpu' : 'chrome://gpu'}: if WebGPU is listed as disabled or blocklisted, enable ${flags}/#enable-unsafe-webgpu and update the GPU driver.`);
    }
  } else if (b.name === 'firefox') {
    fixes.push(
      b.os === 'windows'
        ? 'Update to Firefox 141 or newer, which enables WebGPU on Windows.'
        : 'Firefox enables WebGPU by default only on Windows so far; on this system use Chrome or Edge, or try Firefox Nightly with dom.webgpu.enabled set in about:config.',
    );
  } else if (b.name === 'safari') {
    fixes.push('Update to Safari 26 (macOS 26 / iOS 26), which enables WebGPU; on older Safari turn it on under Develop → Feature Flags → WebGPU.');
  } else {
    fixes.push('Use a recent Chrome or Edge (version 113 or newer), which have WebGPU on Windows, macOS and ChromeOS.');
  }
  fixes.push(simulatedHint);
  return fixes;
}

function summarize(adapter: GpuAdapterLike): AdapterSummary {
  const info = adapter.info ?? {};
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const description = info.description || info.device || '';
  const fallback = info.isFallbackAdapter === true || adapter.isFallbackAdapter === true || SOFTWARE.test(`${vendor} ${architecture} ${description}`);
  return { vendor, architecture, description, fallback };
}

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

function adapterName(a: AdapterSummary): string {
  const name = [a.vendor, a.architecture, a.description].filter(Boolean).join(' ');
  return name || 'unnamed GPU';
}

function timeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve('timeout'), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}

export interface CheckOptions {
  secureContext?: boolean; // defaults to globalThis.isSecureContext
  timeoutMs?: number; // a GPU process that never answers must not leave the panel spinning
}

export async function checkCapability(nav: NavigatorLike, opts: CheckOptions = {}): Promise<Capability> {
  const secure = opts.secureContext ?? (globalThis as { isSecureContext?: boolean }).isSecureContext ?? true;
  const browser = detectBrowser(nav.userAgent);
  const none = { adapter: null, shaderF16: false, maxStorageBufferBindingSize: 0, maxBufferSize: 0 };
  const unavailable = (webgpu: boolean, title: string, notes: string[], fix: string[]): Capability => ({
    verdict: 'unavailable',
    usable: false,
    webgpu,
    ...none,
    title,
    notes,
    fix,
  });

  if (!nav.gpu)
    return unavailable(false, 'WebGPU is not available in this browser, so no language model can run here.', [], webgpuFixes(browser, secure));

  const waitMs = opts.timeoutMs ?? 5000;
  let adapter: GpuAdapterLike | null | 'timeout';
  try {
    // The same request web-llm makes, so the answer matches what the load will get.
    adapter = await timeout(nav.gpu.requestAdapter({ powerPreference: 'high-performance' }), waitMs);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return unavailable(true, `WebGPU is present but asking for a GPU failed: ${reason}`, [], webgpuFixes(browser, secure));
  }
  if (adapter === 'timeout')
    return unavailable(true, `WebGPU is present but the GPU did not answer within ${Math.round(waitMs / 1000)} s.`, [], ['Reload the page; if it keeps happening, restart the browser.', simulatedHint]);
  if (adapter === null)
    return unavailable(
      true,
      'WebGPU is present but found no usable GPU (none, or one the browser blocklists).',
      [],
      [
        'Update the GPU driver.',
        ...(browser.name === 'chrome' || browser.name === 'edge'
          ? [`Check ${browser.name === 'edge' ? 'edge' : 'chrome'}://gpu; to override the blocklist enable ${browser.name === 'edge' ? 'edge' : 'chrome'}://flags/#enable-unsafe-webgpu.`]
          : []),
        ...(browser.os === 'linux' ? ['On Linux, WebGPU needs Vulkan: install the Vulkan driver for your GPU and enable chrome://flags/#enable-vulkan.'] : []),
        simulatedHint,
      ],
    );

  const summary = summarize(adapter);
  const limits = adapter.limits;
  const shaderF16 = adapter.features.has('shader-f16');
  const base = {
    webgpu: true,
    adapter: summary,
    shaderF16,
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    maxBufferSize: limits.maxBufferSize,
  };

  const short: string[] = [];
  if (limits.maxBufferSize < MIN_BUFFER) short.push(`maxBufferSize is ${mb(limits.maxBufferSize)} (web-llm needs ${mb(MIN_BUFFER)})`);
  if (limits.maxStorageBufferBindingSize < MIN_STORAGE_BINDING)
    short.push(`maxStorageBufferBindingSize is ${mb(limits.maxStorageBufferBindingSize)} (web-llm needs ${mb(MIN_STORAGE_BINDING)})`);
  if (limits.maxComputeWorkgroupStorageSize !== undefined && limits.maxComputeWorkgroupStorageSize < MIN_WORKGROUP_STORAGE)
    short.push(`maxComputeWorkgroupStorageSize is ${limits.maxComputeWorkgroupStorageSize} bytes (web-llm needs ${MIN_WORKGROUP_STORAGE})`);
  if (limits.maxStorageBuffersPerShaderStage !== undefined && limits.maxStorageBuffersPerShaderStage < MIN_STORAGE_BUFFERS)
    short.push(`maxStorageBuffersPerShaderStage is ${limits.maxStorageBuffersPerShaderStage} (web-llm needs ${MIN_STORAGE_BUFFERS})`);
  if (short.length > 0)
    return {
      ...base,
      verdict: 'unavailable',
      usable: false,
      title: `The GPU (${adapterName(summary)}) is too limited for web-llm: ${short.join('; ')}.`,
      notes: [],
      fix: ['Update the browser and GPU driver, or use a machine with a dedicated or newer GPU.', simulatedHint],
    };

  const notes: string[] = [];
  if (!shaderF16) notes.push('No shader-f16: the picker offers the q4f32 variants (f32 kernels), which need more GPU memory and run a little slower.');
  if (limits.maxStorageBufferBindingSize < 2 ** 30)
    notes.push(`GPU buffers are limited to ${mb(limits.maxStorageBufferBindingSize)}; models that need more are not offered.`);

  if (summary.fallback)
    return {
      ...base,
      verdict: 'software',
      usable: true,
      title: `Only a software GPU is available (${adapterName(summary)}): models load, but run on the CPU and take minutes per step.`,
      notes: ['Pick the smallest download (SmolLM2 360M q4f32, about 226 MB) and a small pool, or use the Simulated model.', ...notes],
      fix: [
        'For real speed, use a machine whose browser exposes a hardware GPU.',
        ...(browser.os === 'linux' && (browser.name === 'chrome' || browser.name === 'edge')
          ? ['On Linux, enable chrome://flags/#enable-unsafe-webgpu and chrome://flags/#enable-vulkan with a Vulkan driver installed.']
          : []),
      ],
    };

  return {
    ...base,
    verdict: 'ready',
    usable: true,
    title: `WebGPU ready on ${adapterName(summary)}${shaderF16 ? ', with shader-f16' : ', without shader-f16'}.`,
    notes,
    fix: [],
  };
}

/** web-llm needs a real GPU with shader-f16 to be quick: without one (or before the check has an
 *  answer, `cap` null: not recommended), llama.cpp on the CPU is the better choice. */
export const recommendCpu = (cap: Capability | null): boolean => cap !== null && (!cap.usable || cap.verdict === 'software' || !cap.shaderF16);

/** Where llama.cpp (the GGUF backend) computes in this browser: on the GPU where its WebGPU backend
 *  can take the adapter (shader-f16; the build needs JSPI, Chrome/Edge 137+), else on the CPU, and why. */
export function llamaPlacement(cap: Capability, jspi = typeof WebAssembly !== 'undefined' && 'Suspending' in WebAssembly): { gpu: boolean; text: string } {
  if (!jspi) return { gpu: false, text: "CPU: this browser lacks WebAssembly JSPI, which llama.cpp's WebGPU build needs (Chrome or Edge 137+)." };
  if (!cap.adapter) return { gpu: false, text: 'CPU: no WebGPU adapter.' };
  if (!cap.shaderF16) return { gpu: false, text: `CPU: the ${cap.adapter.fallback ? 'software ' : ''}GPU lacks shader-f16, which llama.cpp's WebGPU backend requires.` };
  return { gpu: true, text: "GPU, through llama.cpp's WebGPU build, with its prompt cache." };
}
