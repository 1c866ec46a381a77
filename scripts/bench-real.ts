// The real-model part of `npm run bench` (keys real.<model>.<task>.…): each fetched model
// (scripts/real-models.ts) behind a real llama.cpp server (scripts/llama-server.ts), read through
// the app's own server backend (workers/backends/server.ts), on each built-in task with a pool
// that fits the model's context. Accuracy in %.
//
//   real.<model>.server.promptTokensPerSecond   prompt tokens the server reads per second (a fresh prompt)
//   real.<model>.<task>.pool                    items in the pool (whole groups, up to the size asked)
//   real.<model>.<task>.tokensPerItem           mean prompt tokens of one item (with its label)
//   real.<model>.<task>.zeroShot                each item alone
//   real.<model>.<task>.zeroShotTrueShare       share of items zero-shot calls True (the lean), %
//   real.<model>.<task>.randomDemos / goldDemos every other pool item as a demonstration, random / gold labels
//   real.<model>.<task>.invertedDemos           the same with every gold label flipped, scored against the flip:
//                                               how well it follows an inverted labeling (compare goldDemos)
//   real.<model>.<task>.share<s>                accuracy against gold when a share s of the demonstrations
//                                               carry gold labels and the rest flipped ones (s = 0, 25, 50, 75, 100)
//   real.<model>.<task>.icm / .icmBySeed / .icmSpread   ICM's final accuracy, mean, per seed, max − min
//   real.<model>.<task>.icmLabeled              labeled items at the end (mean)
//   real.<model>.<task>.tokensPerStep / .secondsPerStep  prompt tokens sent and wall time per ICM step (the
//                                               app's default plan for a server: blocks through the prefix tree, B = 2)
//   real.<model>.<task>.outsideTopK             share of ICM's reads where a label was not among the top-k, %
//   real.<model>.seconds                        wall time of this model's part
//   honesty.truthfulqaLayout.<model>.<method>.{accuracy,shareTrue,labeled}   scripts/bench-honesty.ts on this model
//                                               (pool 16: two questions, 6 steps, seed 1; not in --quick)
// Few-shot figures read with the blocks plan (B = 4: each item with the other ¾ of the pool before
// it), which costs 4 sequences instead of the N of leave-one-out.
import type { Dataset } from '../src/lib/data/types';
import type { LabelModel } from '../src/lib/icm/model';
import { accuracy, randomLabels, zeroShot } from '../src/lib/eval/baselines';
import { defaultConfig, type ICMConfig } from '../src/lib/icm/config';
import { readPlan } from '../src/lib/icm/plan';
import { drawPool } from '../src/lib/icm/pool';
import { problemOf } from '../src/lib/data/problem';
import { runSearch } from '../src/lib/icm/run';
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
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (x: number | null) => round((x ?? 0) * 100);

/**
 * Sizes: pools whose longest sequence fits a 4096-token context (comparison items are about four
 * times as long as factual ones), and runs a 2-core machine affords: llama-cpp-python reads about
 * a hundred prompt tokens a second there (SmolLM2, idle; Gemma about half that), so one ICM step
 * takes seconds (README: the whole bench took 38 minutes for Gemma).
 */
const sizes = (quick: boolean): { pools: Record<string, number>; seeds: number[]; iterations: number; shares: number[] } => ({
  pools: quick ? { math: 4, factual: 4, comparison: 2 } : { math: 6, factual: 8, comparison: 4 },
  seeds: quick ? [1] : [1, 2],
  iterations: quick ? 2 : 8,
  shares: quick ? [0, 1] : [0, 0.5, 1],
});

