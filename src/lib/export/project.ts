// A whole project as one file, so a person can keep a backup before the browser evicts its
// storage and import it into another browser: datasets, runs (settings, pool, state), the
// step log, init events, human overrides and label-the-rest results. parseProject checks
// every field and every reference strictly and names what is wrong, so a bad file is
// refused before anything is stored. No API key is ever written or read: a field named
// apiKey (or api_key), anywhere, is dropped.

import type { DataItem, Dataset } from '../data/types';
import type { Prediction, LabelTheRestRecord } from '../eval/labelTheRest';
import { validateConfig, type ICMConfig } from '../icm/config';
import { unpackSegments } from '../icm/model';
import type { FixMove, InitEvent, RepairCost, RunState, Score, StepEvent } from '../icm/search';
import type { ModelSpec } from '../model/params';
import { kindOf, modelKinds, type Kinds } from '../../../workers/backends/kinds';
import type { ErrorInfo } from '../protocol';
import type { HumanOverride, InitRecord, RunRecord, StepRecord } from '../store/schema';
import { array, bool, int, INVALID, Issues, literal, nullable, num, object, optional, quad, str, tagged, tuple, type Schema } from './validate';

export const PROJECT_FORMAT = 'icm-browser-project';
export const PROJECT_VERSION = 1;

export interface ProjectFile {
  format: typeof PROJECT_FORMAT;
  version: typeof PROJECT_VERSION;
  exportedAt: number; // ms since epoch
  datasets: Dataset[]; // every dataset a run, override or result refers to
  runs: RunRecord[];
  steps: StepRecord[];
  inits: InitRecord[];
  overrides: HumanOverride[];
  labelTheRest: LabelTheRestRecord[];
}

export type ProjectContents = Omit<ProjectFile, 'format' | 'version' | 'exportedAt'>;

/** What a project import changed. */
export interface ImportSummary {
  datasetsAdded: number;
  datasetsHere: number; // already in this browser with the same content, left as they were
  runs: number;
  decisionsAdded: number; // review decisions from the file on items with none here
  decisionsKept: number; // items where this browser's decision differs from the file's and was kept
}

/** What the import screen says after a project import. */
export function importReport(s: ImportSummary): string {
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  const parts = [`Imported ${n(s.datasetsAdded, 'dataset')} and ${n(s.runs, 'run')}.`];
  if (s.datasetsHere > 0) parts.push(`${n(s.datasetsHere, 'dataset was', 'datasets were')} already here, with the same items, and left as ${s.datasetsHere === 1 ? 'it was' : 'they were'}.`);
  if (s.decisionsAdded > 0) parts.push(`Added ${n(s.decisionsAdded, 'review decision')} from the file.`);
  if (s.decisionsKept > 0) parts.push(`Kept your own decision on ${n(s.decisionsKept, 'item')} where the file's differs.`);
  return parts.join(' ');
}

export const buildProject = (contents: ProjectContents, exportedAt: number): ProjectFile => ({ format: PROJECT_FORMAT, version: PROJECT_VERSION, exportedAt, ...contents });

const isApiKey = (name: string): boolean => /^api_?key$/i.test(name);

