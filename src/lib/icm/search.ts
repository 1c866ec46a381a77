// One iteration of ICM (paper Algorithm 1), as a pure step over plain, persistable state:
//   sample x_i (weighted) → ŷ_i = argmax P(y | x_i, D∖i) → D̂ = D ∪ {(x_i, ŷ_i)}
//   → D̂ = ConsistencyFix(D̂) → ΔU = U(D̂) − U(D) → accept with min(1, exp(ΔU / T)).
// Initialisation: K random items get balanced random labels (K/2 True), then ConsistencyFix.
// Departures from the official code, stated where they are made: the seed items are K random pool
// items rather than the first K of its batch (whole groups, so its seeds fill K / group size
// groups), and a step's first repair is not forced (consistency.ts).
// Randomness comes only from the run's seeded Rng, whose state is saved in RunState, so a
// run is reproducible from (dataset, config, seed) and resumes exactly after a reload.

import { acceptanceProbability, temperature } from './annealing';
import type { ICMConfig } from './config';
import { consistencyFix, inconsistencyCount, type FixMove, type Scored } from './consistency';
import { packSegments, type LabelModel } from './model';
import { cacheFrom, changedLast, proposalSequence, readPlan, readThrough, ReadCache } from './plan';
import type { Labels, Problem } from './problem';
import { Rng, type RngState } from './rng';
import { samplingWeights } from './sampling';
import { meanLogOdds, mutualPredictability, U, type Score } from './score';

export type { ICMItem, Problem } from './problem';
export type { Score } from './score';
export type { FixMove } from './consistency';

/** The whole state of a run between steps: plain data, persisted after every step. */
export interface RunState extends Score {
  labels: Labels; // current label of each pool item, null while unlabeled
  logOdds: (number | null)[]; // per labeled item: log P(True) − log P(False) given the others, from the last evaluation
  iteration: number; // steps taken
  proposals: number; // steps whose proposal differed from the current label (the accept rate's denominator)
  accepted: number; // of those, the accepted ones
  tokens: number; // tokens read by the model so far
  computed?: number; // of those, tokens the model computed (less where its prefix cache held the rest); absent in runs saved before it was counted
  skipped?: number; // tokens never sent because every read they fed was reused from an earlier evaluation
  order?: number[]; // the reading order logOdds were read in (tree plans): pool indices, the most recently changed last
  rng: RngState;
  constants?: ConstantScores; // measured at the start; absent in runs saved before it was
}

export interface StepEvent {
  iteration: number; // 1-based index of this step
  item: number; // sampled pool index
  weight: number; // its sampling weight
  totalWeight: number; // sum of all weights (probability = weight / totalWeight)
  previous: boolean | null; // its label before the step
  proposal: boolean; // argmax label given all other labeled items
  proposalLogOdds: number; // log P(True) − log P(False) for the proposal read
  threshold?: number; // 'calibrated' proposals: True when proposalLogOdds exceeds it (absent: 0, the paper)
  read?: string; // the sequence the proposal was read from, up to that read (model.ts packSegments); absent in logs stored before it was recorded
  changed: boolean; // proposal differs from the current label; otherwise nothing else happens
  fixes: FixMove[]; // ConsistencyFix moves applied to D̂
  before: Score;
  after: Score; // score of D̂ (equal to before when the proposal changed nothing)
  deltaU: number;
  T: number;
  acceptProb: number; // min(1, exp(ΔU/T))
  draw: number | null; // the uniform draw compared with acceptProb; null when nothing changed
  accepted: boolean;
  tokens: number; // tokens read in this step
  computed?: number; // of those, tokens the model computed
  skipped?: number; // tokens not sent because their reads were reused
  evaluations: number; // evaluations of U in this step (D̂ and every ConsistencyFix option)
  repair?: RepairCost; // of those evaluations and tokens, ConsistencyFix's (absent when nothing changed, and in logs stored before it was counted)
}

/** What ConsistencyFix cost in a step: its candidates' evaluations of U and the tokens they read. */
export interface RepairCost {
  evaluations: number;
  tokens: number;
  computed: number;
}

export interface InitEvent {
  fixed?: (boolean | null)[]; // labels a person set in review before the run, kept for the whole run
  seeds: number[]; // pool indices given random seed labels
  seedLabels: boolean[];
  fixes: FixMove[];
  score: Score;
  tokens: number; // seed labels and the constant labelings' scores included
}

