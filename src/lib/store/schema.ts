// What the app keeps in IndexedDB (database 'icm'): datasets, runs with their settings,
// pool and current state, one init event per run, and every search step.

import type { DBSchema } from 'idb';
import type { Dataset } from '../data/types';
import type { ICMConfig } from '../icm/config';
import type { InitEvent, RunState, StepEvent } from '../icm/search';
import type { ModelSpec } from '../model/params';
import type { ErrorInfo, RunStatus } from '../protocol';
import type { LabelTheRestRecord } from '../eval/labelTheRest';
import type { BaselineMethod } from '../eval/baselines';

/** A person's review decision on one item; it beats ICM's label and is respected by later runs. */
export interface HumanOverride {
  datasetId: string;
  itemId: string;
  label: boolean;
  at: number; // ms since epoch
}

/** A baseline's labels on a run's pool (pool order), kept so review can show where methods disagree. */
export interface BaselineRecord {
  runId: string;
  method: BaselineMethod;
  labels: boolean[];
  confidence: number[];
  tokens: number;
}

export const DB_NAME = 'icm';
export const DB_VERSION = 3; // 2: review overrides, label-the-rest jobs, baseline results; 3: server consents

/** A run as stored: everything needed to resume it exactly. */
export interface RunRecord {
  id: string;
  name: string;
  datasetId: string;
  createdAt: number; // ms since epoch
  status: RunStatus;
  config: ICMConfig; // the resolved config, seed included
  model: ModelSpec;
  pool: number[]; // dataset indices of the pool; pool index i is dataset item pool[i]
  state: RunState | null; // null until the first play/step initialises the run
  error: ErrorInfo | null;
  stepsPerSecond?: number | null; // the speed it plays at, as last chosen (null: as fast as the model allows); absent in runs stored before it was kept: null
}

export type StepRecord = StepEvent & { runId: string };

export interface InitRecord {
  runId: string;
  event: InitEvent;
}

export interface IcmSchema extends DBSchema {
  datasets: { key: string; value: Dataset };
  runs: { key: string; value: RunRecord };
  steps: { key: [string, number]; value: StepRecord; indexes: { byRun: string } };
  inits: { key: string; value: InitRecord };
  overrides: { key: [string, string]; value: HumanOverride; indexes: { byDataset: string } };
  labelTheRest: { key: string; value: LabelTheRestRecord };
  baselines: { key: [string, string]; value: BaselineRecord; indexes: { byRun: string } };
  consents: { key: string; value: ServerConsent };
}

/** A person's agreement, in this browser, that item texts may be sent to a server on another machine. */
export interface ServerConsent {
  origin: string; // e.g. "https://gpu.example.org:8000"
  at: number; // ms since epoch
}
