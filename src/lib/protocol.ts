// The one typed message protocol between the main thread (src/lib/client) and the run
// worker (workers/). Requests carry an id and get exactly one reply with that id; the
// worker also pushes events, and a run's steps and status reach the page only as pushed RunUpdates. Errors cross as {name, message} objects, never bare strings.

import type { ICMConfig, ConfigErrors } from './icm/config';
import type { ConstantScores, InitEvent, StepEvent } from './icm/search';
import type { TaskKind } from './data/types';
import type { LlamaDevice, ModelSpec } from './model/params';
import type { DiskKind, DownloadingKind } from '../../workers/backends/kinds';
import type { LoadProgress } from './model/progress';
import type { PoolBudget } from './model/budget';
import type { Cell, FieldMapping, ImportError, MappingGuess, ImportFormat } from './data/import';
import type { BaselineMethod } from './eval/baselines';
import type { Comparison } from './eval/metrics';
import type { Provenance } from './export/labels';
import type { ImportSummary } from './export/project';

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

/** What the worker tells of a run besides its log: its progress as stored (the runs list), and
 *  what the page cannot compute from the log. Every other figure of the open run (U, P, I, T,
 *  labeled, accept rate, accuracy, tokens, at any step) the page computes from the log it holds
 *  (src/lib/client/run-log). */
export interface RunFigures {
  iteration: number; // steps stored
  pool: number;
  accuracy: number | null; // share of the stored labels that equal gold, for the runs list; null without gold or labels
  constants: ConstantScores | null; // U of all-True and all-False on the whole pool; null before the run starts (or in older runs)
  speed: RunSpeed | null; // null before the first step of this session
}

