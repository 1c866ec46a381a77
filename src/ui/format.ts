// How figures are written on screen, in one place so every screen agrees.

/** A score or log-odds: fixed decimals, a real minus sign. */
export function num(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x.toFixed(digits).replace('-', '−');
}

/** ΔU and similar: always signed. */
export function signed(x: number, digits = 2): string {
  return (x > 0 ? '+' : '') + num(x, digits);
}

/** A share in [0, 1] as a whole percentage. */
export function pct(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(digits)}%`;
}

/** Temperature spans four decades (T0 = 10 down to Tmin = 0.01): keep three significant digits. */
export function temp(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : '—';
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function labelText(label: boolean | null): string {
  return label === null ? '—' : label ? 'True' : 'False';
}

export function labelClass(label: boolean | null): string {
  return label === null ? 'muted' : label ? 'label-true' : 'label-false';
}

/** Bytes as MB (MiB, as web-llm and the model catalog count them), or GB from 10 GB up. */
export function mb(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const m = bytes / 2 ** 20;
  if (m >= 10 * 1024) return `${(m / 1024).toFixed(1)} GB`;
  return `${m < 10 ? m.toFixed(1) : Math.round(m).toLocaleString('en-US')} MB`;
}

/** A stored size: kB below 1 MB (runs and small datasets), else as mb(). */
export function size(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (bytes < 2 ** 20) return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('en-US')} kB`;
  return mb(bytes);
}

/** A size the catalog gives in MB. */
export function megabytes(n: number): string {
  return n >= 1024 ? `${(n / 1024).toFixed(1)} GB` : `${Math.round(n)} MB`;
}

/** Elapsed seconds: "42 s", "3 min 05 s". */
export function seconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '—';
  if (s < 60) return `${Math.floor(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
}

/** Milliseconds with as many digits as they deserve: "0.21 ms", "12.5 ms", "840 ms", "3.2 s". */
export function millis(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x >= 10_000) return `${(x / 1000).toFixed(1)} s`;
  if (x >= 100) return `${Math.round(x)} ms`;
  return `${x.toFixed(x >= 10 ? 1 : 2)} ms`;
}

/** When a run was created, short ("2 Dec, 00:12"): runs on one task and seed share a name. */
export const runDate = (ms: number): string => new Date(ms).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
