// The simulated model (DESIGN §4): a deterministic Bayesian in-context learner that behaves
// the way the paper relies on real LMs behaving, so ICM can be taught, demoed and tested
// without a GPU. It is not a language model and the UI never calls it one.
//
// World: the model holds a hidden belief about every consistency group — which key it takes
// to be right (math, factual) or which response it prefers (comparison) — correct for about
// `knowledge` of the items, with a per-item confidence that is lower where it is wrong.
// Every item also shows a spurious feature (its length).
//
// Concepts h it can explain demonstrations with, each giving P_h(True | x):
//   truth     its belief, with the item's confidence
//   inverted  the opposite of its belief, less sharply (following an inversion is harder)
//   spurious  "the longer one is True"
//   allTrue / allFalse  constant labels, mildly confident
// Inference is soft: posterior w_h ∝ π_h · exp(κ_n · mean_j log P_h(y_j | x_j)), with
// κ_n = κ · n / (n + n0) growing with the number of demonstrations n, so predictions move
// gradually with the share of demonstrations that fit a concept. With no demonstrations it
// predicts from the prior plus a lean toward " True" set by `bias`, which fades as
// demonstrations arrive: zero-shot is weak, as for real base models.

import type { DataItem, TaskKind } from '../../../src/lib/data/types';
import { itemPrompt, labelText } from '../../../src/lib/data/prompt';
import { estimateTokens } from '../../../src/lib/model/tokens';
import { spuriousFeature } from '../../../src/lib/data/spurious';
import type { LabelModel, LabelRead, Segment, SegmentTokens, SequenceReads } from '../../../src/lib/icm/model';
import type { SimulatedParams } from '../../../src/lib/model/params';

const CONCEPTS = ['truth', 'inverted', 'spurious', 'allTrue', 'allFalse'] as const;
export type Concept = (typeof CONCEPTS)[number];

// Calibration (see model.test.ts): the truthful labeling must have the
// highest U of every labeling the learner can explain, and inference must stay soft.
const KAPPA = 3; // strength of the evidence from demonstrations at saturation
const N0 = 10; // demonstrations at which κ_n reaches half of κ
const INVERSION = 0.15; // the inverted concept follows the belief this much less sharply
const CONSTANT_P = 0.7; // P(True) under allTrue
const WRONG_BELIEF_CONFIDENCE = 0.6; // confidence shrinks where the belief is wrong (a calibrated model)
const BIAS_LOGIT = 3; // zero-shot lean toward " True" at bias = 1, in nats
const BIAS_N = 10; // the lean fades as BIAS_N / (n + BIAS_N) with the number of demonstrations n

const logit = (p: number) => Math.log(p / (1 - p));
const logSigmoid = (z: number) => (z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z)));