export async function realBench(o: RealBenchOptions): Promise<void> {
  const { pools, seeds, iterations, shares } = sizes(o.quick);
  for (const m of o.models) {
    const t0 = performance.now();
    const server = await startLlamaServer(o.python, m, { nCtx: 4096 });
    try {
      const key = (rest: string) => `real.${m.id}.${rest}`;
      o.record(key('server.promptTokensPerSecond'), await promptSpeed(server.url, m.id));
      for (const ds of o.datasets) {
        const task = ds.id.replace(/^builtin-/, '');
        const poolOf = (seed: number) => {
          const indices = drawPool(ds.items, pools[task] ?? 8, seed);
          return { indices, pool: indices.map((i) => ds.items[i]) };
        };
        const fresh = (pool: Dataset['items']) => serverModelFor(server, ds, pool, 600);

        // baselines and calibration on seed 1's pool
        const { pool } = poolOf(1);
        o.record(key(`${task}.pool`), pool.length);
        const fig = await fewShotFigures(fresh(pool), pool.map((it) => it.gold ?? false), shares);
        for (const [name, value] of Object.entries(fig)) o.record(key(`${task}.${name}`), value);

        // ICM over seeds
        const acc: number[] = [];
        const labeled: number[] = [];
        let tokens = 0;
        let seconds = 0;
        let steps = 0;
        let reads = 0;
        let outside = 0;
        for (const seed of seeds) {
          const p = poolOf(seed);
          const runModel = fresh(p.pool);
          const config: ICMConfig = { ...defaultConfig, ...SERVER_PLAN, seed, poolSize: p.pool.length, iterations };
          const problem = problemOf(ds, p.indices);
          // the steps' figures, not the seed labels'
          let s0 = runModel.stats();
          let t1 = performance.now();
          const { state } = await runSearch(problem, config, runModel, {
            onInit: () => {
              s0 = runModel.stats();
              t1 = performance.now();
            },
          });
          const s1 = runModel.stats();
          seconds += (performance.now() - t1) / 1000;
          tokens += s1.tokens - s0.tokens;
          steps += iterations;
          reads += s1.reads;
          outside += s1.trueOutsideTopK + s1.falseOutsideTopK + s1.bothOutsideTopK;
          acc.push(pct(accuracy(state.labels, p.pool.map((it) => it.gold))));
          labeled.push(state.labels.filter((l) => l !== null).length);
        }
        o.record(key(`${task}.icm`), round(mean(acc)));
        o.record(key(`${task}.icmBySeed`), acc);
        o.record(key(`${task}.icmSpread`), round(Math.max(...acc) - Math.min(...acc)));
        o.record(key(`${task}.icmLabeled`), round(mean(labeled)));
        o.record(key(`${task}.tokensPerStep`), Math.round(tokens / steps));
        o.record(key(`${task}.secondsPerStep`), round(seconds / steps, 2));
        o.record(key(`${task}.outsideTopK`), pct(outside / Math.max(1, reads)));
      }
      // issue 15: ICM as the paper runs it and with each countermeasure, on the TruthfulQA-layout file
      if (!o.quick)
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

/**
 * Zero-shot, few-shot and calibration figures of one model on one pool (the same for the real
 * models and the simulated one, so the README can set them side by side): accuracy in %.
 */
export async function fewShotFigures(model: LabelModel, gold: boolean[], shares: number[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const zs = await zeroShot(model, gold.length);
  out.tokensPerItem = round(zs.tokens / gold.length);
  out.zeroShot = pct(accuracy(zs.labels, gold));
  out.zeroShotTrueShare = pct(zs.labels.filter(Boolean).length / gold.length);
  const fewShot = async (demo: boolean[]) => (await readPlan(demo, { plan: 'blocks', blocks: 4 }, model)).logOdds.map((lo) => (lo ?? 0) > 0);
  out.randomDemos = pct(accuracy(await fewShot(randomLabels(gold.length, 1)), gold));
  // share s: a seeded choice of s of the items keep their gold label as demonstrations, the rest are flipped
  const order = randomLabels(gold.length, 2).map((r, i) => ({ r: r ? i + 0.5 : i, i })).sort((a, b) => a.r - b.r);
  for (const s of shares) {
    const keep = new Set(order.slice(0, Math.round(s * gold.length)).map((x) => x.i));
    const predicted = await fewShot(gold.map((g, i) => (keep.has(i) ? g : !g)));
    out[`share${Math.round(s * 100)}`] = pct(accuracy(predicted, gold));
    if (s === 1) out.goldDemos = out.share100;
    if (s === 0) out.invertedDemos = pct(accuracy(predicted, gold.map((g) => !g))); // following the flip
  }
  return out;
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
