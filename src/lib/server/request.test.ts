import { describe, expect, it } from 'vitest';
import { apiRoot, completionBody, completionsUrl, modelsUrl, requestHeaders } from './request';

describe('request building', () => {
  it('finds the API root from the root, /v1, a trailing slash or a pasted endpoint', () => {
    for (const typed of [
      'http://127.0.0.1:8000',
      'http://127.0.0.1:8000/',
      ' http://127.0.0.1:8000/v1 ',
      'http://127.0.0.1:8000/v1/',
      'http://127.0.0.1:8000/v1/completions',
      'http://127.0.0.1:8000/v1/chat/completions',
      'http://127.0.0.1:8000/v1/models',
    ])
      expect(apiRoot(typed)).toBe('http://127.0.0.1:8000/v1');
    expect(apiRoot('https://gpu.example.org/llm')).toBe('https://gpu.example.org/llm/v1');
    expect(completionsUrl('http://h:1')).toBe('http://h:1/v1/completions');
    expect(modelsUrl('http://h:1/v1')).toBe('http://h:1/v1/models');
  });

  it('asks for one token and the top-k log-probabilities of it', () => {
    const body = completionBody('meta-llama/Llama-3.1-8B', 'Question: q\nClaim: c\nI think this claim is', 20);
    expect(body).toEqual({
      model: 'meta-llama/Llama-3.1-8B',
      prompt: 'Question: q\nClaim: c\nI think this claim is',
      max_tokens: 1,
      logprobs: 20,
      temperature: 1,
      top_p: 1,
      n: 1,
      stream: false,
      echo: false,
    });
  });

  it('puts the key in the Authorization header only, and only when there is one', () => {
    expect(requestHeaders()).toEqual({ 'Content-Type': 'application/json' });
    expect(requestHeaders('')).toEqual({ 'Content-Type': 'application/json' });
    expect(requestHeaders('sk-123')).toEqual({ 'Content-Type': 'application/json', Authorization: 'Bearer sk-123' });
    expect(requestHeaders('sk-123', false)).toEqual({ Authorization: 'Bearer sk-123' });
  });
});
