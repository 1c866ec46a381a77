// A whole project as one file, so a person can keep a backup before the browser evicts its
// storage and import it into another browser: datasets, runs (settings, pool, state), the
// step log, init events, human overrides and label-the-rest results. parseProject checks
// every field and every reference strictly and names what is wrong, so a bad file is
// refused before anything is stored. No API key is ever written or read: a field named
// apiKey (or api_key), anywhere, is dropped.

import type { DataItem, Dataset } from '../data/types';
import type { Prediction, LabelTheRestRecord } from '../eval/labelTheRest';
import { problemOf } from '../data/problem';
import { acceptanceProbability, temperature } from '../icm/annealing';
import { validateConfig, type ICMConfig } from '../icm/config';
import { inconsistencyCount } from '../icm/consistency';
import { unpackSegments } from '../icm/model';
import type { Labels } from '../icm/problem';
import { initialLabels } from '../icm/replay';
import { U } from '../icm/score';
import type { FixMove, InitEvent, RepairCost, RunState, Score, StepEvent } from '../icm/search';
import type { ModelSpec } from '../model/params';
import { kindOf, modelKinds, type Kinds } from '../../../workers/backends/kinds';
import type { ErrorInfo } from '../protocol';
import type { HumanOverride, InitRecord, RunRecord, StepRecord } from '../store/schema';
import { array, between, bool, count, date, extended, INVALID, Issues, literal, nullable, num, object, optional, quad, str, tagged, tuple, type Schema } from './validate';

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

// ---- schemas, typed against the stored types, with the ranges the app writes

const finiteScore = object<Score>({ U: num, P: num, I: count }); // a run's (its state, a step's before)
const anyScore = object<Score>({ U: extended, P: extended, I: count }); // a labeling read with a probability-0 label has U = -Infinity
const bools = tuple(bool, bool);
const positive = between(Number.MIN_VALUE, Number.MAX_VALUE, false, 'above 0');
const probability = between(0, 1);
const uint32 = between(0, 2 ** 32 - 1, true, 'a whole number from 0 to 4294967295');
/** A uniform draw: 0 ≤ x < 1. */
const draw: Schema<number> = (v, path, issues) => {
  const x = num(v, path, issues);
  if (x === INVALID) return INVALID;
  if (x >= 0 && x < 1) return x;
  issues.add(path, `is ${x}; a uniform draw is at least 0 and below 1`);
  return INVALID;
};

const dataItem = object<DataItem>({ id: str, group: str, key: str, question: str, claim: str, response2: optional(str), gold: optional(bool) });
const dataset = object<Dataset>({ id: str, name: str, kind: literal('math', 'factual', 'comparison'), description: str, exclusive: optional(bool), items: array(dataItem) });

const orZero: Schema<number> = (v, path, issues) => (v === undefined ? 0 : num(v, path, issues));
const proposalForm = literal('argmax', 'calibrated');
const orArgmax: Schema<ICMConfig['proposal']> = (v, path, issues) => (v === undefined ? 'argmax' : proposalForm(v, path, issues));
// ranges: validateConfig, in checkReferences
const config = object<ICMConfig>({
  alpha: num, pForm: literal('logOdds', 'logProb'), K: num, init: literal('random', 'zeroShot'), consistency: bool, M: num, T0: num, Tmin: num, beta: num,
  schedule: literal('accepted', 'iterations'), groupWeight: num, iterations: num, poolSize: num,
  plan: literal('leaveOneOut', 'blocks', 'tree', 'treeBlocks'), blocks: num, seed: num, balancePrior: orZero, proposal: orArgmax, // absent in projects saved before they existed
});
// a model spec's shape is its kind's (workers/backends/<kind>/kind.ts): every kind the app knows is checked
const runState = object<RunState>({
  ...{ U: num, P: num, I: count }, labels: array(nullable(bool)), logOdds: array(nullable(extended)), iteration: count, proposals: count, accepted: count, tokens: count,
  computed: optional(count), skipped: optional(count), order: optional(array(count)), rng: quad(uint32),
  constants: optional(object({ allTrue: anyScore, allFalse: anyScore })),
});
const errorInfo = object<ErrorInfo>({ name: str, message: str });
const run = (modelSpec: Schema<ModelSpec>) =>
  object<RunRecord>({
    id: str, name: str, datasetId: str, createdAt: date, status: literal('ready', 'running', 'paused', 'done', 'error'),
    config, model: modelSpec, pool: array(count), state: nullable(runState), error: nullable(errorInfo),
    stepsPerSecond: optional(nullable(positive)), // absent in projects saved before a run kept its speed
  });
