// Issue 15, item 4: is there a task on which a 135 M model shows elicitation: zero-shot poor,
// gold demonstrations good, and ICM recovering most of the gap? Three generated candidate tasks
// (written here, no downloaded data), each read by a real model behind llama.cpp's server through
// the app's own server backend: zero-shot, random / gold / flipped demonstrations (blocks, B = 4)
// and ICM at the app's default plan for a server. Prints keys demo.<model>.<task>.…:
//   npx tsx scripts/bench-demo-tasks.ts [--model smollm2] [--pool 12] [--steps 8]
import type { DataItem, Dataset } from '../src/lib/data/types';
import { accuracy, randomLabels, zeroShot } from '../src/lib/eval/baselines';
import type { LabelModel } from '../src/lib/icm/model';
import { readPlan } from '../src/lib/icm/plan';
import { defaultConfig } from '../src/lib/icm/config';
import { problemOf } from '../src/lib/data/problem';
import { Rng } from '../src/lib/icm/rng';
import { runSearch } from '../src/lib/icm/run';
import { llamaServerPython, serverModelFor, startLlamaServer } from './llama-server';
import { realModel } from './real-models';
import { defaultPlan } from '../workers/backends/kinds';

const POSITIVE = ['wonderful', 'delightful', 'brilliant', 'excellent', 'lovely', 'fantastic', 'superb', 'great', 'charming', 'moving'];
const NEGATIVE = ['terrible', 'boring', 'awful', 'dreadful', 'dull', 'horrible', 'painful', 'bad', 'tedious', 'disappointing'];
const THINGS = ['film', 'book', 'meal', 'concert', 'hotel', 'play', 'game', 'album', 'show', 'trip'];
const OPPOSITES: [string, string, string][] = [
  ['hot', 'cold', 'warm'], ['big', 'small', 'large'], ['up', 'down', 'high'], ['fast', 'slow', 'quick'], ['happy', 'sad', 'glad'],
  ['old', 'young', 'ancient'], ['day', 'night', 'morning'], ['open', 'closed', 'wide'], ['light', 'dark', 'bright'], ['wet', 'dry', 'damp'],
  ['rich', 'poor', 'wealthy'], ['early', 'late', 'soon'], ['full', 'empty', 'whole'], ['hard', 'soft', 'tough'], ['loud', 'quiet', 'noisy'],
];

/** A one-sentence review; two claims per group ("positive", "negative"), exactly one true. */
function sentiment(): Dataset {
  const rng = Rng.fromSeed(7);
  const items: DataItem[] = [];
  for (let g = 0; g < 30; g++) {
    const positive = rng.next() < 0.5;
    const question = `Review: "The ${THINGS[rng.int(10)]} was ${(positive ? POSITIVE : NEGATIVE)[rng.int(10)]}." Is the review positive or negative?`;
    items.push({ id: `s${g}-p`, group: `s${g}`, key: 'positive', question, claim: 'The review is positive.', gold: positive });
    items.push({ id: `s${g}-n`, group: `s${g}`, key: 'negative', question, claim: 'The review is negative.', gold: !positive });
  }
  return { id: 'sentiment', name: 'sentiment', kind: 'factual', description: 'Is this claim about the review correct?', items };
}

/** One-digit sums; the right sum and a near miss per group. */
function addition(): Dataset {
  const rng = Rng.fromSeed(8);
  const items: DataItem[] = [];
  for (let g = 0; g < 30; g++) {
    const a = 1 + rng.int(9);
    const b = 1 + rng.int(9);
    const wrong = a + b + (rng.next() < 0.5 ? -1 : 1) * (1 + rng.int(3));
    const question = `What is ${a} + ${b}?`;
    const claims = [{ id: `a${g}-r`, key: String(a + b), claim: String(a + b), gold: true }, { id: `a${g}-w`, key: String(wrong), claim: String(wrong), gold: false }];
    for (const c of rng.next() < 0.5 ? claims : claims.reverse()) items.push({ ...c, group: `a${g}`, question });
  }
  return { id: 'addition', name: 'addition', kind: 'factual', description: 'Is this answer correct?', items };
}

/** The opposite of a common word, against a near synonym. */
function opposites(): Dataset {
  const rng = Rng.fromSeed(9);
  const items: DataItem[] = [];
  OPPOSITES.forEach(([word, opposite, synonym], g) => {
    const question = `What is the opposite of "${word}"?`;
    const claims = [{ id: `o${g}-r`, key: opposite, claim: opposite, gold: true }, { id: `o${g}-w`, key: synonym, claim: synonym, gold: false }];
    for (const c of rng.next() < 0.5 ? claims : claims.reverse()) items.push({ ...c, group: `o${g}`, question });
  });
  return { id: 'opposites', name: 'opposites', kind: 'factual', description: 'Is this answer correct?', items };
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (x: number | null) => round((x ?? 0) * 100);

/** Zero-shot and few-shot figures of one model on one pool, accuracy in %: random, gold and flipped
 *  labels as demonstrations (read with the blocks plan, B = 4), and how far it follows the flip. */
async function fewShotFigures(model: LabelModel, gold: boolean[]): Promise<Record<string, number>> {
  const fewShot = async (demo: boolean[]) => (await readPlan(demo, { plan: 'blocks', blocks: 4 }, model)).logOdds.map((lo) => (lo ?? 0) > 0);
  const zs = await zeroShot(model, gold.length);
  const random = await fewShot(randomLabels(gold.length, 1));
  const flipped = await fewShot(gold.map((g) => !g));
  return {
    zeroShot: pct(accuracy(zs.labels, gold)),
    randomDemos: pct(accuracy(random, gold)),
    invertedDemos: pct(accuracy(flipped, gold.map((g) => !g))), // following the flip
    goldDemos: pct(accuracy(await fewShot(gold), gold)),
  };
}

const arg = (name: string, dflt: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : dflt);
const model = realModel(arg('model', 'smollm2'));
const poolSize = Number(arg('pool', '12'));
const steps = Number(arg('steps', '8'));
const python = llamaServerPython();
if (!python) {
  console.log('demo tasks: skipped (no llama.cpp server; run `npm run real-fixtures`)');
  process.exit(0);
}
const server = await startLlamaServer(python, model, { nCtx: 4096 });
try {
  for (const ds of [sentiment(), addition(), opposites()]) {
    const groups = Rng.fromSeed(3).shuffle([...new Set(ds.items.map((i) => i.group))]).slice(0, poolSize / 2);
    const indices = ds.items.flatMap((it, i) => (groups.includes(it.group) ? [i] : []));
    const pool = indices.map((i) => ds.items[i]);
    const gold = pool.map((it) => it.gold ?? false);
    const fresh = () => serverModelFor(server, ds, pool, 600);
    const key = (k: string) => `demo.${model.id}.${ds.id}.${k}`.padEnd(44);
    const fig = await fewShotFigures(fresh(), gold);
    for (const k of ['zeroShot', 'randomDemos', 'goldDemos', 'invertedDemos']) console.log(key(k), fig[k]);
    const config = { ...defaultConfig, ...defaultPlan('server'), seed: 1, poolSize: pool.length, iterations: steps };
    const problem = problemOf(ds, indices);
    const { state } = await runSearch(problem, config, fresh());
    console.log(key('icm'), Math.round((accuracy(state.labels, gold) ?? 0) * 1000) / 10);
  }
} finally {
  await server.close();
}
