// The model boundary (DESIGN §3): everything ICM needs from a language model is one
// primitive, "read label log-probabilities along one sequence". Backends (workers/backends/)
// implement it; the algorithm never sees text, only item indices.

/** One segment of a sequence: item `item`'s input; read the label log-probs after it when
 *  `read`; then append its label as a demonstration unless `label` is null (a target). */
export interface Segment {
  item: number;
  read: boolean;
  label: boolean | null;
}

/** A sequence as a short string, one `<item>[r][T|F],` per segment: the read cache's key, and
 *  what a step records of the sequence it read (a few bytes per segment, not its text). */
export function packSegments(segments: Segment[]): string {
  let packed = '';
  for (const s of segments) packed += `${s.item}${s.read ? 'r' : ''}${s.label === null ? '' : s.label ? 'T' : 'F'},`;
  return packed;
}

/** packSegments' inverse; null for a string it did not write. */
export function unpackSegments(packed: string): Segment[] | null {
  const segments: Segment[] = [];
  for (const part of packed.split(',').slice(0, -1)) {
    const m = /^(\d+)(r?)([TF]?)$/.exec(part);
    if (!m) return null;
    segments.push({ item: Number(m[1]), read: m[2] === 'r', label: m[3] === '' ? null : m[3] === 'T' });
  }
  return packed.endsWith(',') || packed === '' ? segments : null;
}

/** log P(next token = " True") and log P(" False") at one read point, in nats. */
export interface LabelRead {
  item: number;
  logTrue: number;
  logFalse: number;
}

export interface SequenceReads {
  reads: LabelRead[]; // one per segment with read = true, in order
  tokens: number; // tokens the model read for this sequence (the prompt's length, summed over its requests)
  computed: number; // of those, tokens it computed rather than reused from a prefix cache (≤ tokens)
  computedUnknown?: boolean; // the model could not tell (a server that reports no cached tokens): `computed` is then all of `tokens`, a bound
}

export interface LabelModel {
  readSequence(segments: Segment[]): Promise<SequenceReads>;
  /** A model with a prefix cache: how many tokens at the start of `segments` it holds now (plans read to share them). */
  cachedPrefix?(segments: Segment[]): number;
  /** Tokens of an item's input and of its label, where the model can tell without reading (to count what reuse saves). */
  segmentTokens?: SegmentTokens;
}

/** Tokens of an item's input (with its separator) and of its label. */
export type SegmentTokens = (item: number) => { input: number; label: number };

/** log P(True) − log P(False): the model's log-odds that an item is True, nats. */
export const logOdds = (r: LabelRead): number => r.logTrue - r.logFalse;
