import { describe, expect, it } from 'vitest';
import { ServerError } from './errors';
import { parseCompletion, parseModelIds } from './response';

// Hand-written in the documented shapes.
// vLLM /v1/completions with logprobs: 5 (vllm/entrypoints/openai/protocol.py CompletionLogProbs).
const vllm = {
  id: 'cmpl-3f1c',
  object: 'text_completion',
  created: 1760000000,
  model: 'meta-llama/Llama-3.1-8B',
  choices: [
    {
      index: 0,
      text: ' True',
      logprobs: {
        text_offset: [57],
        token_logprobs: [-0.3],
        tokens: [' True'],
        top_logprobs: [{ ' True': -0.3, ' False': -1.5, ' true': -4.1, ' not': -5.0, ' correct': -5.6 }],
      },
      finish_reason: 'length',
      stop_reason: null,
    },
  ],
  usage: { prompt_tokens: 17, total_tokens: 18, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 16 } },
};

// llama-server /v1/completions with logprobs: 3 (tools/server/server-task.cpp to_json_oaicompat).
const llamacpp = {
  choices: [
    {
      text: ' True',
      index: 0,
      logprobs: {
        content: [
          {
            id: 3007,
            token: ' True',
            bytes: [32, 84, 114, 117, 101],
            logprob: -0.3,
            top_logprobs: [
              { id: 3007, token: ' True', bytes: [32, 84, 114, 117, 101], logprob: -0.3 },
              { id: 3641, token: ' False', bytes: [32, 70, 97, 108, 115, 101], logprob: -1.5 },
              { id: 837, token: ' true', bytes: [32, 116, 114, 117, 101], logprob: -4.1 },
            ],
          },
        ],
      },
      finish_reason: 'length',
    },
  ],
  created: 1760000000,
  model: 'llama-3.1-8b-q8_0.gguf',
  system_fingerprint: 'b6000-abc',
  object: 'text_completion',
  usage: { completion_tokens: 1, prompt_tokens: 18, total_tokens: 19 },
  id: 'chatcmpl-x',
  timings: { cache_n: 12, prompt_n: 6, prompt_ms: 4.2, predicted_n: 1 },
};

