// Drawing one series on a canvas, cheaply at any length: when there are more steps than pixel
// columns, each column draws the span (min to max) of the steps it covers, so a redraw costs
// one pass over the values and at most two line segments per column. Pure functions of the
// values and the box, apart from the canvas calls.

import type { FocusId } from '../../lib/client/learn.svelte';
import type { SeriesKey } from '../../lib/client/step-series';

/** What one small multiple shows: its series, how its values read, and its scale. */
export interface ChartSpec {
  key: SeriesKey;
  title: string;
  hint: string;
  format: (v: number) => string;
  focus: FocusId;
  log?: boolean;
  fixed?: [number, number];
  evaluation?: boolean; // accuracy against gold: styled apart, as everywhere
  references?: Reference[]; // horizontal lines to compare the series with, e.g. U of all-True
}

/** A labelled horizontal line across a chart. */
export interface Reference {
  value: number;
  label: string;
}

export interface Box {
  left: number; // CSS px
  top: number;
  width: number;
  height: number;
}

export interface Domain {
  min: number;
  max: number;
  log: boolean; // log10 scale (the temperature spans four decades)
}

/** How far references may widen the series' own range: the series keeps at least 1/REFERENCE_ROOM of the height. */
export const REFERENCE_ROOM = 2;

/** The finite values' span (NaN, and for a log scale values ≤ 0, skipped); null when there is none. */
function span(values: ArrayLike<number>, log: boolean): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min === Infinity ? null : { min, max };
}

/** A flat span padded so it has a height. */
function padded(min: number, max: number, log: boolean): Domain {
  if (min !== max) return { min, max, log };
  if (log) return { min: min / 2, max: max * 2, log };
  const pad = Math.abs(min) * 0.1 || 1;
  return { min: min - pad, max: max + pad, log };
}

/**
 * The range to draw: fixed, or the finite values' span (padded when flat), widened to take in each
 * reference that keeps the series at least 1/REFERENCE_ROOM of the height. A reference further off
 * (U of all-True at −118.7 beside a run between 40 and 110) would squash the run flat; it is drawn
 * at the edge instead, marked off the scale (referenceSide).
 */
export function domainOf(values: ArrayLike<number>, log = false, fixed?: [number, number], references: readonly number[] = []): Domain {
  if (fixed) return { min: fixed[0], max: fixed[1], log };
  const own = span(values, log);
  if (own === null) {
    const refs = span(references, log);
    return refs === null ? { min: log ? 0.01 : 0, max: log ? 10 : 1, log } : padded(refs.min, refs.max, log);
  }
  const d = padded(own.min, own.max, log);
  const width = (a: number, b: number) => (log ? Math.log10(b) - Math.log10(a) : b - a);
  const room = REFERENCE_ROOM * width(d.min, d.max);
  let { min, max } = d;
  for (const r of references) {
    if (!Number.isFinite(r) || (log && r <= 0)) continue;
    const lo = Math.min(min, r);
    const hi = Math.max(max, r);
    if (width(lo, hi) <= room) [min, max] = [lo, hi];
  }
  return { min, max, log };
}

/** Where a reference lies against the range drawn: inside it (null), or off the scale below or above. */
export function referenceSide(value: number, d: Domain): 'below' | 'above' | null {
  return value < d.min ? 'below' : value > d.max ? 'above' : null;
}

/** A value's height in the box, or NaN when it has none. */
export function yOf(v: number, d: Domain, box: Box): number {
  if (!Number.isFinite(v) || (d.log && v <= 0)) return NaN;
  const t = d.log ? (Math.log10(v) - Math.log10(d.min)) / (Math.log10(d.max) - Math.log10(d.min)) : (v - d.min) / (d.max - d.min);
  return box.top + box.height * (1 - Math.min(1, Math.max(0, t)));
}

/** Step k's x (point k of 0 … last). */
export const xOf = (k: number, last: number, box: Box): number => box.left + (last <= 0 ? 0 : (k / last) * box.width);

/** The step nearest to x, within 0 … last. */
export function stepAt(x: number, last: number, box: Box): number {
  if (last <= 0) return 0;
  return Math.max(0, Math.min(last, Math.round(((x - box.left) / box.width) * last)));
}

/** Per pixel column, the lowest and highest y of the steps it covers (NaN where none has a value). */
export function columns(values: ArrayLike<number>, d: Domain, box: Box): { top: Float32Array; bottom: Float32Array } {
  const n = Math.max(1, Math.ceil(box.width) + 1);
  const top = new Float32Array(n).fill(NaN);
  const bottom = new Float32Array(n).fill(NaN);
  const last = values.length - 1;
  for (let i = 0; i < values.length; i++) {
    const y = yOf(values[i], d, box);
    if (Number.isNaN(y)) continue;
    const c = Math.round(xOf(i, last, box) - box.left);
    if (Number.isNaN(top[c]) || y < top[c]) top[c] = y;
    if (Number.isNaN(bottom[c]) || y > bottom[c]) bottom[c] = y;
  }
  return { top, bottom };
}

/** Draws the series as a line (a span per column when the steps outnumber the columns). */
export function drawLine(ctx: CanvasRenderingContext2D, values: ArrayLike<number>, d: Domain, box: Box, color: string): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  let pen = false;
  const last = values.length - 1;
  if (values.length <= box.width) {
    for (let i = 0; i < values.length; i++) {
      const y = yOf(values[i], d, box);
      if (Number.isNaN(y)) {
        pen = false;
        continue;
      }
      const x = xOf(i, last, box);
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    }
  } else {
    const { top, bottom } = columns(values, d, box);
    for (let c = 0; c < top.length; c++) {
      if (Number.isNaN(top[c])) {
        pen = false;
        continue;
      }
      const x = box.left + c;
      if (pen) ctx.lineTo(x, top[c]);
      else ctx.moveTo(x, top[c]);
      ctx.lineTo(x, bottom[c] + 0.5);
      pen = true;
    }
  }
  ctx.stroke();
}
