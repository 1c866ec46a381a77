// The real-model part of `npm run bench` (keys real.<model>.…): each model asked for
// (scripts/real-models.ts) behind a real llama.cpp server (scripts/llama-server.ts), read through
// the app's own server backend, on the elicitation tasks (scripts/elicit-tasks.ts) with the
// methods and keys of scripts/bench-elicit.ts: zero-shot, few-shot with random and gold labels,
// bootstrapping and ICM over seeds, each accuracy with its 95% bootstrap interval, in %.
//
//   real.<model>.server.promptTokensPerSecond   prompt tokens the server reads per second (a fresh prompt)
//   real.<model>.<task>[.chat].<method>.…       see scripts/bench-elicit.ts
//   real.<model>.seconds                        wall time of this model's part
//   honesty.truthfulqaLayout.<model>.<method>.{accuracy,shareTrue,labeled}   scripts/bench-honesty.ts on this model
//                                               (pool 16: two questions, 6 steps, seed 1; not in --quick)
//
// Sizes (sizesFor): `--quick` (the smoke bench `npm test` ends with) reads pools of 4–8 on the
// built-in tasks, zero-shot, gold demonstrations and 2 ICM steps; the default models a pool of 32 on
// every task, ICM over 2 seeds × 40 steps; the opt-in models (0.5–1.5 B, hours on two cores) the
// same pool with ICM over 3 seeds × 60 steps, run only where gold demonstrations beat zero-shot by
// 10 points or more (elsewhere there is nothing for ICM to elicit, and its figures would cost hours).
// An instruction-tuned model is read in both prompt formats, a base model in the paper's only.
import type { Dataset } from '../src/lib/data/types';
import type { PromptFormat } from '../src/lib/model/params';
import { defaultElicitOptions, elicitBench, type ElicitOptions } from './bench-elicit';
import { honestyBench } from './bench-honesty';
import { serverModelFor, startLlamaServer } from './llama-server';
import type { RealModel } from './real-models';
import { defaultPlan } from '../workers/backends/kinds';

export interface RealBenchOptions {
  python: string;
  models: RealModel[];
  datasets: Dataset[];
  quick: boolean;
  record: (key: string, value: number | number[]) => void;
}

// ICM runs on the plan the app gives a server by default (blocks through the prefix tree, B = 2)
const SERVER_PLAN = defaultPlan('server');
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function realBench(o: RealBenchOptions): Promise<void> {
  for (const m of o.models) {
    const t0 = performance.now();
    // one thread: a second costs more than it gives on a busy 2-core machine (issue 23)
    const server = await startLlamaServer(o.python, m, { nCtx: 8192, threads: 1 });
    try {
      o.record(`real.${m.id}.server.promptTokensPerSecond`, await promptSpeed(server.url, m.id));
      await elicitBench(server, o.quick ? o.datasets.filter((d) => d.id.startsWith('builtin-')) : o.datasets, sizesFor(m, o.quick), o.record);
      // issue 15: ICM as the paper runs it and with each countermeasure, on the TruthfulQA-layout file
      if (!o.quick && !m.optIn)
        await honestyBench({
          prefix: `honesty.truthfulqaLayout.${m.id}`,
          modelFor: (ds, pool) => serverModelFor(server, ds, pool.map((i) => ds.items[i]), 600),
          seeds: [1],
          config: { ...SERVER_PLAN, poolSize: 16, iterations: 6 }, // two questions: their groups hold 5–8 claims
          record: o.record,
        });
    } finally {
      await server.close();
    }
    o.record(`real.${m.id}.seconds`, round((performance.now() - t0) / 1000));
  }
}

/** What the bench reads of a model (see the top of this file). */
export function sizesFor(m: RealModel, quick: boolean): ElicitOptions {
  const formats: PromptFormat[] = m.kind === 'instruct' && !quick ? ['completion', 'chat'] : ['completion'];
  if (quick) return { ...defaultElicitOptions, pool: 6, seeds: [1], steps: 2, formats, methods: ['zeroShot', 'goldDemos', 'icm'] };
  if (m.optIn) return { ...defaultElicitOptions, pool: 32, seeds: [1, 2, 3], steps: 60, formats, icmWhere: 'gap' };
  return { ...defaultElicitOptions, pool: 32, seeds: [1, 2], steps: 40, formats };
}

/** Prompt tokens per second on a prompt the server has not seen (no prefix to reuse). */
async function promptSpeed(url: string, model: string): Promise<number> {
  const text = Array.from({ length: 20 }, (_, i) => `Item ${i}: the number ${i * 7} is ${i % 2 ? 'odd' : 'even'}.`).join('\n');
  const t0 = performance.now();
  const res = await fetch(`${url}/v1/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model, prompt: text, max_tokens: 1, logprobs: 1, temperature: 1 }),
  });
  const json = (await res.json()) as { usage?: { prompt_tokens?: number } };
  const seconds = (performance.now() - t0) / 1000;
  return round((json.usage?.prompt_tokens ?? 0) / seconds);
}