describe('parseCompletion', () => {
  it("reads vLLM's { token: logprob } top-k, prompt tokens and cached tokens", () => {
    const p = parseCompletion(vllm);
    expect(p.shape).toBe('vllm');
    expect(p.top).toEqual([
      { token: ' True', logprob: -0.3 },
      { token: ' False', logprob: -1.5 },
      { token: ' true', logprob: -4.1 },
      { token: ' not', logprob: -5.0 },
      { token: ' correct', logprob: -5.6 },
    ]);
    expect(p.promptTokens).toBe(17);
    expect(p.cachedTokens).toBe(16);
  });

  it("reads llama-server's content[0].top_logprobs list and its timings.cache_n", () => {
    const p = parseCompletion(llamacpp);
    expect(p.shape).toBe('llama.cpp');
    expect(p.top.map((t) => t.token)).toEqual([' True', ' False', ' true']);
    expect(p.top[1].logprob).toBe(-1.5);
    expect(p.promptTokens).toBe(18);
    expect(p.cachedTokens).toBe(12);
  });

  it('tolerates a missing usage', () => {
    const { usage: _u, ...noUsage } = vllm;
    const p = parseCompletion(noUsage);
    expect(p.promptTokens).toBeNull();
    expect(p.top).toHaveLength(5);
  });

  it('refuses a top-k entry that is not a token with a number, in both shapes, rather than read the label as unlisted', () => {
    const withTop = (top: unknown) => ({ ...vllm, choices: [{ ...vllm.choices[0], logprobs: { ...vllm.choices[0].logprobs, top_logprobs: [top] } }] });
    const llamaWith = (top: unknown[]) => ({ ...llamacpp, choices: [{ ...llamacpp.choices[0], logprobs: { content: [{ token: ' True', logprob: -0.1, top_logprobs: top }] } }] });
    const refused = (json: unknown) => {
      try {
        parseCompletion(json, 'http://x:1');
      } catch (e) {
        expect(e).toBeInstanceOf(ServerError);
        expect((e as ServerError).name).toBe('ServerBadResponse');
        return (e as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refused(withTop({ ' True': null, ' False': -0.1 }))).toBe(
      'http://x:1 sent a malformed top-k list: null as the log-probability of " True". Each entry must be a token with its log-probability, a number (JSON has no minus infinity; vLLM writes -9999 for an impossible token). Check the server and its version.',
    );
    expect(refused(withTop({ ' True': -0.1, ' False': '-2.3' }))).toMatch(/malformed top-k list: "-2\.3" as the log-probability of " False"/);
    expect(refused(withTop({ ' True': -0.1, ' False': { value: -2 } }))).toMatch(/\{"value":-2\} as the log-probability of " False"/);
    expect(refused(withTop([{ token: ' True', logprob: -0.1 }, { token: ' False' }]))).toMatch(/nothing as the log-probability of " False"/);
    expect(refused(llamaWith([{ token: ' True', logprob: -0.1 }, { token: ' False', logprob: null }]))).toMatch(/null as the log-probability of " False"/);
    expect(refused(llamaWith([{ token: ' True', logprob: -0.1 }, { id: 5, logprob: -2 }]))).toMatch(/entry 2 has nothing as its token/);
    expect(refused(llamaWith([{ token: ' True', logprob: -0.1 }, 'False']))).toMatch(/entry 2 has nothing as its token/);
  });

  it('says what to do when there are no log-probabilities', () => {
    const none = { ...vllm, choices: [{ index: 0, text: ' True', logprobs: null, finish_reason: 'length' }] };
    expect(() => parseCompletion(none, 'The server')).toThrowError(/without log-probabilities.*logprobs/);
    expect(() => parseCompletion({ object: 'text_completion' })).toThrowError(/no choices\[0\]/);
    const empty = { ...vllm, choices: [{ ...vllm.choices[0], logprobs: { ...vllm.choices[0].logprobs, top_logprobs: [null] } }] };
    expect(() => parseCompletion(empty)).toThrowError(/no top-k list.*Top-k/);
    const post = { choices: [{ logprobs: { content: [{ token: ' True', prob: 0.7, top_probs: [{ token: ' True', prob: 0.7 }] }] } }] };
    expect(() => parseCompletion(post)).toThrowError(/post_sampling_probs/);
    try {
      parseCompletion(none);
    } catch (e) {
      expect(e).toBeInstanceOf(ServerError);
      expect((e as ServerError).name).toBe('ServerBadResponse');
    }
  });
});

describe('impossible log-probabilities', () => {
  const withTop = (top: Record<string, number>) => ({ ...vllm, choices: [{ ...vllm.choices[0], logprobs: { ...vllm.choices[0].logprobs, top_logprobs: [top] } }] });
  const llamaWith = (logprob: number) => ({ ...llamacpp, choices: [{ ...llamacpp.choices[0], logprobs: { content: [{ token: ' True', logprob, top_logprobs: [{ token: ' True', logprob }, { token: ' False', logprob: -6 }] }] } }] });

  it('refuses a log-probability above 0, in both shapes, saying what it got', () => {
    expect(() => parseCompletion(withTop({ ' True': 50, ' False': 3 }), 'http://x:1')).toThrowError(/http:\/\/x:1 sent an impossible log-probability: 50 for " True".*each ≤ 0/);
    expect(() => parseCompletion(llamaWith(0.5))).toThrowError(/impossible log-probability: 0.5/);
  });

  it('refuses absurdly small log-probabilities and top-k probabilities adding up to more than 1', () => {
    expect(() => parseCompletion(withTop({ ' True': -1e308, ' False': -0.1 }))).toThrowError(/absurdly small log-probability: -1.0e\+308/);
    expect(() => parseCompletion(withTop({ ' True': -0.1, ' False': -0.2 }))).toThrowError(/add up to 1.72\d*, more than 1/);
  });

  it('accepts a certain token (log-probability 0, or a rounding error above it)', () => {
    expect(parseCompletion(withTop({ ' True': 0, ' False': -30 })).top[0].logprob).toBe(0);
    expect(parseCompletion(llamaWith(1e-7)).top[0].logprob).toBe(1e-7);
  });
});

describe('parseModelIds', () => {
  it('lists the ids of vLLM, llama-server and Ollama answers', () => {
    expect(parseModelIds({ object: 'list', data: [{ id: 'meta-llama/Llama-3.1-8B', object: 'model', owned_by: 'vllm' }] })).toEqual(['meta-llama/Llama-3.1-8B']);
    expect(parseModelIds({ models: [{ name: 'm.gguf', model: 'm.gguf' }], object: 'list', data: [{ id: 'm.gguf', object: 'model' }] })).toEqual(['m.gguf']);
    expect(parseModelIds({ object: 'list', data: [] })).toEqual([]);
    expect(parseModelIds('<html>')).toBeNull();
  });
});
