// A run recorded on a real language model (scripts/record-real.ts: SmolLM2 behind llama.cpp's
// server, read through the app's own server backend) and shipped with the app as its step log,
// so a visitor without a usable model can still watch a real model's ICM run step by step. It
// holds no model weights and no item texts: the pool is named by the built-in dataset's item ids,
// and the inspector rebuilds the text the model read from the dataset and each step's `read`.
// recordedProject turns it into the records a project import stores, checked as strictly as a
// project file (parseProject), so a recording the app could not have written is refused.

import type { Dataset } from '../data/types';
import type { ICMConfig } from '../icm/config';
import type { InitEvent, RunState, StepEvent } from '../icm/search';
import type { RecordedSpec } from '../model/params';
import type { RunSpeed } from '../protocol';
import { buildProject, parseProject, serializeProject, type ProjectContents } from './project';
import type { RunRecord } from '../store/schema';
import { array, INVALID, Issues, int, literal, nullable, num, object, str, type Schema } from './validate';

export const RECORDING_FORMAT = 'icm-browser-recording';
export const RECORDING_VERSION = 1;

/** The machine a recording ran on, from Node's os module. */
export interface RecordingMachine {
  text: string; // e.g. "2 × AMD EPYC 7B13 (2 cores), 8 GB memory, Linux"
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  platform: string;
  loadAverage: number; // 1-minute load average when the run started: other work slows a run down
}

export interface RecordingModel {
  name: string; // e.g. "SmolLM2 135M Instruct (Q4_1)"
  file: string; // GGUF file name
  sha256: string;
  source: string; // where the file came from
  via: string; // what read it
}

export interface Recording {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION;
  id: string; // e.g. "smollm2-factual"
  datasetId: string; // a built-in dataset
  items: string[]; // the pool by item id: pool index i is the dataset's item items[i]
  model: RecordingModel;
  machine: RecordingMachine;
  recordedAt: string; // ISO date and time
  seconds: number; // wall time of the search, seed labels included
  accuracy: number | null; // final share of labeled pool items equal to gold (evaluation only), 0–1
  config: ICMConfig;
  init: InitEvent;
  steps: StepEvent[];
  state: RunState; // after the last step
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const anything: Schema<unknown> = (v) => v; // checked later, as a project's run is (recordedProject)

type Header = Omit<Recording, 'config' | 'init' | 'steps' | 'state'> & { config: unknown; init: unknown; steps: unknown; state: unknown };

const header = object<Header>({
  format: literal(RECORDING_FORMAT),
  version: literal(RECORDING_VERSION),
  id: str,
  datasetId: str,
  items: array(str),
  model: object<RecordingModel>({ name: str, file: str, sha256: str, source: str, via: str }),
  machine: object<RecordingMachine>({ text: str, cpus: int, cpuModel: str, memoryBytes: num, platform: str, loadAverage: num }),
  recordedAt: str,
  seconds: num,
  accuracy: nullable(num),
  config: anything,
  init: anything,
  steps: anything,
  state: anything,
});

/** The recording as JSON text: ±Infinity and NaN (a ΔU can be −∞) written as strings, as a project file writes them. */
export const serializeRecording = (r: Recording): string => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));

/** The recording's outer fields, checked; its run (config, init, steps, state) is checked by recordedProject. */
export function parseRecording(text: string): Result<Header> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`The recording is not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : String(e)}); regenerate it with \`npm run record-real\`.`] };
  }
  const issues = new Issues();
  const value = header(raw, '', issues);
  if (value === INVALID) return { ok: false, errors: issues.list };
  if (Number.isNaN(Date.parse(value.recordedAt))) return { ok: false, errors: [`recordedAt: "${value.recordedAt}" is not a date`] };
  return { ok: true, value };
}

/** The id of the run a recording becomes: the same in every browser, so opening it twice opens one run. */
export const recordedRunId = (recordingId: string): string => `recorded-${recordingId}`;

