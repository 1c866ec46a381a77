// Issue 24: where does ICM elicit on a real model? On one pool of each task (whole groups, at
// least 32 items), the same items for every method, read by a real model behind llama.cpp's
// server through the app's own server backend, accuracy against gold in % with a 95% bootstrap
// interval (src/lib/eval/metrics.ts, 1000 resamples of the items) and the share labelled True:
//
//   zeroShot      each item alone
//   randomDemos   each item with the rest of the pool as demonstrations, random labels, read as ICM
//                 reads its P on a server (blocks through the prefix tree, B = 2: each item after the
//                 other half of the pool and its own half's earlier items; 2·N·L tokens computed)
//   goldDemos     the same with gold labels: what the model does when it is shown the concept, and
//                 the predictions ICM's P is made of at the gold labeling
//   bootstrap     random labels, then 3 rounds of relabelling every item by its prediction from
//                 the others' labels of the round before (the critics' "bootstrapping"; no search)
//   icm           ICM at the app's default plan for a server (blocks through the prefix tree, B = 2),
//                 each seed a different search on the same pool; the seeds' items pooled
//
// Keys real.<model>.<task>[.chat].<method>.{accuracy,ciLow,ciHigh,shareTrue,n}; randomDemos.U and
// goldDemos.U (U of that labeling, from the same reads: α·P − I at the app's defaults); for ICM also
// .icm.bySeed, .icm.UBySeed (U of the labeling each search ended on), .icm.labeled (share of the pool labelled at the end, %), .icm.{tokensPerStep,
// computedPerStep,secondsPerStep}; real.<model>.<task>.pool; real.<model>.elicit.{seconds,loadAverage}.
// `.chat.` keys are the same methods with the prompt in the model's chat template (prompt.ts).
//
//   npx tsx scripts/bench-elicit.ts --model qwen05 [--task arithmetic …] [--pool 32] [--seeds 1,2,3]
//                                   [--steps 100] [--format completion|chat|both] [--methods zeroShot,…] [--threads 1]
//                                   [--icm-where all|gap]
//
// `npm run bench -- --model ID` runs it at these defaults as part of the real-model bench.
import { loadavg } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { problemOf } from '../src/lib/data/problem';
import type { DataItem, Dataset } from '../src/lib/data/types';
import { randomLabels, zeroShot } from '../src/lib/eval/baselines';
import { accuracyWithCI, labelBalance, type LabelList } from '../src/lib/eval/metrics';
import { defaultConfig, type ICMConfig } from '../src/lib/icm/config';
import type { LabelModel } from '../src/lib/icm/model';
import { inconsistencyCount } from '../src/lib/icm/consistency';
import { readPlan } from '../src/lib/icm/plan';
import type { Problem } from '../src/lib/icm/problem';
import { mutualPredictability, U } from '../src/lib/icm/score';
import { drawPool } from '../src/lib/icm/pool';
import { runSearch } from '../src/lib/icm/run';
import type { PromptFormat } from '../src/lib/model/params';
import { elicitationDatasets } from './elicit-tasks';
import { ensureLlamaServer, serverModelFor, startLlamaServer, type LlamaServer } from './llama-server';
import { ensureModels } from './models';
import { realModel, type RealModel } from './real-models';
import { defaultPlan } from '../workers/backends/kinds';

export const ELICIT_METHODS = ['zeroShot', 'randomDemos', 'goldDemos', 'bootstrap', 'icm'] as const;
export type ElicitMethod = (typeof ELICIT_METHODS)[number];

export interface ElicitOptions {
  pool: number; // items asked for (whole groups: a few more or less)
  seeds: number[]; // ICM searches; seed 1's also draws the pool and the random labels
  steps: number; // ICM iterations per seed
  formats: PromptFormat[];
  methods: ElicitMethod[];
  tasks: string[]; // dataset ids without "builtin-"; empty: all
  icmWhere?: 'all' | 'gap'; // 'gap': ICM only where gold demonstrations beat zero-shot by ICM_GAP points or more
}

/** Points by which gold demonstrations must beat zero-shot for ICM to run where `icmWhere` is 'gap'. */
const ICM_GAP = 10;

export const defaultElicitOptions: ElicitOptions = { pool: 32, seeds: [1, 2, 3], steps: 100, formats: ['completion', 'chat'], methods: [...ELICIT_METHODS], tasks: [] };