/** U of the labelings that say nothing, on the whole pool: what a found labeling must beat. */
export interface ConstantScores {
  allTrue: Score;
  allFalse: Score;
}

type Evaluated = Scored<(number | null)[]>; // score, with per-item log-odds

interface Counter {
  tokens: number;
  computed: number;
  skipped: number;
  evaluations: number;
}

const newCounter = (): Counter => ({ tokens: 0, computed: 0, skipped: 0, evaluations: 0 });

function count(counter: Counter, r: { tokens: number; computed: number; skipped: number }): void {
  counter.tokens += r.tokens;
  counter.computed += r.computed;
  counter.skipped += r.skipped;
}

/**
 * Evaluates U(D) for one labeling: reads every labeled item given the others, by the plan, in the
 * order `base` was read with the items changed since moved last (departure from the paper, which
 * fixes no order: in the tree plans this keeps the reads before them reusable).
 */
function evaluator(problem: Problem, config: ICMConfig, model: LabelModel, counter: Counter, cache: ReadCache, base: { labels: Labels; order: number[] }) {
  return async (labels: Labels): Promise<Evaluated> => {
    const reads = await readPlan(labels, config, model, cache, changedLast(base.order, base.labels, labels));
    count(counter, reads);
    counter.evaluations++;
    const P = mutualPredictability(labels, reads.logOdds, config.pForm);
    const I = inconsistencyCount(problem, labels);
    // without consistency rules (an ablation) I is still shown but not part of U
    return { score: { U: U(config.alpha, P, config.consistency ? I : 0, config.balancePrior, labels), P, I }, extra: reads.logOdds };
  };
}

/** The model's own zero-shot labels for the seed items (the ablation of random initialisation). */
async function zeroShotLabels(items: number[], model: LabelModel, counter: Counter): Promise<boolean[]> {
  const out: boolean[] = [];
  for (const item of items) {
    const r = await model.readSequence([{ item, read: true, label: null }]);
    counter.tokens += r.tokens;
    counter.computed += r.computed;
    out.push(r.reads[0].logTrue > r.reads[0].logFalse);
  }
  return out;
}

/** `reads`: a read cache kept for the whole run (see step). */
export async function initialState(problem: Problem, config: ICMConfig, model: LabelModel, reads = new ReadCache()): Promise<{ state: RunState; event: InitEvent }> {
  const rng = Rng.fromSeed(config.seed);
  const free = [...problem.items.keys()].filter((i) => (problem.fixed?.[i] ?? null) === null);
  // departure: K random items; the official code seeds the first K of its batch, which it draws as
  // whole groups in a row, so its seeds are a few whole groups (with random labels inside each)
  const seeds = rng.shuffle(free).slice(0, Math.min(config.K, free.length - (free.length % 2)));
  const counter = newCounter();
  const seedLabels = config.init === 'random' ? rng.shuffle(seeds.map((_, k) => k < seeds.length / 2)) : await zeroShotLabels(seeds, model, counter);
  const labels: Labels = problem.items.map((_, i) => problem.fixed?.[i] ?? null); // a person's labels first
  seeds.forEach((item, k) => (labels[item] = seedLabels[k]));

  const base = { labels, order: [] };
  const evaluate = evaluator(problem, config, model, counter, reads.trim(), base);
  const fixed = await consistencyFix(problem, labels, await evaluate(labels), config.consistency ? config.M : 0, evaluate, rng);
  // Not in the paper: two more evaluations of U, so every run can show whether its labeling
  // beats the two that say nothing (on data without exclusive answers ICM can drift to one)
  const constant = async (label: boolean) => (await evaluate(problem.items.map((_, i) => problem.fixed?.[i] ?? label))).score;
  const constants: ConstantScores = { allTrue: await constant(true), allFalse: await constant(false) };
  const state: RunState = {
    ...fixed.scored.score,
    labels: fixed.labels,
    logOdds: fixed.scored.extra,
    iteration: 0,
    proposals: 0,
    accepted: 0,
    tokens: counter.tokens,
    computed: counter.computed,
    skipped: counter.skipped,
    order: changedLast(base.order, base.labels, fixed.labels),
    rng: rng.state,
    constants,
  };
  const event: InitEvent = { seeds, seedLabels, fixes: fixed.moves, score: fixed.scored.score, tokens: counter.tokens };
  if (problem.fixed?.some((l) => l !== null)) event.fixed = [...problem.fixed];
  return { state, event };
}

