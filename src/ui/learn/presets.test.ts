// The presets show what their lessons say (seed 1, simulated model). A run settles by about
// step 500 at these settings, so 600 steps stand for the default 1000.
import { describe, expect, it } from 'vitest';
import { builtinDatasets } from '../../lib/data/builtin/index';
import { problemOf } from '../../lib/data/problem';
import { accuracy } from '../../lib/eval/baselines';
import { drawPool } from '../../lib/icm/pool';
import { runSearch } from '../../lib/icm/run';
import type { RunState } from '../../lib/icm/search';
import { simulatedModelFor } from '../../../workers/backends/simulated/model';
import { decodeSettings, encodeSettings, type SharedSettings } from '../../lib/url/settings';
import { defaultConfig } from '../../lib/icm/config';
import { defaultSimulatedParams } from '../../lib/model/params';
import { lessonPresetOf, presetOf, presets, presetSettings } from './presets';
import { lessons } from './lessons';
import { setupQuery } from './link';

const datasets = builtinDatasets();

async function run(s: SharedSettings) {
  const ds = datasets.find((d) => d.id === s.task);
  if (!ds) throw new Error(`no task ${s.task}`);
  const config = { ...s.config, iterations: 600 };
  const pool = drawPool(ds.items, config.poolSize, config.seed);
  const problem = problemOf(ds, pool);
  const model = simulatedModelFor(ds.kind, ds.items, pool, s.params);
  const gold = pool.map((i) => ds.items[i].gold);
  const starts: RunState[] = [];
  const { state, steps } = await runSearch(problem, config, model, { reads: false, onInit: (_e, s0) => void starts.push(s0) });
  const proposals = steps.filter((e) => e.changed).length;
  const accepted = steps.filter((e) => e.accepted).length;
  return { state, accuracy: accuracy(state.labels, gold) ?? 0, start: accuracy(starts[0].labels, gold) ?? 0, acceptRate: accepted / proposals };
}

describe('presets', () => {
  it('are links: each round-trips through the URL table and is recognised', () => {
    for (const p of presets) {
      const s = presetSettings(p.id, 3);
      const back = decodeSettings(encodeSettings(s)).settings;
      expect(back).toEqual(s);
      expect(presetOf(back.task, back.config, back.params)).toBe(p.id);
      expect(lessonPresetOf(back.config, back.params)).toBe(p.id);
      expect(lessons[p.id].title).toBe(p.title);
    }
    expect(presetOf('builtin-math', { ...defaultConfig, alpha: 40 }, defaultSimulatedParams)).toBeNull();
  });

  it('show what their lessons say (seed 1)', { timeout: 60_000 }, async () => {
    const truth = await run(presetSettings('truth'));
    expect(truth.accuracy).toBeGreaterThan(0.8);
    expect(truth.state.I).toBe(0);
    expect(truth.state.labels.every((l) => l !== null)).toBe(true);

    const loose = await run(presetSettings('noConsistency'));
    expect(truth.accuracy - loose.accuracy).toBeGreaterThan(0.08);
    expect(loose.state.I).toBeGreaterThan(24);
    expect(loose.acceptRate).toBeGreaterThan(truth.acceptRate);

    const zero = await run(presetSettings('zeroShot'));
    expect(Math.abs(zero.accuracy - truth.accuracy)).toBeLessThan(0.08); // about the same end
    expect(zero.start).not.toBe(truth.start);

    const fair = await run({ ...presetSettings('truth'), task: 'builtin-comparison' });
    const fails = await run(presetSettings('nonSalient'));
    expect(fails.accuracy).toBeLessThan(0.7); // near 60%
    expect(fair.accuracy - fails.accuracy).toBeGreaterThan(0.1);
    expect(fails.state.U).toBeGreaterThan(fair.state.U + 10);
    expect(fails.state.I).toBe(0);
  });
});

describe('setupQuery', () => {
  it('names the task first, even the default one, and round-trips', () => {
    const s = presetSettings('truth', 7);
    const q = setupQuery(s);
    expect(q).toBe('?task=builtin-math&seed=7');
    expect(decodeSettings(q).settings).toEqual(s);
  });
});
