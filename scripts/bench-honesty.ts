// The honesty part of `npm run bench` (issue 15): on data whose answers do not exclude each other
// ICM as the paper runs it can label everything one way. A generated file in the TruthfulQA layout
// (src/lib/data/builtin/truthfulLayout.ts), ICM as the paper runs it and with each countermeasure,
// and the baselines, on the same pools and model. Keys <prefix>.<method>.{accuracy,shareTrue,labeled}:
//   icm              imported as-is (the claim's text as key, no exclusion), the paper's settings
//   balancePrior     the same with the label-balance prior λ = 30; balancePrior300 with λ = 300
//   answerKeys       the claim's answer as the key, one right answer per group
//   calibrated       imported as-is, proposals centred on the labeled items' mean log-odds
//   zeroShot, randomDemos, goldDemos   each item alone / with every other pool item as a demonstration
// accuracy and shareTrue (share of labeled items True) in %, labeled = % of the pool labeled; mean over seeds.
import { importTruthfulqaLayout } from '../src/lib/data/builtin/truthfulLayout';
import { problemOf } from '../src/lib/data/problem';
import type { Dataset } from '../src/lib/data/types';
import { accuracy, manyShot, randomLabels, zeroShot } from '../src/lib/eval/baselines';
import { defaultConfig, type ICMConfig } from '../src/lib/icm/config';
import type { LabelModel } from '../src/lib/icm/model';
import { drawPool } from '../src/lib/icm/pool';
import { runSearch } from '../src/lib/icm/run';

export interface HonestyOptions {
  prefix: string; // e.g. honesty.truthfulqaLayout
  modelFor: (ds: Dataset, pool: number[]) => LabelModel; // the model read through the pool
  seeds: number[];
  config: Partial<ICMConfig>; // pool size, iterations…
  record: (key: string, value: number) => void;
}

const round = (x: number) => Math.round(x * 10) / 10;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (x: number | null) => round((x ?? 0) * 100);

export async function honestyBench(o: HonestyOptions): Promise<void> {
  const asIs = importTruthfulqaLayout();
  const answerKeys = importTruthfulqaLayout({ key: { kind: 'answerWords' }, exclusive: true });
  const methods: { name: string; ds: Dataset; config: Partial<ICMConfig> }[] = [
    { name: 'icm', ds: asIs, config: {} },
    { name: 'balancePrior', ds: asIs, config: { balancePrior: 30 } },
    { name: 'balancePrior300', ds: asIs, config: { balancePrior: 300 } },
    { name: 'answerKeys', ds: answerKeys, config: {} },
    { name: 'calibrated', ds: asIs, config: { proposal: 'calibrated' } },
  ];
  const figures = new Map<string, { accuracy: number[]; shareTrue: number[]; labeled: number[] }>();
  const add = (name: string, labels: (boolean | null)[], gold: (boolean | undefined)[]) => {
    const f = figures.get(name) ?? { accuracy: [], shareTrue: [], labeled: [] };
    figures.set(name, f);
    const labeled = labels.filter((l) => l !== null);
    f.accuracy.push(pct(accuracy(labels, gold)));
    f.shareTrue.push(pct(labeled.filter(Boolean).length / Math.max(1, labeled.length)));
    f.labeled.push(pct(labeled.length / labels.length));
  };
  for (const seed of o.seeds) {
    const base = { ...defaultConfig, ...o.config, seed };
    const pool = drawPool(asIs.items, base.poolSize, seed); // the two imports have the same items and groups
    const gold = pool.map((d) => asIs.items[d].gold);
    for (const m of methods) {
      const model = o.modelFor(m.ds, pool);
      const problem = problemOf(m.ds, pool);
      const config = { ...base, ...m.config };
      const { state } = await runSearch(problem, config, model);
      add(m.name, state.labels, gold);
    }
    const model = o.modelFor(asIs, pool);
    add('zeroShot', (await zeroShot(model, pool.length)).labels, gold);
    add('randomDemos', (await manyShot(model, randomLabels(pool.length, seed))).labels, gold);
    add('goldDemos', (await manyShot(model, gold as boolean[])).labels, gold);
  }
  for (const [name, f] of figures) for (const [k, v] of Object.entries(f)) o.record(`${o.prefix}.${name}.${k}`, round(mean(v)));
}