/** The project as JSON text: API keys dropped, ±Infinity and NaN written as strings (JSON has no such numbers). */
export function serializeProject(project: ProjectFile): string {
  return JSON.stringify(project, (k, v: unknown) => (isApiKey(k) ? undefined : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

// ---- schemas, typed against the stored types

const score = { U: num, P: num, I: num } satisfies { [K in keyof Score]: Schema<Score[K]> };
const bools = tuple(bool, bool);

const dataItem = object<DataItem>({ id: str, group: str, key: str, question: str, claim: str, response2: optional(str), gold: optional(bool) });
const dataset = object<Dataset>({ id: str, name: str, kind: literal('math', 'factual', 'comparison'), description: str, exclusive: optional(bool), items: array(dataItem) });

const orZero: Schema<number> = (v, path, issues) => (v === undefined ? 0 : num(v, path, issues));
const proposalForm = literal('argmax', 'calibrated');
const orArgmax: Schema<ICMConfig['proposal']> = (v, path, issues) => (v === undefined ? 'argmax' : proposalForm(v, path, issues));
const config = object<ICMConfig>({
  alpha: num, pForm: literal('logOdds', 'logProb'), K: num, init: literal('random', 'zeroShot'), consistency: bool, M: num, T0: num, Tmin: num, beta: num,
  schedule: literal('accepted', 'iterations'), groupWeight: num, iterations: num, poolSize: num,
  plan: literal('leaveOneOut', 'blocks', 'tree', 'treeBlocks'), blocks: num, seed: num, balancePrior: orZero, proposal: orArgmax, // absent in projects saved before they existed
});
// a model spec's shape is its kind's (workers/backends/<kind>/kind.ts): every kind the app knows is checked
const runState = object<RunState>({
  ...score, labels: array(nullable(bool)), logOdds: array(nullable(num)), iteration: int, proposals: int, accepted: int, tokens: num,
  computed: optional(num), skipped: optional(num), order: optional(array(int)), rng: quad(int),
  constants: optional(object({ allTrue: object(score), allFalse: object(score) })),
});
const errorInfo = object<ErrorInfo>({ name: str, message: str });
const run = (modelSpec: Schema<ModelSpec>) =>
  object<RunRecord>({
    id: str, name: str, datasetId: str, createdAt: num, status: literal('ready', 'running', 'paused', 'done', 'error'),
    config, model: modelSpec, pool: array(int), state: nullable(runState), error: nullable(errorInfo),
    stepsPerSecond: optional(nullable(num)), // absent in projects saved before a run kept its speed
  });
const fixMove = object<FixMove>({ items: tuple(int, int), from: bools, to: bools, U: num });
const scoreObject = object<Score>(score);
const step = object<StepRecord>({
  runId: str, iteration: int, item: int, weight: num, totalWeight: num, previous: nullable(bool), proposal: bool, proposalLogOdds: num, threshold: optional(num), read: optional(str),
  changed: bool, fixes: array(fixMove), before: scoreObject, after: scoreObject, deltaU: num, T: num, acceptProb: num, draw: nullable(num),
  accepted: bool, tokens: num, computed: optional(num), skipped: optional(num), evaluations: int,
  repair: optional(object<RepairCost>({ evaluations: int, tokens: num, computed: num })),
});
const initEvent = object<InitEvent>({ fixed: optional(array(nullable(bool))), seeds: array(int), seedLabels: array(bool), fixes: array(fixMove), score: scoreObject, tokens: num });
const init = object<InitRecord>({ runId: str, event: initEvent });
const override = object<HumanOverride>({ datasetId: str, itemId: str, label: bool, at: num });
const prediction = object<Prediction>({ item: int, label: bool, logOdds: num, confidence: num });
const rest = object<LabelTheRestRecord>({ runId: str, targets: array(int), cursor: int, predictions: array(prediction), tokens: num });

/** A project file whose runs are of these kinds, each spec checked by its kind's schema. */
function project(kinds: Kinds): Schema<ProjectFile> {
  const specs = Object.fromEntries(Object.values(kinds).flatMap((d) => (d ? [[d.kind, d.schema]] : [])));
  return object<ProjectFile>({
    format: literal(PROJECT_FORMAT), version: literal(PROJECT_VERSION), exportedAt: num,
    datasets: array(dataset), runs: array(run(tagged<ModelSpec>('kind', specs))), steps: array(step), inits: array(init), overrides: array(override), labelTheRest: array(rest),
  });
}

// ---- references and ranges, once the shape is right

/** "3" or "3–7" (first and last of a sorted list), for messages. */
const span = (xs: number[]): string => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length === 1 ? String(sorted[0]) : `${sorted[0]}–${sorted.at(-1)}`;
};

/** A run whose state the app could never have written: past its iteration limit, a score that
 *  is not a number, more accepted moves than proposals, finished without a state. */
function checkState(r: RunRecord, at: string, issues: Issues): void {
  const st = r.state;
  if (!st) {
    if (r.status === 'done') issues.add(`${at}.state`, 'is missing, but the run is "done"; a finished run has a state');
    return;
  }
  if (st.iteration > r.config.iterations) issues.add(`${at}.state.iteration`, `is ${st.iteration}, past the run's limit of ${r.config.iterations} iterations`);
  for (const k of ['U', 'P', 'I'] as const) if (!Number.isFinite(st[k])) issues.add(`${at}.state.${k}`, `is ${st[k]}; a run's score is always a finite number`);
  if (st.accepted > st.proposals) issues.add(`${at}.state.accepted`, `is ${st.accepted}, more than its ${st.proposals} proposals`);
  if (st.proposals > st.iteration) issues.add(`${at}.state.proposals`, `is ${st.proposals}, more than its ${st.iteration} iterations`);
  if (r.status === 'done' && st.iteration < r.config.iterations) issues.add(`${at}.status`, `is "done" at iteration ${st.iteration} of ${r.config.iterations}`);
}

function checkReferences(p: ProjectFile, kinds: Kinds, issues: Issues): void {
  const datasets = new Map<string, Dataset>();
  p.datasets.forEach((d, i) => {
    if (datasets.has(d.id)) issues.add(`datasets[${i}].id`, `dataset "${d.id}" appears twice`);
    datasets.set(d.id, d);
    const ids = new Set<string>();
    d.items.forEach((it, j) => {
      if (ids.has(it.id)) issues.add(`datasets[${i}].items[${j}].id`, `item id "${it.id}" appears twice in dataset "${d.id}"`);
      ids.add(it.id);
      if (d.kind === 'comparison' && it.response2 === undefined) issues.add(`datasets[${i}].items[${j}].response2`, 'is missing; a comparison item needs two responses');
    });
  });
  const runs = new Map<string, { run: RunRecord; at: string }>();
  p.runs.forEach((r, i) => {
    const at = `runs[${i}]`;
    if (runs.has(r.id)) issues.add(`${at}.id`, `run "${r.id}" appears twice`);
    runs.set(r.id, { run: r, at });
    const d = datasets.get(r.datasetId);
    if (!d) issues.add(`${at}.datasetId`, `names dataset "${r.datasetId}", which is not in the file`);
    for (const [field, message] of Object.entries(validateConfig(r.config))) issues.add(`${at}.config.${field}`, message);
    // what its kind checks of a spec on the set-up form and in createRun (the shape was checked above)
    for (const [field, message] of Object.entries(kindOf(r.model.kind, kinds).validate(r.model))) if (message) issues.add(`${at}.model.${field}`, message);
    if (d) r.pool.forEach((x, k) => (x < 0 || x >= d.items.length) && issues.add(`${at}.pool[${k}]`, `item ${x} is outside dataset "${d.id}" (${d.items.length} items)`));
    if (new Set(r.pool).size !== r.pool.length) issues.add(`${at}.pool`, 'lists an item twice');
    if (r.state && r.state.labels.length !== r.pool.length) issues.add(`${at}.state.labels`, `has ${r.state.labels.length} labels for a pool of ${r.pool.length}`);
    if (r.state && r.state.logOdds.length !== r.pool.length) issues.add(`${at}.state.logOdds`, `has ${r.state.logOdds.length} entries for a pool of ${r.pool.length}`);
    checkState(r, at, issues);
  });
  const stepKeys = new Set<string>();
  const stepsOf = new Map<string, Set<number>>(); // run id → the iterations logged
  p.steps.forEach((s, i) => {
    const r = runs.get(s.runId);
    if (!r) return issues.add(`steps[${i}].runId`, `names run "${s.runId}", which is not in the file`);
    const key = `${s.runId}\u0000${s.iteration}`;
    if (stepKeys.has(key)) issues.add(`steps[${i}].iteration`, `step ${s.iteration} of run "${s.runId}" appears twice`);
    stepKeys.add(key);
    stepsOf.set(s.runId, (stepsOf.get(s.runId) ?? new Set<number>()).add(s.iteration));
    if (s.item < 0 || s.item >= r.run.pool.length) issues.add(`steps[${i}].item`, `pool item ${s.item} is outside the run's pool of ${r.run.pool.length}`);
    const read = s.read === undefined ? [] : unpackSegments(s.read);
    if (read === null || read.some((x) => x.item >= r.run.pool.length)) issues.add(`steps[${i}].read`, `is not a sequence of the run's pool items`);
  });
  for (const { run: r, at } of runs.values()) {
    const iteration = r.state?.iteration ?? 0;
    const logged = stepsOf.get(r.id) ?? new Set<number>();
    const missing = Array.from({ length: iteration }, (_, k) => k + 1).filter((n) => !logged.has(n));
    const extra = [...logged].filter((n) => n < 1 || n > iteration);
    if (missing.length > 0) issues.add(`${at}.state.iteration`, `is ${iteration}, but the file has no step ${span(missing)} of this run; its step log is incomplete`);
    if (extra.length > 0) issues.add(`${at}.state.iteration`, `is ${iteration}, but the file has step ${span(extra)} of this run, after its state`);
  }
  const initRuns = new Set<string>();
  p.inits.forEach((x, i) => {
    if (!runs.has(x.runId)) issues.add(`inits[${i}].runId`, `names run "${x.runId}", which is not in the file`);
    if (initRuns.has(x.runId)) issues.add(`inits[${i}].runId`, `run "${x.runId}" has two init events`);
    initRuns.add(x.runId);
  });
  p.overrides.forEach((o, i) => {
    const d = datasets.get(o.datasetId);
    if (!d) issues.add(`overrides[${i}].datasetId`, `names dataset "${o.datasetId}", which is not in the file`);
    else if (!d.items.some((it) => it.id === o.itemId)) issues.add(`overrides[${i}].itemId`, `item "${o.itemId}" is not in dataset "${o.datasetId}"`);
  });
  p.labelTheRest.forEach((x, i) => {
    const r = runs.get(x.runId);
    if (!r) return issues.add(`labelTheRest[${i}].runId`, `names run "${x.runId}", which is not in the file`);
    const n = datasets.get(r.run.datasetId)?.items.length ?? Infinity;
    if (x.cursor > x.targets.length) issues.add(`labelTheRest[${i}].cursor`, `is past the end of its ${x.targets.length} targets`);
    if (x.predictions.length !== x.cursor) issues.add(`labelTheRest[${i}].predictions`, `has ${x.predictions.length} predictions for a cursor at ${x.cursor}`);
    x.targets.forEach((t, k) => (t < 0 || t >= n) && issues.add(`labelTheRest[${i}].targets[${k}]`, `item ${t} is outside the run's dataset`));
  });
}

export type ProjectResult = { ok: true; project: ProjectFile } | { ok: false; errors: string[] };

/** The project in `text`, checked field by field (its runs' models by `kinds`: the app's own, and
 *  a test's beside them); or every problem found, each naming where it is. */
export function parseProject(text: string, kinds: Kinds = modelKinds): ProjectResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''), (k, v: unknown) => (isApiKey(k) ? undefined : v));
  } catch (e) {
    return { ok: false, errors: [`The file is not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : String(e)}); is it a project file exported by this app?`] };
  }
  const head = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  if (head.format !== PROJECT_FORMAT) return { ok: false, errors: [`This is not a project file of this app: its "format" should be "${PROJECT_FORMAT}".`] };
  if (typeof head.version === 'number' && head.version > PROJECT_VERSION)
    return { ok: false, errors: [`This project file is version ${head.version}, written by a newer version of this app (this one reads version ${PROJECT_VERSION}). Reload the page to update the app.`] };
  const issues = new Issues();
  const value = project(kinds)(raw, '', issues);
  if (value === INVALID) return { ok: false, errors: issues.list };
  checkReferences(value, kinds, issues);
  return issues.list.length ? { ok: false, errors: issues.list } : { ok: true, project: value };
}