const fixMove = object<FixMove>({ items: tuple(count, count), from: bools, to: bools, U: extended });
const step = object<StepRecord>({
  runId: str, iteration: between(1, Number.MAX_SAFE_INTEGER, true, 'a whole number, at least 1'), item: count, weight: positive, totalWeight: positive, previous: nullable(bool), proposal: bool,
  proposalLogOdds: extended, threshold: optional(extended), read: optional(str), changed: bool, fixes: array(fixMove), before: finiteScore, after: anyScore, deltaU: extended,
  T: positive, acceptProb: probability, draw: nullable(draw), accepted: bool, tokens: count, computed: optional(count), skipped: optional(count), evaluations: count,
  repair: optional(object<RepairCost>({ evaluations: count, tokens: count, computed: count })),
});
const initEvent = object<InitEvent>({ fixed: optional(array(nullable(bool))), seeds: array(count), seedLabels: array(bool), fixes: array(fixMove), score: finiteScore, tokens: count });
const init = object<InitRecord>({ runId: str, event: initEvent });
const override = object<HumanOverride>({ datasetId: str, itemId: str, label: bool, at: date });
const prediction = object<Prediction>({ item: count, label: bool, logOdds: extended, confidence: between(0.5, 1) });
const rest = object<LabelTheRestRecord>({ runId: str, targets: array(count), cursor: count, predictions: array(prediction), tokens: count });

/** A project file whose runs are of these kinds, each spec checked by its kind's schema. */
function project(kinds: Kinds): Schema<ProjectFile> {
  const specs = Object.fromEntries(Object.values(kinds).flatMap((d) => (d ? [[d.kind, d.schema]] : [])));
  return object<ProjectFile>({
    format: literal(PROJECT_FORMAT), version: literal(PROJECT_VERSION), exportedAt: date,
    datasets: array(dataset), runs: array(run(tagged<ModelSpec>('kind', specs))), steps: array(step), inits: array(init), overrides: array(override), labelTheRest: array(rest),
  });
}

// ---- references and ranges, once the shape is right

/** "3" or "3–7" (first and last of a sorted list), for messages. */
const span = (xs: number[]): string => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length === 1 ? String(sorted[0]) : `${sorted[0]}–${sorted.at(-1)}`;
};

/** A run whose state the app could never have written: past its iteration limit, more accepted
 *  moves than proposals, finished without a state. */
function checkState(r: RunRecord, at: string, issues: Issues): void {
  const st = r.state;
  if (!st) {
    if (r.status === 'done') issues.add(`${at}.state`, 'is missing, but the run is "done"; a finished run has a state');
    return;
  }
  if (st.iteration > r.config.iterations) issues.add(`${at}.state.iteration`, `is ${st.iteration}, past the run's limit of ${r.config.iterations} iterations`);
  if (st.accepted > st.proposals) issues.add(`${at}.state.accepted`, `is ${st.accepted}, more than its ${st.proposals} proposals`);
  if (st.proposals > st.iteration) issues.add(`${at}.state.proposals`, `is ${st.proposals}, more than its ${st.iteration} iterations`);
  if (r.status === 'done' && st.iteration < r.config.iterations) issues.add(`${at}.status`, `is "done" at iteration ${st.iteration} of ${r.config.iterations}`);
}

/** Equal, for numbers the app computed once and the file copies (JSON keeps doubles exactly; a little slack for arithmetic redone here). */
const same = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const shown = (l: boolean | null): string => (l === null ? 'no label' : l ? 'True' : 'False');

interface Located<T> {
  value: T;
  at: string; // its path in the file
}

/**
 * The run's log replayed from its init event without the model (src/lib/icm/replay.ts): each step
 * must follow from the labeling before it (its item's label, its proposal from its read, the
 * labels its fixes start from, the temperature of the schedule, its acceptance draw), and the
 * state must be what its last step left: the labeling, the score, the counts and the tokens. A
 * file the app wrote always passes; a corrupted or hand-edited one is refused where it departs.
 */
