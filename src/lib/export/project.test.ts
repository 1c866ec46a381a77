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
  // a read that gave a label probability 0 has log-odds ±∞, which JSON cannot hold: it must survive anyway
  steps[0] = { ...steps[0], proposalLogOdds: steps[0].proposal ? Infinity : -Infinity };
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
    expect(Math.abs(r.project.steps[0].proposalLogOdds)).toBe(Infinity);
  });

  it('keeps where a GGUF run computes (Run on), and refuses a device the app does not have', async () => {
    const p = await realProject();
    const gguf: RunRecord = { ...p.runs[1], id: 'r3', name: 'GGUF run', model: { kind: 'wllama', modelId: 'smollm2-135m-q4', name: 'SmolLM2 135M', device: 'gpu' } };
    const text = serializeProject({ ...p, runs: [p.runs[0], gguf] });
    const r = parseProject(text);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.project.runs[1].model).toEqual(gguf.model);
    expect(errorsOf(text.replace(/"device": ?"gpu"/, '"device": "tpu"'))).toEqual(['runs[1].model.device: expected "auto" or "gpu" or "cpu", found string "tpu"']);
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
    const nan = { ...p, runs: [{ ...r1, state: { ...st, U: NaN } }, r2] };
    expect(errorsOf(serializeProject(nan))).toEqual(['runs[0].state.U: is NaN; it must be a finite number']);
    const more = { ...p, runs: [{ ...r1, state: { ...st, accepted: st.proposals + 1 } }, r2] };
    expect(errorsOf(serializeProject(more))[0]).toBe(`runs[0].state.accepted: is ${st.proposals + 1}, more than its ${st.proposals} proposals`);
    const early = { ...p, runs: [{ ...r1, state: { ...st, iteration: 3, proposals: Math.min(st.proposals, 3), accepted: Math.min(st.accepted, 3) }, status: 'done' as const }, r2] };
    expect(errorsOf(serializeProject(early))).toEqual(['runs[0].status: is "done" at iteration 3 of 5', 'runs[0].state.iteration: is 3, but the file has step 4–5 of this run, after its state']);
    const doneWithout = { ...p, runs: [r1, { ...r2, status: 'done' as const }] };
    expect(errorsOf(serializeProject(doneWithout))).toEqual(['runs[1].state: is missing, but the run is "done"; a finished run has a state']);
  });
});

