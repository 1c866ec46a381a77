// A stand-in for wllama's Wllama in Node tests, with the package's response shapes: tokenize gives
// number[], decode {nPast}, getLogits [{token, p}] sorted by p (softmax over the whole vocabulary,
// then cut to top K), kvRemove(n, -1) drops positions n on. Its next-token distribution is a
// deterministic function of every token in its cache, so a wrong cache shows as a wrong read.
import type { WllamaEngine } from './engine';

export interface FakeOptions {
  nCtx?: number;
  vocab?: number; // vocabulary size (ids beyond the words the tokenizer has seen)
  failKvRemove?: boolean; // llama.cpp refuses partial removal (e.g. sliding-window caches)
  favour?: Record<number, number>; // extra logit per token id, e.g. to push a label out of the top K
  batch?: number; // n_batch: wllama 2.4.0 overruns its token buffer past it; the fake refuses instead
}

export class FakeWllama implements WllamaEngine {
  cache: number[] = [];
  decoded = 0; // tokens computed, all calls together
  calls: string[] = [];
  private logitsFor: number[] | null = null;

  constructor(
    private readonly opts: FakeOptions = {},
    readonly words = new Map<string, number>(), // share one to give two fakes the same vocabulary
  ) {}

  async tokenize(text: string): Promise<number[]> {
    this.calls.push('tokenize');
    return (text.match(/ ?[A-Za-z0-9]+|\n|\s|[^A-Za-z0-9\s]/g) ?? []).map((w) => {
      let id = this.words.get(w);
      if (id === undefined) this.words.set(w, (id = this.words.size + 10));
      return id;
    });
  }

  async decode(tokens: number[], options: { skipLogits?: boolean } = {}): Promise<{ nPast: number }> {
    this.calls.push(`decode ${tokens.length}`);
    if (tokens.length === 0) return { nPast: this.cache.length };
    if (tokens.length > (this.opts.batch ?? 512)) throw new Error(`decode() of ${tokens.length} tokens overruns n_batch ${this.opts.batch ?? 512}`);
    if (this.cache.length + tokens.length > (this.opts.nCtx ?? 4096)) throw new Error('Running out of context cache. Please increase n_ctx when loading the model');
    this.cache.push(...tokens);
    this.decoded += tokens.length;
    this.logitsFor = options.skipLogits ? null : [...this.cache];
    return { nPast: this.cache.length };
  }

  async getLogits(topK = 40): Promise<{ token: number; p: number }[]> {
    this.calls.push(`logits ${topK}`);
    if (!this.logitsFor) throw new Error('no logits: nothing decoded');
    const n = Math.max(this.opts.vocab ?? 200, this.words.size + 20);
    let h = 2166136261;
    for (const t of this.logitsFor) h = Math.imul(h ^ t, 16777619) >>> 0;
    const logits = Array.from({ length: n }, (_, i) => {
      const x = Math.imul(h ^ (i * 2654435761), 1597334677) >>> 0;
      return (x / 2 ** 32) * 6 + (this.opts.favour?.[i] ?? 0);
    });
    const z = logits.reduce((s, l) => s + Math.exp(l), 0);
    const all = logits.map((l, token) => ({ token, p: Math.exp(l) / z })).sort((a, b) => b.p - a.p);
    return topK >= 0 ? all.slice(0, topK) : all;
  }

  async kvRemove(nKeep: number, nDiscard: number): Promise<void> {
    this.calls.push(`kvRemove ${nKeep}`);
    if (nDiscard !== -1) throw new Error('the backend only removes a tail');
    if (this.opts.failKvRemove) throw new Error('kvRemove unknown error');
    this.cache.length = nKeep;
    this.logitsFor = null;
  }

  async kvClear(): Promise<void> {
    this.calls.push('kvClear');
    this.cache = [];
    this.logitsFor = null;
  }

  async exit(): Promise<void> {}
}