function checkLog(r: RunRecord, at: string, d: Dataset | undefined, init: Located<InitEvent> | undefined, steps: Located<StepRecord>[], issues: Issues): void {
  const st = r.state;
  const n = r.pool.length;
  if (!st) {
    if (init) issues.add(init.at, `is an init event of run "${r.id}", which has no state; the app writes the two together`);
    return;
  }
  if (!init) return issues.add(`${at}.state`, `is there, but the file has no init event of run "${r.id}"; the app writes the two together`);
  const before = issues.list.length;
  const ev = init.value;
  const inPool = (xs: number[], path: string) => xs.forEach((x, k) => x >= n && issues.add(`${path}[${k}]`, `pool item ${x} is outside the run's pool of ${n}`));
  inPool(ev.seeds, `${init.at}.seeds`);
  if (new Set(ev.seeds).size !== ev.seeds.length) issues.add(`${init.at}.seeds`, 'lists an item twice');
  if (ev.seedLabels.length !== ev.seeds.length) issues.add(`${init.at}.seedLabels`, `has ${ev.seedLabels.length} labels for ${ev.seeds.length} seeds`);
  if (ev.fixed && ev.fixed.length !== n) issues.add(`${init.at}.fixed`, `has ${ev.fixed.length} entries for a pool of ${n}`);
  ev.fixes.forEach((f, k) => inPool(f.items, `${init.at}.fixes[${k}].items`));
  for (const { value: s, at: sat } of steps) s.fixes.forEach((f, k) => inPool(f.items, `${sat}.fixes[${k}].items`));
  if (st.order) {
    inPool(st.order, `${at}.state.order`);
    if (new Set(st.order).size !== st.order.length) issues.add(`${at}.state.order`, 'lists an item twice');
  }
  st.labels.forEach((l, k) => l === null && st.logOdds[k] !== null && issues.add(`${at}.state.logOdds[${k}]`, 'is a read of an item without a label; only labeled items are read'));
  if (issues.list.length > before) return; // replaying needs every index inside the pool

  /** Applies ConsistencyFix's moves to `labels`, checking that each starts from the labels it found. */
  const applyFixes = (labels: Labels, fixes: FixMove[], path: string): boolean =>
    fixes.every((f, k) => {
      const [a, b] = f.items;
      if (labels[a] !== f.from[0] || labels[b] !== f.from[1]) {
        issues.add(`${path}[${k}].from`, `is ${shown(f.from[0])}, ${shown(f.from[1])}, but the log gives items ${a} and ${b} ${shown(labels[a])}, ${shown(labels[b])} there`);
        return false;
      }
      [labels[a], labels[b]] = f.to;
      return true;
    });

  const seeded: Labels = Array.from({ length: n }, (_, i) => ev.fixed?.[i] ?? null);
  ev.seeds.forEach((item, k) => (seeded[item] = ev.seedLabels[k]));
  if (!applyFixes(seeded, ev.fixes, `${init.at}.fixes`)) return;
  let labels = initialLabels(n, ev);
  let score = ev.score;
  let proposals = 0;
  let accepted = 0;
  let tokens = ev.tokens;
  for (const { value: s, at: sat } of steps) {
    const fail = (field: string, message: string) => issues.add(`${sat}.${field}`, message);
    const was = issues.list.length;
    if (s.previous !== labels[s.item]) fail('previous', `is ${shown(s.previous)}, but the log before step ${s.iteration} gives pool item ${s.item} ${shown(labels[s.item])}`);
    if (!same(s.before.U, score.U) || !same(s.before.P, score.P) || s.before.I !== score.I)
      fail('before', `is U = ${s.before.U}, but the labeling before step ${s.iteration} scored U = ${score.U} (P = ${score.P}, I = ${score.I})`);
    const T = temperature(r.config, { iteration: s.iteration - 1, accepted });
    if (!same(s.T, T)) fail('T', `is ${s.T}, but the run's schedule gives T = ${T} at step ${s.iteration}`);
    if (s.totalWeight < s.weight) fail('totalWeight', `is ${s.totalWeight}, less than the item's own weight ${s.weight}`);
    if (s.proposal !== s.proposalLogOdds > (s.threshold ?? 0)) fail('proposal', `is ${shown(s.proposal)}, but its read's log-odds ${s.proposalLogOdds} give ${shown(!s.proposal)}`);
    if (s.changed !== (s.proposal !== s.previous)) fail('changed', `is ${s.changed}, but the proposal ${shown(s.proposal)} ${s.proposal === s.previous ? 'is' : 'is not'} the item's label`);
    if (!s.changed) {
      if (s.accepted || s.draw !== null || s.fixes.length > 0 || s.deltaU !== 0) fail('changed', 'is false, yet the step has a draw, fixes, a ΔU or an acceptance; a step that changes nothing has none');
    } else {
      proposals++;
      const p = acceptanceProbability(s.deltaU, s.T);
      if (!same(s.deltaU, s.after.U - s.before.U)) fail('deltaU', `is ${s.deltaU}, but U went from ${s.before.U} to ${s.after.U}`);
      if (!same(s.acceptProb, p)) fail('acceptProb', `is ${s.acceptProb}, but min(1, exp(ΔU / T)) = ${p}`);
      if (s.draw === null) fail('draw', 'is missing; a step that changes a label draws to accept or reject it');
      else if (s.accepted !== s.draw < s.acceptProb) fail('accepted', `is ${s.accepted}, but the draw ${s.draw} is ${s.draw < s.acceptProb ? 'below' : 'not below'} the acceptance probability ${s.acceptProb}`);
      const last = s.fixes.at(-1);
      if (last && !same(last.U, s.after.U)) fail('after', `is U = ${s.after.U}, but its last fix left U = ${last.U}`);
      const proposed = [...labels];
      proposed[s.item] = s.proposal;
      if (!applyFixes(proposed, s.fixes, `${sat}.fixes`)) return;
      if (s.accepted) {
        accepted++;
        labels = proposed;
        score = s.after;
      }
    }
    tokens += s.tokens;
    if (issues.list.length > was) return; // what follows a wrong step cannot be checked against it
  }

  const k = st.labels.findIndex((l, i) => l !== labels[i]);
  if (k >= 0) issues.add(`${at}.state.labels[${k}]`, `is ${shown(st.labels[k])}, but replaying the log to step ${st.iteration} gives ${shown(labels[k])}`);
  if (st.proposals !== proposals) issues.add(`${at}.state.proposals`, `is ${st.proposals}, but the log has ${proposals} steps that proposed a change`);
  if (st.accepted !== accepted) issues.add(`${at}.state.accepted`, `is ${st.accepted}, but the log has ${accepted} accepted steps`);
  if (!same(st.U, score.U) || !same(st.P, score.P) || st.I !== score.I)
    issues.add(`${at}.state.U`, `is ${st.U} (P = ${st.P}, I = ${st.I}), but the log's last accepted labeling scored U = ${score.U} (P = ${score.P}, I = ${score.I})`);
  if (st.tokens !== tokens) issues.add(`${at}.state.tokens`, `is ${st.tokens}, but the init event and the steps read ${tokens}`);
  if (d) {
    const I = inconsistencyCount(problemOf(d, r.pool), st.labels);
    if (st.I !== I) issues.add(`${at}.state.I`, `is ${st.I}, but its labels have ${I} inconsistent pairs`);
    const u = U(r.config.alpha, st.P, r.config.consistency ? st.I : 0, r.config.balancePrior, st.labels);
    if (!same(st.U, u)) issues.add(`${at}.state.U`, `is ${st.U}, but α·P − I${r.config.balancePrior > 0 ? ' − λ·imbalance' : ''} = ${u} for its P, I and labels`);
  }
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
  const logOf = new Map<string, Located<StepRecord>[]>(); // run id → its steps, with their paths
  p.steps.forEach((s, i) => {
    const r = runs.get(s.runId);
    if (!r) return issues.add(`steps[${i}].runId`, `names run "${s.runId}", which is not in the file`);
    const key = `${s.runId}\u0000${s.iteration}`;
    if (stepKeys.has(key)) issues.add(`steps[${i}].iteration`, `step ${s.iteration} of run "${s.runId}" appears twice`);
    stepKeys.add(key);
    stepsOf.set(s.runId, (stepsOf.get(s.runId) ?? new Set<number>()).add(s.iteration));
    logOf.set(s.runId, [...(logOf.get(s.runId) ?? []), { value: s, at: `steps[${i}]` }]);
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
  const initOf = new Map<string, Located<InitEvent>>();
  p.inits.forEach((x, i) => {
    if (!runs.has(x.runId)) issues.add(`inits[${i}].runId`, `names run "${x.runId}", which is not in the file`);
    if (initOf.has(x.runId)) issues.add(`inits[${i}].runId`, `run "${x.runId}" has two init events`);
    else initOf.set(x.runId, { value: x.event, at: `inits[${i}].event` });
  });
  // the log, replayed, once what it refers to is known to be there
  if (issues.list.length === 0)
    for (const { run: r, at } of runs.values())
      checkLog(r, at, datasets.get(r.datasetId), initOf.get(r.id), (logOf.get(r.id) ?? []).sort((a, b) => a.value.iteration - b.value.iteration), issues);
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
    x.predictions.forEach((pr, k) => {
      if (pr.item !== x.targets[k]) issues.add(`labelTheRest[${i}].predictions[${k}].item`, `is ${pr.item}, but target ${k} is item ${x.targets[k]}`);
      if (pr.label !== pr.logOdds > 0) issues.add(`labelTheRest[${i}].predictions[${k}].label`, `is ${shown(pr.label)}, but its log-odds ${pr.logOdds} give ${shown(!pr.label)}`);
    });
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
