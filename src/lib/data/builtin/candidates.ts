// Candidate tasks for the elicitation probe (scratch).
import { Rng } from '../../icm/rng';
import type { DataItem, Dataset } from '../types';

const WORDS = ['apple', 'banana', 'cherry', 'garden', 'python', 'window', 'orange', 'rocket', 'silver', 'planet', 'yellow', 'castle', 'bridge', 'pencil', 'forest', 'dragon', 'kitten', 'marble', 'summer', 'winter'];

type Case = { expr: string; right: string; wrong: string[] };
const pyList = (xs: (number | string)[]) => `[${xs.map((x) => (typeof x === 'string' ? `'${x}'` : String(x))).join(', ')}]`;

function cases(rng: Rng): Case[] {
  const out: Case[] = [];
  const w = () => WORDS[rng.int(WORDS.length)];
  const n = (lo: number, hi: number) => lo + rng.int(hi - lo + 1);
  for (let i = 0; i < 12; i++) {
    const s = w();
    out.push({ expr: `len('${s}')`, right: String(s.length), wrong: [String(s.length + 1), String(s.length - 1)] });
    const k = n(0, s.length - 1);
    out.push({ expr: `'${s}'[${k}]`, right: `'${s[k]}'`, wrong: [`'${s[(k + 1) % s.length]}'`, `'${s[(k + s.length - 1) % s.length]}'`].filter((x) => x !== `'${s[k]}'`) });
    const xs = [n(1, 9), n(10, 30), n(1, 20), n(2, 15)];
    out.push({ expr: `max(${pyList(xs)})`, right: String(Math.max(...xs)), wrong: [String(Math.min(...xs)), String(xs[0])].filter((x) => x !== String(Math.max(...xs))) });
    out.push({ expr: `sum(${pyList(xs.slice(0, 3))})`, right: String(xs[0] + xs[1] + xs[2]), wrong: [String(xs[0] + xs[1] + xs[2] + 1), String(xs[0] + xs[1])] });
    const a = n(10, 60), b = n(3, 9);
    out.push({ expr: `${a} // ${b}`, right: String(Math.floor(a / b)), wrong: [String(Math.floor(a / b) + 1), String(a % b)].filter((x) => x !== String(Math.floor(a / b))) });
    out.push({ expr: `${a} % ${b}`, right: String(a % b), wrong: [String((a % b) + 1), String(Math.floor(a / b))].filter((x) => x !== String(a % b)) });
    const lo = n(0, 4), hi = lo + n(2, 4);
    const r = Array.from({ length: hi - lo }, (_, j) => lo + j);
    out.push({ expr: `list(range(${lo}, ${hi}))`, right: pyList(r), wrong: [pyList([...r, hi]), pyList(r.slice(1))] });
    out.push({ expr: `'${s}'[::-1]`, right: `'${[...s].reverse().join('')}'`, wrong: [`'${s}'`, `'${[...s].reverse().join('').slice(1)}'`] });
    out.push({ expr: `sorted(${pyList(xs.slice(0, 3))})`, right: pyList([...xs.slice(0, 3)].sort((p, q) => p - q)), wrong: [pyList([...xs.slice(0, 3)].sort((p, q) => q - p))] });
    out.push({ expr: `'${s}'.upper()`, right: `'${s.toUpperCase()}'`, wrong: [`'${s[0].toUpperCase()}${s.slice(1)}'`] });
  }
  return out;
}

export function pythonDataset(): Dataset {
  const rng = Rng.fromSeed(11);
  const items: DataItem[] = [];
  rng.shuffle(cases(rng)).forEach((c, g) => {
    const claims = rng.shuffle([{ text: c.right, gold: true }, ...[...new Set(c.wrong)].filter((x) => x !== c.right).map((text) => ({ text, gold: false }))]);
    claims.forEach((cl, j) => items.push({ id: `py-${g}-${j}`, group: `py-${g}`, key: cl.text, question: `What does the Python expression ${c.expr} evaluate to?`, claim: cl.text, gold: cl.gold }));
  });
  return { id: 'python-eval', name: 'Python expressions', kind: 'factual', description: 'Is this the value the Python expression evaluates to?', items };
}

export function arithmeticDataset(): Dataset {
  const rng = Rng.fromSeed(12);
  const items: DataItem[] = [];
  for (let g = 0; g < 80; g++) {
    const op = rng.int(3);
    const a = 12 + rng.int(80), b = op === 2 ? 3 + rng.int(7) : 11 + rng.int(80);
    const v = op === 0 ? a + b : op === 1 ? Math.max(a, b) - Math.min(a, b) : a * b;
    const q = op === 0 ? `${a} + ${b}` : op === 1 ? `${Math.max(a, b)} - ${Math.min(a, b)}` : `${a} × ${b}`;
    const wrongs = [...new Set([v + 10, v - 10, v + 1, v - 1, v + 2].filter((x) => x > 0))];
    const chosen = rng.shuffle(wrongs).slice(0, 1 + rng.int(2));
    const claims = rng.shuffle([{ v, gold: true }, ...chosen.map((x) => ({ v: x, gold: false }))]);
    claims.forEach((c, j) => items.push({ id: `ar-${g}-${j}`, group: `ar-${g}`, key: String(c.v), question: `What is ${q}?`, claim: String(c.v), gold: c.gold }));
  }
  return { id: 'arithmetic', name: 'Arithmetic', kind: 'factual', description: 'Is this answer correct?', items };
}
