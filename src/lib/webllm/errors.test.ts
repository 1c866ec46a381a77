import { describe, expect, it } from 'vitest';
import { webllmError, WebLLMError } from './errors';

describe('web-llm errors', () => {
  it('turns strings into Error values with what to do', () => {
    const e = webllmError('Error: Cannot fetch https://huggingface.co/a err= TypeError: Failed to fetch', 'Loading X');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DownloadFailed');
    expect(e.message).toMatch(/^Loading X failed\. The model files could not be downloaded.*Retry\. \(web-llm: Cannot fetch/);
  });

  it('recognizes web-llm 0.2.86 messages', () => {
    const cases: [string, string][] = [
      ['The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM).', 'GpuDeviceLost'],
      ['Model not loaded before trying to complete forwardTokensAndSample.', 'ModelNotLoaded'],
      ['This model requires WebGPU extension shader-f16, which is not enabled in this browser.', 'ShaderF16Missing'],
      ['WebGPU is not supported in your current environment, but it is necessary to run the WebLLM engine.', 'WebGpuUnavailable'],
      ['Cannot initialize runtime because of requested maxBufferSize exceeds limit. requested=256MB, limit=128MB.', 'GpuLimits'],
      ['QuotaExceededError: The quota has been exceeded.', 'StorageFull'],
      ['Prompt tokens exceed context window size: number of prompt tokens: 5000; context window size: 4096', 'ContextWindowExceeded'],
    ];
    for (const [raw, name] of cases) expect(webllmError(raw, 'Doing').name).toBe(name);
  });

  it('keeps unknown messages, Error values and objects readable, and passes its own errors through', () => {
    expect(webllmError('something odd', 'Doing').message).toBe('Doing failed: something odd');
    expect(webllmError(new RangeError('top_p out of range'), 'Doing').message).toBe('Doing failed: top_p out of range');
    expect(webllmError({ name: 'X', message: 'from a worker' }, 'Doing').message).toBe('Doing failed: from a worker');
    expect(webllmError(42, 'Doing').message).toBe('Doing failed: 42');
    const own = new WebLLMError('LoadStalled', 'stalled');
    expect(webllmError(own, 'Doing')).toBe(own);
  });
});
