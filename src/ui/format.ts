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