describe('a backup the app could never have written (issue 21, item 6)', () => {
  type Raw = Record<string, unknown> & {
    exportedAt: unknown;
    datasets: { items: Record<string, unknown>[] }[];
    runs: { createdAt: unknown; pool: unknown[]; config: Record<string, unknown>; model: Record<string, unknown>; state: Record<string, unknown> & { labels: (boolean | null)[]; rng: unknown[] } }[];
    steps: (Record<string, unknown> & { changed: boolean; accepted: boolean; previous: boolean | null })[];
    inits: { event: { seeds: unknown[] } }[];
    overrides: { at: unknown }[];
    labelTheRest: { predictions: Record<string, unknown>[] }[];
  };
  let text = '';
  const raw = (): Raw => JSON.parse(text) as Raw;
  const changedStep = (r: Raw) => {
    const j = r.steps.findIndex((s) => s.runId === 'r1' && s.changed);
    if (j < 0) throw new Error('the fixture has no step that changed a label');
    return j;
  };
  // each: what the file says, and the start of the error that names where (none may throw)
  const variants: [string, (r: Raw) => Raw | string, RegExp][] = [
    ['a temperature that is NaN', (r) => ((r.steps[1].T = 'NaN'), r), /^steps\[1\]\.T: is NaN; it must be a finite number$/],
    ['a temperature that is Infinity', (r) => ((r.steps[1].T = 'Infinity'), r), /^steps\[1\]\.T: is Infinity; it must be a finite number$/],
    ['a temperature below 0 (T = … = -1)', (r) => ((r.steps[1].T = -1), r), /^steps\[1\]\.T: is -1; it must be above 0$/],
    ['a temperature the schedule does not give', (r) => ((r.steps[1].T = 3), r), /^steps\[1\]\.T: is 3, but the run's schedule gives T = /],
    ['a creation date that is NaN', (r) => ((r.runs[0].createdAt = 'NaN'), r), /^runs\[0\]\.createdAt: is NaN; it must be a finite number$/],
    ['a creation date past any date (Invalid Date)', (r) => ((r.runs[0].createdAt = 1e20), r), /^runs\[0\]\.createdAt: is 100000000000000000000, not a date/],
    ['an export date of -Infinity', (r) => ((r.exportedAt = '-Infinity'), r), /^exportedAt: is -Infinity; it must be a finite number$/],
    ['a review decision dated before 1970', (r) => ((r.overrides[0].at = -5), r), /^overrides\[0\]\.at: is -5, not a date/],
    [
      'a recorded run recorded at no date',
      (r) => ((r.runs[0].model = { kind: 'recorded', model: 'm', file: 'f.json', via: 'v', machine: 'x', recordedAt: 'yesterday' }), r),
      /^runs\[0\]\.model\.recordedAt: is "yesterday", not a date$/,
    ],
    ['a "__proto__" key at the top', (r) => JSON.stringify(r).replace('{', '{"__proto__":{"polluted":true},'), /^__proto__: is not a field this file format has$/],
    ['a "constructor" key in a config', (r) => JSON.stringify(r).replace('"config":{', '"config":{"constructor":{"x":1},'), /^runs\[0\]\.config\.constructor: is not a field this file format has$/],
    ['a "__proto__" key in an item', (r) => JSON.stringify(r).replace('"items":[{', '"items":[{"__proto__":1,'), /^datasets\[0\]\.items\[0\]\.__proto__: is not a field this file format has$/],
    ...['__proto__', 'valueOf', 'hasOwnProperty', 'constructor', 'toString', 'magic'].map(
      (kind): [string, (r: Raw) => Raw, RegExp] => [`model kind "${kind}"`, (r) => ((r.runs[0].model.kind = kind), r), new RegExp(`^runs\\[0\\]\\.model\\.kind: expected "simulated" or "webllm" or "wllama" or "server" or "recorded", found string "${kind}"$`)],
    ),
    ...['constructor', '__proto__', 'valueOf'].map((name): [string, (r: Raw) => Raw, RegExp] => [`"${name}" as a number`, (r) => ((r.runs[0].config.alpha = name), r), new RegExp(`^runs\\[0\\]\\.config\\.alpha: expected a number, found string "${name}"$`)]),
    ['"__proto__" as a count', (r) => ((r.runs[0].state.tokens = '__proto__'), r), /^runs\[0\]\.state\.tokens: expected a whole number, found string "__proto__"$/],
    ['a draw of 5', (r) => ((r.steps[changedStep(r)].draw = 5), r), /^steps\[\d+\]\.draw: is 5; a uniform draw is at least 0 and below 1$/],
    ['an acceptance probability of -3', (r) => ((r.steps[changedStep(r)].acceptProb = -3), r), /^steps\[\d+\]\.acceptProb: is -3; it must be between 0 and 1$/],
    ['an acceptance the draw contradicts', (r) => ((r.steps[changedStep(r)].accepted = !r.steps[changedStep(r)].accepted), r), /^steps\[\d+\]\.accepted: is (true|false), but the draw [\d.e-]+ is (not )?below the acceptance probability/],
    ['a pool index below 0', (r) => ((r.runs[0].pool[0] = -1), r), /^runs\[0\]\.pool\[0\]: is -1; it must be a whole number, at least 0$/],
    ['a step on an item outside the pool', (r) => ((r.steps[0].item = 999), r), /^steps\[0\]\.item: pool item 999 is outside the run's pool of 16$/],
    ['a seed outside the pool', (r) => ((r.inits[0].event.seeds[0] = 999), r), /^inits\[0\]\.event\.seeds\[0\]: pool item 999 is outside the run's pool of 16$/],
    ['an RNG word past 32 bits', (r) => ((r.runs[0].state.rng[0] = 2 ** 32), r), /^runs\[0\]\.state\.rng\[0\]: is 4294967296; it must be a whole number from 0 to 4294967295$/],
    ['state labels the log contradicts', (r) => {
      const k = r.runs[0].state.labels.findIndex((l) => l !== null);
      r.runs[0].state.labels[k] = !r.runs[0].state.labels[k];
      return r;
    }, /^runs\[0\]\.state\.labels\[\d+\]: is (True|False), but replaying the log to step 5 gives (True|False)$/],
    ['a step whose label before it the log contradicts', (r) => ((r.steps[2].previous = r.steps[2].previous === null ? true : !r.steps[2].previous), r), /^steps\[2\]\.previous: is (True|False), but the log before step 3 gives pool item \d+ /],
    ['a score that is not the last accepted labeling\'s', (r) => ((r.runs[0].state.U = (r.runs[0].state.U as number) + 1), r), /^runs\[0\]\.state\.U: is [\d.e-]+ \(P = .*\), but the log's last accepted labeling scored U = /],
    ['token counts the log does not add up to', (r) => ((r.runs[0].state.tokens = (r.runs[0].state.tokens as number) + 7), r), /^runs\[0\]\.state\.tokens: is \d+, but the init event and the steps read \d+$/],
    ['a prediction with confidence 2', (r) => ((r.labelTheRest[0].predictions[0].confidence = 2), r), /^labelTheRest\[0\]\.predictions\[0\]\.confidence: is 2; it must be between 0\.5 and 1$/],
    ['a prediction whose label its log-odds contradict', (r) => ((r.labelTheRest[0].predictions[0].label = !r.labelTheRest[0].predictions[0].label), r), /^labelTheRest\[0\]\.predictions\[0\]\.label: is (True|False), but its log-odds /],
  ];

  it.each(variants)('refuses %s, naming where', async (_name, mutate, expected) => {
    if (!text) text = serializeProject(await realProject());
    expect(parseProject(text).ok).toBe(true); // the file the app wrote passes
    const out = mutate(raw());
    const r = parseProject(typeof out === 'string' ? out : JSON.stringify(out));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.some((e) => expected.test(e)), r.errors.join('\n')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
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
