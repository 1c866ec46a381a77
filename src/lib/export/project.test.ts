import { describe, expect, it } from 'vitest';
import { factualDataset } from '../data/builtin';
import type { Dataset } from '../data/types';
import { predictAll } from '../eval/labelTheRest';
import { defaultConfig, type ICMConfig } from '../icm/config';
import { drawPool } from '../icm/pool';
import { initialState, step, type Problem } from '../icm/search';
import { defaultServerSpec, defaultSimulatedParams, type ModelSpec } from '../model/params';
import { createSimulatedModel } from '../../../workers/backends/simulated/model';
import type { InitRecord, RunRecord, StepRecord } from '../store/schema';
import { buildProject, importReport, parseProject, serializeProject, type ProjectFile } from './project';

const full = factualDataset();
const dataset: Dataset = { ...full, items: full.items.slice(0, 60) };
const config: ICMConfig = { ...defaultConfig, poolSize: 16, iterations: 5, seed: 3 };

async function realProject(): Promise<ProjectFile> {
  const pool = drawPool(dataset.items, config.poolSize, config.seed);
  const poolItems = pool.map((d) => dataset.items[d]);
  const model = createSimulatedModel(dataset.kind, poolItems, defaultSimulatedParams);
  const problem: Problem = { items: poolItems.map((it) => ({ group: it.group, key: it.key })), comparison: false };
  const init = await initialState(problem, config, model);
  let state = init.state;
  const steps: StepRecord[] = [];
  for (let k = 0; k < 5; k++) {
    const r = await step(problem, state, config, model);
    state = r.state;
    steps.push({ ...r.event, runId: 'r1' });
  }
  steps[0] = { ...steps[0], deltaU: -Infinity, draw: null }; // JSON has no Infinity: it must survive anyway
  const run: RunRecord = { id: 'r1', name: 'Run 1', datasetId: dataset.id, createdAt: 1_700_000_000_000, status: 'paused', config, model: { kind: 'simulated', params: defaultSimulatedParams }, pool, state, error: null };
  const server: RunRecord = { ...run, id: 'r2', name: 'Server run', model: { ...defaultServerSpec, model: 'm', apiKey: 'sk-secret' }, state: null, status: 'ready' };
  const inits: InitRecord[] = [{ runId: 'r1', event: init.event }];
  const wholeModel = createSimulatedModel(dataset.kind, dataset.items, defaultSimulatedParams);
  const rest = dataset.items.map((_, i) => i).filter((i) => !pool.includes(i));
  const demos = pool.flatMap((d, k) => (state.labels[k] === null ? [] : [{ item: d, label: state.labels[k] as boolean }]));
  const predicted = await predictAll(wholeModel, rest, demos);
  return buildProject(
    {
      datasets: [dataset],
      runs: [run, server],
      steps,
      inits,
      overrides: [{ datasetId: dataset.id, itemId: dataset.items[0].id, label: true, at: 1_700_000_000_500 }],
      labelTheRest: [{ runId: 'r1', targets: rest, cursor: rest.length, predictions: predicted.predictions, tokens: predicted.tokens }],
    },
    1_700_000_001_000,
  );
}