/** Measured while the run plays in this worker session (a web-llm run's cost is its tokens). */
export interface RunSpeed {
  msPerStep: number; // mean wall time of the recent steps
  tokensPerStep: number; // mean tokens the model read per recent step
  tokensPerEvaluation: number | null; // mean tokens per evaluation of U (the scoring plan's cost); null when no step evaluated U
  prefillTokensPerSecond: number | null; // tokens computed per second of model time; null when unmeasured
  computedPerStep: number | null; // of tokensPerStep, those computed rather than reused from a prefix cache; null when the model does not report it (a server that reports no cached tokens)
  warnings: string[]; // what the model noticed while reading: a label outside a server's top-k, a label split into tokens
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
  stepsPerSecond: number | null; // the speed it plays at, kept with it (null: as fast as the model allows)
  error: ErrorInfo | null;
  elsewhere?: boolean; // another tab of this browser plays the run and alone writes it: this tab follows it read-only
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

/** Pushed whenever a run changes: the one way its steps and status reach the page. Every step
 *  is in exactly one update, in order, so the page's log (src/lib/client/run-log) is the worker's. */
export interface RunUpdate {
  run: RunSummary;
  labels: LabelsView;
  steps: StepEvent[]; // the steps since the previous update of this run, oldest first
  restart?: { init: InitEvent | null }; // the log starts over (opening the run: steps is then its whole log; a reset; the seed labels)
}

export interface ErrorInfo {
  name: string;
  message: string; // what went wrong and what to do
}

export type Request =
  | { kind: 'init' }
  | { kind: 'createRun'; datasetId: string; config: ICMConfig; model: ModelSpec; stepsPerSecond?: number | null } // the speed it plays at; absent: as fast as the model allows
  | { kind: 'poolBudget'; datasetId: string; model: ModelSpec } // how many items fit the model's context; loads nothing
  | { kind: 'openRun'; runId: string }
  | { kind: 'openRecording'; recordingId: string } // a run recorded on a real model that the app ships: stored as a finished run (once), then opened with openRun
  | { kind: 'play'; runId: string } // at the run's speed
  | { kind: 'setSpeed'; runId: string; stepsPerSecond: number | null } // kept with the run; a run playing takes it at its next step (null: as fast as the model allows)
  | { kind: 'pause'; runId: string }
  | { kind: 'step'; runId: string }
  | { kind: 'reset'; runId: string }
  | { kind: 'deleteRun'; runId: string }
  | { kind: 'deleteDataset'; datasetId: string } // with every run on it and the review decisions
  | { kind: 'storageUse' } // how much space each run and dataset takes
  | { kind: 'consents' } // the server origins the person agreed to send item texts to, in this browser
  | { kind: 'setConsent'; origin: string; agreed: boolean }
  // model files of a kind that loads them (its descriptor's `files`: workers/backends/kinds.ts)
  | { kind: 'modelCache'; modelIds: string[]; backend: DownloadingKind }
  | { kind: 'deleteModel'; modelId: string; backend: DownloadingKind }
  | { kind: 'loadModel'; modelId: string; backend: DownloadingKind; host?: string; device?: LlamaDevice } // host: where llama.cpp's list downloads from (default Hugging Face); device: llama.cpp's
  | { kind: 'cancelLoad'; modelId: string; backend: DownloadingKind }
  | { kind: 'addModelFile'; file: File; keep: boolean; backend: DiskKind } // a model file picked from disk
  | { kind: 'ggufStatus' }
  | { kind: 'stepDetail'; runId: string; iteration: number }
  | { kind: 'importFile'; file: File }
  | { kind: 'previewImport'; draftId: string; mapping: FieldMapping; row: number }
  | { kind: 'saveImport'; draftId: string; mapping: FieldMapping; name: string; exclusive: boolean }
  | { kind: 'labelRest'; runId: string }
  | { kind: 'stopLabelRest'; runId: string }
  // goldToServer: the person agreed to send the pool's gold labels to the run's server, as the
  // demonstrations of few-shot with gold labels; without it that baseline does not run on a server
  | { kind: 'baselines'; runId: string; goldToServer?: boolean }
  | { kind: 'review'; runId: string }
  | { kind: 'setOverride'; datasetId: string; itemId: string; label: boolean | null }
  | { kind: 'exportRun'; runId: string; format: ExportFormat }
  | { kind: 'exportProject' }
  | { kind: 'importProject'; text: string };

export type ExportFormat = 'labels-csv' | 'labels-jsonl' | 'sft' | 'preference';

/** A file for the page to offer as a download. */
export interface ExportFile {
  filename: string;
  mime: string;
  text: string;
  notes: string[]; // e.g. pairs left out of the preference file
}

/** The first look at an imported file, before its fields are mapped. */
export interface ImportDraft {
  draftId: string;
  fileName: string;
  format: ImportFormat;
  columns: string[];
  sample: Cell[][]; // the first rows
  rows: number;
  guess: MappingGuess;
  notes: string[]; // how the file was read, when a person should know (its text encoding)
}

/** One dataset item in review: its label from every source. */
export interface ReviewRow {
  index: number; // dataset index
  id: string;
  group: string;
  text: string; // what the model reads
  gold: boolean | null; // evaluation only
  label: boolean | null; // the label that counts: human > ICM > label-the-rest
  confidence: number | null; // the model's P(label); null for a person's label
  provenance: Provenance | null;
  methods: Record<string, boolean | null>; // baseline labels on the run's pool
  disagreement: number; // how many methods disagree with the label
}

export interface BaselineReport {
  comparison: Comparison; // ICM first, then each baseline, on the run's pool
  tokens: number;
  notes: string[]; // a baseline left out, and why
}

/** One step as the inspector shows it, rebuilt from the log without the model. */
export interface StepDetail {
  event: StepEvent;
  before: (boolean | null)[]; // the labeling D before the step
  read: string; // the exact text the model read for the proposal, up to its read point: the step's recorded sequence (StepEvent.read) in the one prompt layout
}

/** A model loaded in the worker (web-llm or llama.cpp), ready for runs. */
export interface LoadedModelInfo {
  modelId: string;
  contextWindow: number; // tokens
  warnings: string[]; // e.g. a label that is not a single token for this tokenizer
  device?: string; // where it computes, e.g. "CPU, 2 threads" (llama.cpp)
}

/** A .gguf file the worker checked (llama.cpp backend). */
export interface GgufFileInfo {
  modelId: string;
  name: string; // file name
  bytes: number;
  kept: boolean; // copied into this browser's private file system
  architecture: string;
  contextLength: number; // the model's own, tokens
  license: string | null;
}

/** The llama.cpp backend's side of this browser: threads it can use and the GGUF files kept. */
export interface GgufStatus {
  threads: number;
  isolated: boolean; // cross-origin isolated: the multi-threaded build can run
  gpu: boolean; // llama.cpp's WebGPU backend can use this GPU (workers/backends/wllama/gpu-engine.ts)
  gpuRuns: boolean; // its build runs here at all (on the CPU where `gpu` is false)
  gpuWhy: string; // why, in a sentence
  kept: Record<string, number>; // model id → bytes kept in the origin-private file system
  storageError: string | null; // the private file system could not be read
}

/** What this browser's storage holds: about how many bytes each run and dataset takes (estimated
 *  from their stored records), and the browser's own figures for the whole site. */
export interface StorageUse {
  runs: Record<string, number>; // run id → bytes
  datasets: Record<string, number>; // dataset id → bytes
  usage: number | null; // navigator.storage.estimate(): bytes this site uses (models and the app's files included)
  quota: number | null; // and the most it may use
}

export interface ReplyMap {
  // storageFull: a write failed for want of space while opening; the app still lists everything (read-only until space is freed)
  init: { datasets: DatasetSummary[]; runs: RunSummary[]; storageFull: boolean };
  createRun: { ok: true; run: RunSummary } | { ok: false; errors: ConfigErrors & Partial<Record<string, string>> };
  poolBudget: { budget: PoolBudget | null }; // null: this model has no context limit the app knows
  // control replies only acknowledge: what changed was pushed before them (a RunUpdate)
  openRun: { runId: string; items: ItemRow[] };
  openRecording: { run: RunSummary };
  play: { runId: string };
  setSpeed: { runId: string };
  pause: { runId: string };
  step: { runId: string };
  reset: { runId: string };
  deleteRun: { runId: string };
  deleteDataset: { datasetId: string; runIds: string[] };
  storageUse: StorageUse;
  consents: { origins: string[] };
  setConsent: { origins: string[] };
  modelCache: { cached: Record<string, boolean> };
  deleteModel: { modelId: string };
  loadModel: LoadedModelInfo;
  cancelLoad: { modelId: string };
  addModelFile: GgufFileInfo;
  ggufStatus: GgufStatus;
  stepDetail: StepDetail;
  importFile: { ok: true; draft: ImportDraft } | { ok: false; errors: ImportError[] };
  previewImport: { ok: true; text: string } | { ok: false; errors: ImportError[] };
  saveImport: { ok: true; dataset: DatasetSummary; notes: string[] } | { ok: false; errors: ImportError[] };
  labelRest: { done: number; total: number; stopped: boolean };
  stopLabelRest: { runId: string };
  baselines: BaselineReport;
  review: { rows: ReviewRow[]; methods: string[] };
  setOverride: { datasetId: string; itemId: string; label: boolean | null };
  exportRun: ExportFile;
  exportProject: ExportFile;
  importProject: ({ ok: true } & ImportSummary) | { ok: false; errors: string[] };
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
  | { kind: 'labelingProgress'; runId: string; task: 'labelRest' | BaselineMethod; done: number; total: number }
  | { kind: 'runDeleted'; runId: string } // deleted in another tab of this browser
  | { kind: 'storeChanged' } // another tab added runs or datasets (a project import): the lists are to be asked again
  | { kind: 'storage'; full: boolean } // writes started failing for want of space (true), or one succeeded again
  | { kind: 'fatal'; error: ErrorInfo };

export type WorkerMessage = ReplyMessage | EventMessage;