/** A stable hash of a string to [0, 1): the model's "weights" are a function of the item. */
export function unitHash(text: string, salt: number): number {
  let h = (2166136261 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
  return ((h ^ (h >>> 15)) >>> 0) / 4294967296;
}

/**
 * The model's belief per item. Groups are taken in a hashed order and flipped (the model
 * believes another key, or prefers the other response) until about (1 − knowledge) of the
 * items disagree with gold. Items without gold get a belief from the hash alone.
 */
export function hiddenBeliefs(kind: TaskKind, items: DataItem[], knowledge: number): boolean[] {
  const groups = new Map<string, number[]>();
  items.forEach((it, i) => groups.set(it.group, [...(groups.get(it.group) ?? []), i]));
  const belief = items.map((it) => it.gold ?? unitHash(it.id, 7) < 0.5);
  const order = [...groups.entries()].sort((a, b) => unitHash(a[0], 11) - unitHash(b[0], 11));
  let wrong = 0;
  const budget = (1 - knowledge) * items.length;
  for (const [group, members] of order) {
    const flipped = flipGroup(kind, items, members, belief, group);
    const cost = members.filter((i) => flipped.get(i) !== belief[i]).length;
    if (cost === 0 || Math.abs(wrong + cost - budget) >= Math.abs(wrong - budget)) continue;
    for (const [i, b] of flipped) belief[i] = b;
    wrong += cost;
  }
  return belief;
}

/** The group's labels if the model held the wrong belief about it. */
function flipGroup(kind: TaskKind, items: DataItem[], members: number[], belief: boolean[], group: string): Map<number, boolean> {
  const out = new Map<number, boolean>();
  if (kind === 'comparison') {
    for (const i of members) out.set(i, !belief[i]);
    return out;
  }
  // believe a key that is not currently believed True (or, if every key is, none of them)
  const keys = [...new Set(members.map((i) => items[i].key))];
  const wrongKeys = keys.filter((k) => !members.some((i) => items[i].key === k && belief[i]));
  const chosen = wrongKeys.length ? wrongKeys[Math.floor(unitHash(group, 13) * wrongKeys.length)] : null;
  for (const i of members) out.set(i, items[i].key === chosen);
  return out;
}

export interface SimulatedWorld {
  belief: boolean[];
  spurious: boolean[];
  /** log P_h(True | x_i) and log P_h(False | x_i) per concept and item */
  logTrue: Float64Array[];
  logFalse: Float64Array[];
  prior: number[]; // π_h
  bias: number; // zero-shot lean toward True, 0–1
  tokens: number[]; // per item prompt
}

export function buildWorld(kind: TaskKind, items: DataItem[], params: SimulatedParams): SimulatedWorld {
  const belief = hiddenBeliefs(kind, items, params.knowledge);
  const spurious = spuriousFeature(kind, items);
  const spuriousSalient = params.salience === 'spurious';
  const zTruth = logit(params.confidence) * (spuriousSalient ? 0.6 : 1);
  const zSpurious = logit(params.confidence) * (spuriousSalient ? 1.4 : 0.3);
  const zConstant = logit(CONSTANT_P);
  const z = (c: Concept, i: number): number => {
    // signed strength toward True
    const agrees = items[i].gold === undefined || items[i].gold === belief[i];
    const conf = zTruth * (0.6 + 0.8 * unitHash(items[i].id, 17)) * (agrees ? 1 : WRONG_BELIEF_CONFIDENCE);
    switch (c) {
      case 'truth':
        return belief[i] ? conf : -conf;
      case 'inverted':
        return belief[i] ? -conf * INVERSION : conf * INVERSION;
      case 'spurious':
        return spurious[i] ? zSpurious : -zSpurious;
      case 'allTrue':
        return zConstant;
      case 'allFalse':
        return -zConstant;
    }
  };
  const logTrue = CONCEPTS.map((c) => Float64Array.from(items, (_, i) => logSigmoid(z(c, i))));
  const logFalse = CONCEPTS.map((c) => Float64Array.from(items, (_, i) => logSigmoid(-z(c, i))));
  const prior = normalise(spuriousSalient ? [0.15, 0.1, 0.45, 0.15, 0.15] : [0.25, 0.15, 0.2, 0.2, 0.2]);
  const tokens = items.map((it) => estimateTokens(itemPrompt(kind, it)));
  return { belief, spurious, logTrue, logFalse, prior, bias: params.bias, tokens };
}

const normalise = (xs: number[]) => {
  const s = xs.reduce((a, b) => a + b, 0);
  return xs.map((x) => x / s);
};

/** P(True | x_item) after the demonstrations summarised by `sums` (Σ_j log P_h(y_j|x_j)) and n. */
export function predict(world: SimulatedWorld, sums: number[], n: number, item: number): LabelRead {
  const kappa = n === 0 ? 0 : (KAPPA * n) / (n + N0) / n;
  const logW = world.prior.map((p, h) => Math.log(p) + kappa * sums[h]);
  const max = Math.max(...logW);
  let total = 0;
  let pTrue = 0;
  for (let h = 0; h < logW.length; h++) {
    const w = Math.exp(logW[h] - max);
    total += w;
    pTrue += w * Math.exp(world.logTrue[h][item]);
  }
  const lean = (world.bias * BIAS_LOGIT * BIAS_N) / (n + BIAS_N);
  const z = logit(Math.min(1 - 1e-12, Math.max(1e-12, pTrue / total))) + lean;
  const p = 1 / (1 + Math.exp(-z));
  return { item, logTrue: Math.log(p), logFalse: Math.log1p(-p) };
}

const LABEL_TOKENS = 1; // " True" / " False" are one token each
const SEPARATOR_TOKENS = 1; // the blank line between segments

export function createSimulatedModel(kind: TaskKind, items: DataItem[], params: SimulatedParams): LabelModel & { world: SimulatedWorld; segmentTokens: SegmentTokens } {
  const world = buildWorld(kind, items, params);
  const labelTokens = estimateTokens(labelText(true));
  return {
    world,
    segmentTokens: (item) => ({ input: world.tokens[item] + SEPARATOR_TOKENS, label: Math.max(LABEL_TOKENS, labelTokens) }),
    async readSequence(segments: Segment[]): Promise<SequenceReads> {
      const sums = CONCEPTS.map(() => 0);
      let n = 0;
      let tokens = 0;
      const reads: LabelRead[] = [];
      for (const seg of segments) {
        tokens += world.tokens[seg.item] + SEPARATOR_TOKENS;
        if (seg.read) reads.push(predict(world, sums, n, seg.item));
        if (seg.label !== null) {
          const table = seg.label ? world.logTrue : world.logFalse;
          for (let h = 0; h < sums.length; h++) sums[h] += table[h][seg.item];
          n++;
          tokens += Math.max(LABEL_TOKENS, labelTokens);
        }
      }
      return { reads, tokens, computed: tokens }; // no cache: every token is computed
    },
  };
}

type SimulatedModel = ReturnType<typeof createSimulatedModel>;
const worlds = new WeakMap<DataItem[], Map<string, SimulatedModel>>();

/**
 * The simulated model of a whole dataset, read through a subset of it (a run's pool): segment
 * item k means dataset item indices[k]. Its beliefs belong to the dataset, so a run, its
 * baselines and "label the rest" all ask the same model.
 */
export function simulatedModelFor(kind: TaskKind, items: DataItem[], indices: number[], params: SimulatedParams): LabelModel & { segmentTokens: SegmentTokens } {
  const byParams = worlds.get(items) ?? new Map<string, SimulatedModel>();
  worlds.set(items, byParams);
  const key = JSON.stringify(params);
  const base = byParams.get(key) ?? createSimulatedModel(kind, items, params);
  byParams.set(key, base);
  return {
    segmentTokens: (item) => base.segmentTokens(indices[item]),
    async readSequence(segments: Segment[]): Promise<SequenceReads> {
      const result = await base.readSequence(segments.map((s) => ({ ...s, item: indices[s.item] })));
      const local = segments.filter((s) => s.read);
      return { ...result, reads: result.reads.map((r, k) => ({ ...r, item: local[k].item })) };
    },
  };
}
