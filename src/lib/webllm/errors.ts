// web-llm's failures as Error values a person can act on. Across a worker boundary web-llm sends
// errors as bare strings, and its own messages talk about APIs rather than what to do; the known
// ones get a plain explanation, with web-llm's text kept after it for bug reports.

interface Known {
  test: RegExp;
  name: string;
  message: string;
}

const known: Known[] = [
  {
    test: /device (?:was |is )?lost|DeviceLost/i,
    name: 'GpuDeviceLost',
    message: 'The GPU device was lost (out of GPU memory, or the driver restarted). Load the model again or pick a smaller one; the run and its saved steps are intact.',
  },
  {
    test: /Model not loaded|not loaded with a model|ModelNotLoaded/i,
    name: 'ModelNotLoaded',
    message: 'The model is no longer loaded on the GPU (most often because the GPU device was lost). Load it again; the run and its saved steps are intact.',
  },
  {
    test: /shader-f16/i,
    name: 'ShaderF16Missing',
    message: 'This model needs the WebGPU feature shader-f16, which this GPU or browser lacks. Pick the q4f32 variant of the model.',
  },
  {
    test: /WebGPU is not supported|Cannot find WebGPU|Unable to find a compatible GPU|navigator\.gpu/i,
    name: 'WebGpuUnavailable',
    message: 'WebGPU is not available here, so the model cannot run. See the capability panel for how to enable it; the Simulated model still works.',
  },
  {
    test: /exceeds limit|maxStorageBufferBindingSize|maxBufferSize/i,
    name: 'GpuLimits',
    message: "The GPU's buffer limits are too small for this model. Pick a smaller model.",
  },
  {
    test: /QuotaExceeded|quota|no space left/i,
    name: 'StorageFull',
    message: 'The browser has no room to store the model. Delete cached models or free disk space, then try again.',
  },
  {
    test: /Failed to fetch|NetworkError|Load failed|Cannot fetch|ERR_[A-Z_]+|network error/i,
    name: 'DownloadFailed',
    message: 'The model files could not be downloaded: the model host is unreachable (offline, or blocked by a firewall or extension). Check the connection and press Retry.',
  },
  {
    test: /context window|ContextWindowSizeExceeded/i,
    name: 'ContextWindowExceeded',
    message: "The prompt does not fit the model's context window. Lower the pool size or pick a model with a longer context.",
  },
];

function rawMessage(e: unknown): { name: string; message: string } {
  if (e instanceof Error) return { name: e.name, message: e.message || e.name };
  if (typeof e === 'string') return { name: 'Error', message: e };
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string')
    return { name: 'name' in e && typeof e.name === 'string' ? e.name : 'Error', message: e.message };
  if (e instanceof Event) return { name: 'Error', message: `${e.type} event` };
  return { name: 'Error', message: String(e) };
}

/**
 * Any failure from web-llm as an Error with a clear message. `doing` says what was attempted
 * ("Loading Qwen3-0.6B-q4f16_1-MLC"). Errors already made here pass through unchanged.
 */
export function webllmError(e: unknown, doing: string): Error {
  if (e instanceof WebLLMError) return e;
  const raw = rawMessage(e);
  const text = raw.message.replace(/^Error:\s*/, '');
  const k = known.find((k) => k.test.test(`${raw.name} ${text}`));
  return k ? new WebLLMError(k.name, `${doing} failed. ${k.message} (web-llm: ${text})`) : new WebLLMError('WebLLMError', `${doing} failed: ${text}`);
}

export class WebLLMError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}
