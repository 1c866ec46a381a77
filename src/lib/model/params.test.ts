import { describe, expect, it } from 'vitest';
import { defaultServerSpec, validateServerSpec, type ServerSpec } from './params';

const spec = (over: Partial<ServerSpec>): ServerSpec => ({ ...defaultServerSpec, model: 'meta-llama/Llama-3.1-8B', ...over });

describe('validateServerSpec', () => {
  it('accepts a localhost server with defaults, with or without a key', () => {
    expect(validateServerSpec(spec({}))).toEqual({});
    expect(validateServerSpec(spec({ apiKey: 'sk-abc', baseUrl: 'https://gpu.example.org/v1' }))).toEqual({});
    expect(defaultServerSpec).toMatchObject({ baseUrl: 'http://127.0.0.1:8000', topK: 20, concurrency: 4 });
  });

  it('gives each bad field its own message', () => {
    expect(validateServerSpec(spec({ baseUrl: '127.0.0.1:8000' })).baseUrl).toMatch(/must start with http:\/\/ or https:\/\//);
    expect(validateServerSpec(spec({ baseUrl: 'ftp://host' })).baseUrl).toMatch(/http/);
    expect(validateServerSpec(spec({ baseUrl: 'http://user:pw@host:8000' })).baseUrl).toMatch(/API key field/);
    expect(validateServerSpec(spec({ baseUrl: 'http://host:8000/?x=1' })).baseUrl).toMatch(/query/);
    expect(validateServerSpec(spec({ model: '  ' })).model).toMatch(/Name the model/);
    expect(validateServerSpec(spec({ apiKey: 'Bearer sk-abc' })).apiKey).toMatch(/without "Bearer"/);
    expect(validateServerSpec(spec({ topK: 0 })).topK).toBe('Top-k must be a whole number between 1 and 100.');
    expect(validateServerSpec(spec({ topK: 2.5 })).topK).toBeDefined();
    expect(validateServerSpec(spec({ concurrency: 65 })).concurrency).toBe('Requests in flight must be a whole number between 1 and 64.');
    expect(validateServerSpec(spec({ timeoutS: 0 })).timeoutS).toBe('Request timeout (s) must be a whole number between 1 and 3600.');
    expect(validateServerSpec(spec({ timeoutS: undefined }))).toEqual({}); // runs saved before the field existed
    expect(validateServerSpec(spec({ prompt: 'chat' }))).toEqual({});
    expect(validateServerSpec(spec({ prompt: 'llama3' as ServerSpec['prompt'] })).prompt).toBe('Prompt must be "completion" or "chat".');
    const all = validateServerSpec({ kind: 'server', baseUrl: '', model: '', apiKey: 'a b', topK: -1, concurrency: 0 });
    expect(Object.keys(all).sort()).toEqual(['apiKey', 'baseUrl', 'concurrency', 'model', 'topK']);
  });
});