function errorsOf(text: string): string[] {
  const r = parseProject(text);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('project file', () => {
  it('round trips: export → parseProject → equal, with every API key dropped', async () => {
    const project = await realProject();
    const text = serializeProject(project);
    expect(text).not.toMatch(/apiKey|sk-secret/);
    const r = parseProject(text);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const { apiKey: _gone, ...publicServer } = project.runs[1].model as Extract<ModelSpec, { kind: 'server' }>;
    expect(r.project).toEqual({ ...project, runs: [project.runs[0], { ...project.runs[1], model: publicServer }] });
    expect(r.project.steps[0].deltaU).toBe(-Infinity);
  });

  it('drops an apiKey anywhere when reading, too', async () => {
    const raw = JSON.parse(serializeProject(await realProject())) as Record<string, unknown> & { runs: { model: Record<string, unknown> }[] };
    raw.runs[1].model.apiKey = 'sk-1';
    raw.api_key = 'sk-2';
    const r = parseProject(JSON.stringify(raw));
    expect(r.ok).toBe(true);
    if (r.ok) expect(JSON.stringify(r.project)).not.toMatch(/sk-/);
  });

  it('refuses what is not a project, or one from a newer version', () => {
    expect(errorsOf('not json')[0]).toMatch(/not valid JSON/);
    expect(errorsOf('[1]')[0]).toMatch(/not a project file/);
    expect(errorsOf('{"format":"icm-browser-project","version":2}')[0]).toMatch(/version 2, written by a newer version/);
  });

  it('names every field that is wrong by its path', async () => {
    type Raw = {
      datasets: { items: Record<string, unknown>[] }[];
      runs: { config: Record<string, unknown>; state: { labels: unknown[] }; model: Record<string, unknown> }[];
      steps: Record<string, unknown>[];
    };
    const raw = JSON.parse(serializeProject(await realProject())) as Raw;
    delete raw.datasets[0].items[2].claim;
    raw.runs[0].config.alpha = 'thirty';
    raw.runs[0].state.labels[0] = 'yes';
    raw.steps[1].surprise = 1;
    raw.runs[1].model.kind = 'magic';
    expect(errorsOf(JSON.stringify(raw))).toEqual([
      'datasets[0].items[2].claim: is missing',
      'runs[0].config.alpha: expected a number, found string "thirty"',
      'runs[0].state.labels[0]: expected true or false, found string "yes"',
      'runs[1].model.kind: expected "simulated" or "webllm" or "wllama" or "server" or "recorded", found string "magic"',
      'steps[1].surprise: is not a field this file format has',
    ]);
  });

  it('checks references, ranges and settings', async () => {
    const p = await realProject();
    const bad: ProjectFile = {
      ...p,
      datasets: [{ ...p.datasets[0], items: [...p.datasets[0].items, { ...p.datasets[0].items[0] }] }],
      runs: [{ ...p.runs[0], config: { ...p.runs[0].config, K: 7 }, pool: [...p.runs[0].pool.slice(1), 999] }, { ...p.runs[1], datasetId: 'gone' }],
      overrides: [{ ...p.overrides[0], itemId: 'nope' }],
      inits: [...p.inits, p.inits[0]],
    };
    const errors = errorsOf(serializeProject(bad));
    expect(errors).toEqual([
      `datasets[0].items[60].id: item id "${p.datasets[0].items[0].id}" appears twice in dataset "builtin-factual"`,
      'runs[0].config.K: Seed labels K must be even (half True, half False).',
      'runs[0].pool[15]: item 999 is outside dataset "builtin-factual" (61 items)',
      'runs[1].datasetId: names dataset "gone", which is not in the file',
      'inits[1].runId: run "r1" has two init events',
      'overrides[0].itemId: item "nope" is not in dataset "builtin-factual"',
    ]);
  });

  it('refuses runs whose state the app could never have written', async () => {
    const p = await realProject();
    const [r1, r2] = p.runs;
    const st = r1.state!;
    const past = { ...p, runs: [{ ...r1, state: { ...st, iteration: 99_999 } }, r2] };
    expect(errorsOf(serializeProject(past))).toEqual([
      "runs[0].state.iteration: is 99999, past the run's limit of 5 iterations",
      'runs[0].state.iteration: is 99999, but the file has no step 6–99999 of this run; its step log is incomplete',
    ]);
    const noSteps = { ...p, runs: [{ ...r1, status: 'done' as const }, r2], steps: [] };
    expect(errorsOf(serializeProject(noSteps))).toEqual(['runs[0].state.iteration: is 5, but the file has no step 1–5 of this run; its step log is incomplete']);
    const nan = { ...p, runs: [{ ...r1, state: { ...st, U: NaN, accepted: st.proposals + 1 } }, r2] };
    expect(errorsOf(serializeProject(nan))).toEqual(["runs[0].state.U: is NaN; a run's score is always a finite number", `runs[0].state.accepted: is ${st.proposals + 1}, more than its ${st.proposals} proposals`]);
    const early = { ...p, runs: [{ ...r1, state: { ...st, iteration: 3, proposals: Math.min(st.proposals, 3), accepted: Math.min(st.accepted, 3) }, status: 'done' as const }, r2] };
    expect(errorsOf(serializeProject(early))).toEqual(['runs[0].status: is "done" at iteration 3 of 5', 'runs[0].state.iteration: is 3, but the file has step 4–5 of this run, after its state']);
    const doneWithout = { ...p, runs: [r1, { ...r2, status: 'done' as const }] };
    expect(errorsOf(serializeProject(doneWithout))).toEqual(['runs[1].state: is missing, but the run is "done"; a finished run has a state']);
  });
});

describe('importReport', () => {
  it('says what the import changed, and what it kept', () => {
    expect(importReport({ datasetsAdded: 1, datasetsHere: 0, runs: 2, decisionsAdded: 0, decisionsKept: 0 })).toBe('Imported 1 dataset and 2 runs.');
    expect(importReport({ datasetsAdded: 0, datasetsHere: 1, runs: 1, decisionsAdded: 3, decisionsKept: 1 })).toBe(
      "Imported 0 datasets and 1 run. 1 dataset was already here, with the same items, and left as it was. Added 3 review decisions from the file. Kept your own decision on 1 item where the file's differs.",
    );
  });
});