const SERVER_PLAN = defaultPlan('server');
const BOOTSTRAP_ROUNDS = 3;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (x: number) => round(x * 100);

/** Accuracy with its interval and the label balance, as keys under `prefix`. */
function summarise(prefix: string, labels: LabelList, gold: (boolean | undefined)[], record: (k: string, v: number | number[]) => void): number {
  const ci = accuracyWithCI(labels, gold);
  record(`${prefix}.accuracy`, ci ? pct(ci.accuracy) : NaN);
  record(`${prefix}.ciLow`, ci ? pct(ci.low) : NaN);
  record(`${prefix}.ciHigh`, ci ? pct(ci.high) : NaN);
  record(`${prefix}.shareTrue`, pct(labelBalance(labels) ?? 0));
  record(`${prefix}.n`, ci?.n ?? 0);
  return ci?.accuracy ?? NaN;
}

/** Every item predicted from the others' `labels`, as ICM's P reads them on a server. */
async function fewShot(model: LabelModel, labels: boolean[]): Promise<boolean[]> {
  return (await fewShotReads(model, labels)).map((lo) => (lo ?? 0) > 0);
}

const fewShotReads = async (model: LabelModel, labels: boolean[]) => (await readPlan(labels, SERVER_PLAN, model)).logOdds;

/** U of a labeling from its reads, at the app's defaults: what ICM would score it. */
const scoreOf = (problem: Problem, labels: boolean[], logOdds: (number | null)[]): number =>
  U(defaultConfig.alpha, mutualPredictability(labels, logOdds, defaultConfig.pForm), inconsistencyCount(problem, labels));

/** One model on one task's pool, every method asked for, in one prompt format. */
export async function elicitTask(
  modelFor: (pool: DataItem[]) => LabelModel & { stats(): { tokens: number; seconds: number } },
  ds: Dataset,
  indices: number[],
  o: Pick<ElicitOptions, 'seeds' | 'steps' | 'methods' | 'icmWhere'>,
  prefix: string,
  record: (k: string, v: number | number[]) => void,
): Promise<void> {
  const pool = indices.map((i) => ds.items[i]);
  const gold = pool.map((it) => it.gold);
  const truth = gold.map((g) => g ?? false);
  const has = (m: ElicitMethod) => o.methods.includes(m);
  const accuracies: Partial<Record<ElicitMethod, number>> = {};
  if (has('zeroShot')) accuracies.zeroShot = summarise(`${prefix}.zeroShot`, (await zeroShot(modelFor(pool), pool.length)).labels, gold, record);
  const problem = problemOf(ds, indices);
  // few-shot with these labels as demonstrations, and U of the labeling they are (is it what ICM would prefer?)
  const demos = async (name: string, labels: boolean[]) => {
    const lo = await fewShotReads(modelFor(pool), labels);
    record(`${prefix}.${name}.U`, round(scoreOf(problem, labels, lo), 2));
    return summarise(`${prefix}.${name}`, lo.map((x) => (x ?? 0) > 0), gold, record);
  };
  if (has('randomDemos')) await demos('randomDemos', randomLabels(pool.length, o.seeds[0] ?? 1));
  if (has('goldDemos')) accuracies.goldDemos = await demos('goldDemos', truth);
  if (has('bootstrap')) {
    const m = modelFor(pool);
    let labels = randomLabels(pool.length, o.seeds[0] ?? 1);
    for (let r = 0; r < BOOTSTRAP_ROUNDS; r++) labels = await fewShot(m, labels);
    summarise(`${prefix}.bootstrap`, labels, gold, record);
  }
  const gap = (accuracies.goldDemos ?? NaN) - (accuracies.zeroShot ?? NaN);
  if (has('icm') && o.icmWhere === 'gap' && !(gap * 100 >= ICM_GAP)) console.log(`  ${prefix}: no ICM (gold demonstrations beat zero-shot by ${round(gap * 100)} points, under ${ICM_GAP})`);
  else if (has('icm')) {
    const all: LabelList[] = [];
    const bySeed: number[] = [];
    const UBySeed: number[] = [];
    let tokens = 0;
    let seconds = 0;
    let steps = 0;
    let labeled = 0;
    for (const seed of o.seeds) {
      const m = modelFor(pool);
      const config: ICMConfig = { ...defaultConfig, ...SERVER_PLAN, seed, poolSize: pool.length, iterations: o.steps };
      const before = m.stats();
      const t0 = performance.now();
      const run = await runSearch(problem, config, m, {
        onStep: (event, state) => {
          if (event.iteration % 10 !== 0) return;
          const acc = accuracyWithCI(state.labels, gold);
          const labeledNow = state.labels.filter((l) => l !== null).length;
          console.log(`  ${prefix} seed ${seed}: step ${event.iteration}, ${labeledNow}/${pool.length} labeled, accuracy ${acc ? pct(acc.accuracy) : '–'}, share True ${pct(labelBalance(state.labels) ?? 0)}, ${round((performance.now() - t0) / 1000)} s`);
        },
      });
      const after = m.stats();
      tokens += after.tokens - before.tokens;
      seconds += after.seconds - before.seconds;
      steps += run.steps.length;
      all.push(run.state.labels);
      labeled += run.state.labels.filter((l) => l !== null).length;
      const ci = accuracyWithCI(run.state.labels, gold);
      bySeed.push(ci ? pct(ci.accuracy) : NaN);
      UBySeed.push(round(run.state.U, 2));
    }
    summarise(`${prefix}.icm`, all.flat(), o.seeds.flatMap(() => gold), record);
    record(`${prefix}.icm.bySeed`, bySeed);
    record(`${prefix}.icm.UBySeed`, UBySeed); // beside goldDemos.U: did the search find the labeling it scores highest?
    record(`${prefix}.icm.labeled`, pct(labeled / (pool.length * o.seeds.length)));
    record(`${prefix}.icm.tokensPerStep`, Math.round(tokens / Math.max(1, steps)));
    record(`${prefix}.icm.secondsPerStep`, round(seconds / Math.max(1, steps), 2));
  }
}

