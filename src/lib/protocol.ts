// The one typed message protocol between the main thread (src/lib/client) and the run
// worker (workers/). Requests carry an id and get exactly one reply with that id; the
// worker also pushes events. Errors cross as {name, message} objects, never bare strings.

import type { ICMConfig, ConfigErrors } from './icm/config';
import type { InitEvent, StepEvent, Score } from './icm/search';
import type { TaskKind } from './data/types';
import type { ModelSpec } from './model/params';
import type { LoadProgress } from './webllm/progress';

export type RunStatus = 'ready' | 'running' | 'paused' | 'done' | 'error';

export interface DatasetSummary {
  id: string;
  name: string;
  kind: TaskKind;
  description: string;
  items: number;
  groups: number;
  hasGold: boolean;
  builtin: boolean;
}

/** Live figures of a run. accuracy is evaluation only: null when the dataset has no gold. */
export interface RunFigures extends Score {
  iteration: number;
  iterations: number; // config.iterations
  labeled: number;
  pool: number;
  T: number;
  acceptRate: number; // accepted / proposals that changed a label, 0 before any
  accuracy: number | null; // share of labeled pool items whose label equals gold
  tokens: number;
  speed: RunSpeed | null; // null before the first step of this session
}

/** Measured while the run plays in this worker session (a web-llm run's cost is its tokens). */
export interface RunSpeed {
  msPerStep: number; // mean wall time of the recent steps
  tokensPerStep: number; // mean tokens the model read per recent step
  tokensPerEvaluation: number | null; // mean tokens per evaluation of U (the scoring plan's cost); null when no step evaluated U
  prefillTokensPerSecond: number | null; // tokens read per second of model time; null when unmeasured
}

export interface RunSummary {
  id: string;
  name: string;
  datasetId: string;
  createdAt: number;
  status: RunStatus;
  config: ICMConfig;
  model: ModelSpec;
  figures: RunFigures;
  error: ErrorInfo | null;
}

/** One row of the items table. */
export interface ItemRow {
  index: number; // pool index
  id: string;
  group: string;
  key: string;
  text: string; // exactly what the model reads for this item (without the label)
  gold: boolean | null; // evaluation only
}

/** Current labels: label per pool index (null = unlabeled), confidence = P(label) from the last evaluation. */
export interface LabelsView {
  labels: (boolean | null)[];
  confidence: (number | null)[];
}

export interface RunUpdate {
  run: RunSummary;
  labels: LabelsView;
  lastStep: StepEvent | null;
}

export interface ErrorInfo {
  name: string;
  message: string; // what went wrong and what to do
}

export type Request =
  | { kind: 'init' }
  | { kind: 'createRun'; datasetId: string; config: ICMConfig; model: ModelSpec }
  | { kind: 'openRun'; runId: string }
  | { kind: 'play'; runId: string; stepsPerSecond?: number | null } // null or absent: as fast as the model allows
  | { kind: 'pause'; runId: string }
  | { kind: 'step'; runId: string }
  | { kind: 'reset'; runId: string }
  | { kind: 'deleteRun'; runId: string }
  | { kind: 'modelCache'; modelIds: string[] }
  | { kind: 'deleteModel'; modelId: string }
  | { kind: 'loadModel'; modelId: string }
  | { kind: 'cancelLoad'; modelId: string }
  | { kind: 'log'; runId: string; after?: number } // steps with iteration > after (all when absent)
  | { kind: 'stepDetail'; runId: string; iteration: number };

/** One step as the inspector shows it, rebuilt from the log without the model. */
export interface StepDetail {
  event: StepEvent;
  before: (boolean | null)[]; // the labeling D before the step
  read: string; // the exact text the model read for the proposal (other labeled items, then the target)
}

/** A web-llm model loaded in the worker, ready for runs. */
export interface LoadedModelInfo {
  modelId: string;
  contextWindow: number; // tokens
  warnings: string[]; // e.g. a label that is not a single token for this tokenizer
}

export interface ReplyMap {
  init: { datasets: DatasetSummary[]; runs: RunSummary[] };
  createRun: { ok: true; run: RunSummary } | { ok: false; errors: ConfigErrors & Partial<Record<string, string>> };
  openRun: { run: RunSummary; items: ItemRow[]; labels: LabelsView; recentSteps: StepEvent[] };
  play: RunSummary;
  pause: RunSummary;
  step: RunUpdate;
  reset: RunUpdate;
  deleteRun: { runId: string };
  modelCache: { cached: Record<string, boolean> };
  deleteModel: { modelId: string };
  loadModel: LoadedModelInfo;
  cancelLoad: { modelId: string };
  log: { init: InitEvent | null; steps: StepEvent[] };
  stepDetail: StepDetail;
}

export type RequestKind = Request['kind'];

export type RequestMessage = { id: number } & Request;

export type ReplyMessage =
  | { [K in RequestKind]: { id: number; kind: K; ok: true; value: ReplyMap[K] } }[RequestKind]
  | { id: number; kind: RequestKind; ok: false; error: ErrorInfo };

/** Pushed by the worker without a request. */
export type EventMessage =
  | { kind: 'runUpdate'; update: RunUpdate }
  | { kind: 'loadProgress'; modelId: string; progress: LoadProgress }
  | { kind: 'fatal'; error: ErrorInfo };

export type WorkerMessage = ReplyMessage | EventMessage;
