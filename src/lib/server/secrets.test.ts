import { describe, expect, it } from 'vitest';
import { defaultSimulatedParams, type ModelSpec } from '../model/params';
import { hasApiKey, publicModelSpec } from './secrets';

describe('publicModelSpec', () => {
  it('drops the API key and keeps everything else', () => {
    const spec: ModelSpec = { kind: 'server', baseUrl: 'http://127.0.0.1:8000', model: 'm', apiKey: 'sk-secret', topK: 20, concurrency: 4 };
    const out = publicModelSpec(spec);
    expect(out).toEqual({ kind: 'server', baseUrl: 'http://127.0.0.1:8000', model: 'm', topK: 20, concurrency: 4 });
    expect(JSON.stringify(out)).not.toContain('sk-secret');
    expect(spec.apiKey).toBe('sk-secret'); // the stored spec is untouched
    expect(hasApiKey(spec)).toBe(true);
    expect(hasApiKey(out)).toBe(false);
  });

  it('leaves other models as they are', () => {
    const sim: ModelSpec = { kind: 'simulated', params: defaultSimulatedParams };
    expect(publicModelSpec(sim)).toBe(sim);
  });
});