export async function elicitBench(server: LlamaServer, datasets: Dataset[], o: ElicitOptions, record: (k: string, v: number | number[]) => void): Promise<void> {
  const t0 = performance.now();
  const id = server.model.id;
  for (const ds of datasets) {
    const task = ds.id.replace(/^builtin-/, '');
    if (o.tasks.length && !o.tasks.includes(task)) continue;
    const indices = drawPool(ds.items, o.pool, o.seeds[0] ?? 1);
    record(`real.${id}.${task}.pool`, indices.length);
    for (const format of o.formats) {
      const prefix = `real.${id}.${task}${format === 'chat' ? '.chat' : ''}`;
      await elicitTask((pool) => serverModelFor(server, ds, pool, 1800, format), ds, indices, o, prefix, record);
    }
  }
  record(`real.${id}.elicit.seconds`, round((performance.now() - t0) / 1000));
  record(`real.${id}.elicit.loadAverage`, round(loadavg()[0], 1));
}

async function main() {
  const args = process.argv.slice(2);
  const arg = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
  const list = (name: string) => args.flatMap((a, i) => (args[i - 1] === `--${name}` ? a.split(',') : []));
  const format = arg('format');
  const o: ElicitOptions = {
    pool: Number(arg('pool') ?? defaultElicitOptions.pool),
    seeds: list('seeds').length ? list('seeds').map(Number) : defaultElicitOptions.seeds,
    steps: Number(arg('steps') ?? defaultElicitOptions.steps),
    formats: format === 'both' || format === undefined ? defaultElicitOptions.formats : [format as PromptFormat],
    methods: list('methods').length ? (list('methods') as ElicitMethod[]) : defaultElicitOptions.methods,
    tasks: list('task'),
    icmWhere: arg('icm-where') === 'gap' ? 'gap' : 'all',
  };
  const model: RealModel = realModel(arg('model') ?? 'qwen05');
  if (!(await ensureModels({ models: [model] }))) process.exit(2);
  const python = ensureLlamaServer();
  if (!python) process.exit(2);
  const results: Record<string, number | number[]> = {};
  const record = (k: string, v: number | number[]) => {
    results[k] = v;
    console.log(`${k.padEnd(56)} ${Array.isArray(v) ? v.join(', ') : v}`);
  };
  const server = await startLlamaServer(python, model, { nCtx: 8192, threads: Number(arg('threads') ?? 1) }); // a second thread costs more than it gives on a busy 2-core machine (issue 23)
  try {
    await elicitBench(server, elicitationDatasets(), o, record);
  } finally {
    await server.close();
    // merged with what is there now: another bench may have written since this one started
    const file = 'bench-results.json';
    const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(file, JSON.stringify({ ...previous, ...results }, null, 2) + '\n');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
