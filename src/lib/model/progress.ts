// web-llm's load progress, made into one bar with bytes and speed. web-llm 0.2.86 reports an
// InitProgressReport {progress, timeElapsed, text} after each weight shard: first while
// downloading into the browser cache ("Fetching param cache[i/n]: X MB fetched. P% completed,
// T secs elapsed. …"), then while copying from the cache to the GPU ("Loading model from
// cache[i/n]: X MB loaded. …"), then while compiling the GPU kernels ("Loading GPU shader
// modules[i/n]: …", at most once a second); a cached model skips the download. It says nothing
// while it fetches the config, wasm and tokenizer, and only one report per finished shard while
// four download at once, so the bytes that actually arrive are measured too (meter.ts).

import type { InitProgressReport } from '@mlc-ai/web-llm';

export type LoadPhase = 'starting' | 'download' | 'gpu' | 'shaders' | 'done';

export interface LoadProgress {
  phase: LoadPhase;
  fraction: number; // 0–1 within the phase
  shard: number | null; // shards done in this phase
  shards: number | null;
  bytesDone: number | null; // MB granularity, as web-llm reports
  bytesTotal: number | null; // estimated from bytesDone / fraction
  bytesPerSecond: number | null; // download phase only, since the first report of it
  bytesReceived: number; // measured as it arrives: every file of this load so far
  elapsedS: number; // since the load began
  text: string; // web-llm's own line
}

const SHARD = /\[(\d+)\/(\d+)\]/;
const MB = /(\d+(?:\.\d+)?)\s*MB (?:fetched|loaded)/;

export function parseReport(r: InitProgressReport): Omit<LoadProgress, 'bytesPerSecond' | 'bytesReceived' | 'elapsedS'> {
  const phase: LoadPhase = r.text.startsWith('Fetching param cache')
    ? 'download'
    : r.text.startsWith('Loading model from cache')
      ? 'gpu'
      : r.text.startsWith('Loading GPU shader modules')
        ? 'shaders'
        : r.text.startsWith('Finish loading')
        ? 'done'
        : 'starting';
  const shard = SHARD.exec(r.text);
  const mb = MB.exec(r.text);
  const fraction = Number.isFinite(r.progress) ? Math.min(1, Math.max(0, r.progress)) : 0;
  const bytesDone = mb ? Number(mb[1]) * 2 ** 20 : null;
  return {
    phase,
    fraction: phase === 'done' ? 1 : fraction,
    shard: shard ? Number(shard[1]) : null,
    shards: shard ? Number(shard[2]) : null,
    bytesDone,
    bytesTotal: bytesDone !== null && fraction > 0 ? Math.round(bytesDone / fraction) : null,
    text: r.text,
  };
}

/** Turns successive reports, and the bytes measured between them, into LoadProgress with speed; `now` in milliseconds. */
export class ProgressTracker {
  private readonly start: number;
  private firstDownload: { t: number; bytes: number } | null = null;
  private last: LoadProgress | null = null;
  private received = 0;
  private lastPushed = -Infinity;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly pushEveryMs = 1000, // bytes alone make at most one update per interval
  ) {
    this.start = now();
  }

  update(r: InitProgressReport): LoadProgress {
    const p = parseReport(r);
    const t = this.now();
    let bytesPerSecond: number | null = null;
    if (p.phase === 'download' && p.bytesDone !== null) {
      // Speed from the load's start: the first shard report comes only after a whole shard.
      this.firstDownload ??= { t: this.start, bytes: 0 };
      const dt = (t - this.firstDownload.t) / 1000;
      bytesPerSecond = dt > 0 ? (p.bytesDone - this.firstDownload.bytes) / dt : null;
    }
    this.lastPushed = t;
    this.last = { ...p, bytesPerSecond, bytesReceived: this.received, elapsedS: (t - this.start) / 1000 };
    return this.last;
  }

  /** `bytes` more arrived; the progress to show, at most once per `pushEveryMs`, else null. */
  arrived(bytes: number): LoadProgress | null {
    this.received += bytes;
    const t = this.now();
    if (t - this.lastPushed < this.pushEveryMs) return null;
    this.lastPushed = t;
    const base = this.last ?? { ...parseReport({ progress: 0, timeElapsed: 0, text: '' }), bytesPerSecond: null };
    this.last = { ...base, bytesReceived: this.received, elapsedS: (t - this.start) / 1000 };
    return this.last;
  }
}