/** The run's model: what it was recorded on, where and when; it never reads a model here. */
export const recordedSpec = (r: Pick<Recording, 'model' | 'machine' | 'recordedAt' | 'seconds'>): RecordedSpec => ({
  kind: 'recorded',
  model: r.model.name,
  file: r.model.file,
  via: r.model.via,
  machine: r.machine.text,
  recordedAt: r.recordedAt,
  seconds: r.seconds,
});

/**
 * How fast the real model was, as a live run measures it (RunSpeed), from the recording's wall time
 * and its log: means over the whole recording, not the recent steps. Time per step is the wall
 * time (seed labels included) over the steps; prompt tokens a second, the tokens the model computed
 * over that time. Null without the wall time (a run stored before it was kept).
 */
export function recordedSpeed(seconds: number | undefined, init: InitEvent | null, steps: readonly StepEvent[]): RunSpeed | null {
  if (seconds === undefined || !(seconds > 0) || init === null || steps.length === 0) return null;
  let tokens = 0;
  let evaluations = 0;
  let computed: number | null = 0;
  for (const s of steps) {
    tokens += s.tokens;
    evaluations += s.evaluations;
    computed = computed === null || s.computed === undefined ? null : computed + s.computed;
  }
  return {
    msPerStep: (seconds * 1000) / steps.length,
    tokensPerStep: tokens / steps.length,
    tokensPerEvaluation: evaluations === 0 ? null : tokens / evaluations,
    prefillTokensPerSecond: ((computed ?? tokens) + init.tokens) / seconds,
    computedPerStep: computed === null ? null : computed / steps.length,
    warnings: [],
  };
}

/** "Recorded on SmolLM2 135M Instruct (Q4_1) on 2 × … , 2026-12-02": what every screen calls it. */
export { recordedLabel } from '../../../workers/backends/recorded/kind'; // how the app names a recorded run

/**
 * The run, its init event and its steps as a project import stores them, or what is wrong: an item
 * the dataset no longer has (its generator changed since the recording), or a run the app could
 * not have written (parseProject's checks: steps missing, a finished run short of its iterations…).
 */
export function recordedProject(r: Header, ds: Dataset): Result<Pick<ProjectContents, 'runs' | 'steps' | 'inits'>> {
  if (r.datasetId !== ds.id) return { ok: false, errors: [`The recording is of dataset "${r.datasetId}", not "${ds.id}".`] };
  const index = new Map(ds.items.map((it, i) => [it.id, i]));
  const missing = r.items.filter((id) => !index.has(id));
  if (missing.length > 0)
    return { ok: false, errors: [`The recording names item${missing.length === 1 ? '' : 's'} ${missing.slice(0, 3).map((x) => `"${x}"`).join(', ')} that the task "${ds.name}" no longer has: its generator changed since the recording was made. Regenerate it with \`npm run record-real\`.`] };
  const id = recordedRunId(r.id);
  // shapes are checked by parseProject below; until then they are only what the file says
  const run = {
    id,
    name: `${ds.name} · recorded on ${r.model.name}`,
    datasetId: ds.id,
    createdAt: Date.parse(r.recordedAt),
    status: 'done',
    config: r.config,
    model: recordedSpec(r),
    pool: r.items.map((x) => index.get(x)),
    state: r.state,
    error: null,
  } as RunRecord;
  const steps = Array.isArray(r.steps) ? (r.steps as StepEvent[]).map((s) => ({ ...s, runId: id })) : r.steps;
  const contents = { datasets: [ds], runs: [run], steps, inits: [{ runId: id, event: r.init }], overrides: [], labelTheRest: [] } as ProjectContents;
  const checked = parseProject(serializeProject(buildProject(contents, 0)));
  if (!checked.ok) return { ok: false, errors: checked.errors.map((e) => `The recording's run: ${e}`) };
  const p = checked.project;
  return { ok: true, value: { runs: p.runs, steps: p.steps, inits: p.inits } };
}