/**
 * `reads`: a read cache the caller keeps for the whole run (the worker, for as long as the run is
 * open), so that a read made in an earlier step is not made again: a read is a function of the text
 * before it, so this changes what a step costs, never what it computes. Without it a step reuses
 * only the reads of the last accepted evaluation (they are in the state), as after a reload.
 */
export async function step(problem: Problem, state: RunState, config: ICMConfig, model: LabelModel, reads = new ReadCache()): Promise<{ state: RunState; event: StepEvent }> {
  const rng = new Rng(state.rng);
  const counter = newCounter();
  // what the last accepted evaluation read is not read again
  const order = state.order ?? [];
  const cache = cacheFrom(state.labels, state.logOdds, config, order, reads.trim());
  const before: Score = { U: state.U, P: state.P, I: state.I };

  // 1. Sample an item.
  const weights = samplingWeights(problem, state.labels, config.groupWeight);
  const item = rng.weighted(weights);
  const previous = state.labels[item];

  // 2. Propose its most likely label given every other labeled item. For a labeled item the
  //    last evaluation already read it, so that read is reused.
  const sequence = proposalSequence(state.labels, item, config, order, model.cachedPrefix?.bind(model));
  let proposalLogOdds = previous === null ? null : state.logOdds[item];
  if (proposalLogOdds === null) {
    const read = await readThrough(sequence, model, cache, model.segmentTokens);
    proposalLogOdds = read.logOdds[0];
    count(counter, read);
  }
  // the paper proposes the likelier label; 'calibrated' (a departure) the label likelier than usual
  const threshold = config.proposal === 'calibrated' ? meanLogOdds(state.labels, state.logOdds) : 0;
  const proposal = proposalLogOdds > threshold;
  const T = temperature(config, state);
  const base = { iteration: state.iteration + 1, item, weight: weights[item], totalWeight: weights.reduce((a, b) => a + b, 0), previous, proposal, proposalLogOdds, T, before, read: packSegments(sequence), ...(config.proposal === 'calibrated' ? { threshold } : {}) };

  if (proposal === previous) {
    const event: StepEvent = { ...base, changed: false, fixes: [], after: before, deltaU: 0, acceptProb: 1, draw: null, accepted: false, ...counter };
    return { state: { ...state, iteration: state.iteration + 1, ...totals(state, counter), rng: rng.state }, event };
  }

  // 3. D̂ with the proposal, then ConsistencyFix.
  const proposed = [...state.labels];
  proposed[item] = proposal;
  const evaluate = evaluator(problem, config, model, counter, cache, { labels: state.labels, order });
  // departure: D̂'s own score, where the official code passes a dummy one so that its first repair is forced (consistency.ts)
  const scored = await evaluate(proposed);
  const start = { ...counter };
  const fixed = await consistencyFix(problem, proposed, scored, config.consistency ? config.M : 0, evaluate, rng);
  const repair: RepairCost = { evaluations: counter.evaluations - start.evaluations, tokens: counter.tokens - start.tokens, computed: counter.computed - start.computed };

  // 4. Metropolis acceptance.
  const after = fixed.scored.score;
  const deltaU = after.U - before.U;
  const acceptProb = acceptanceProbability(deltaU, T);
  const draw = rng.next();
  const accepted = draw < acceptProb;

  const event: StepEvent = { ...base, changed: true, fixes: fixed.moves, after, deltaU, acceptProb, draw, accepted, ...counter, repair };
  const common = { iteration: state.iteration + 1, proposals: state.proposals + 1, ...totals(state, counter), rng: rng.state };
  const next: RunState = accepted
    ? { ...state, ...common, ...after, labels: fixed.labels, logOdds: fixed.scored.extra, order: changedLast(order, state.labels, fixed.labels), accepted: state.accepted + 1 }
    : { ...state, ...common };
  return { state: next, event };
}

/** The run's token counts after a step. */
const totals = (state: RunState, c: Counter) => ({
  tokens: state.tokens + c.tokens,
  computed: (state.computed ?? state.tokens) + c.computed,
  skipped: (state.skipped ?? 0) + c.skipped,
});

export const isDone = (state: RunState, config: ICMConfig): boolean => state.iteration >= config.iterations;
