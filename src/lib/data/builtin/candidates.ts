// Candidate tasks for the elicitation probe (scratch).
import { Rng } from '../../icm/rng';
import type { DataItem, Dataset } from '../types';
import { MAKERS } from './factualFacts';

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

// [code, the right description, wrong descriptions]: small Python functions and what they do,
// written for this project; the wrong descriptions are the usual misreadings.
const FUNCTIONS: [string, string, string[]][] = [
  ['def f(xs):\n    return xs[-1]', 'It returns the last element of xs.', ['It returns the first element of xs.', 'It returns xs without its last element.']],
  ['def f(xs):\n    return xs[1:]', 'It returns xs without its first element.', ['It returns the second element of xs.', 'It returns xs without its last element.']],
  ['def f(xs):\n    return xs[::-1]', 'It returns xs in reverse order.', ['It returns every other element of xs.', 'It returns xs sorted from largest to smallest.']],
  ['def f(xs):\n    return max(xs)', 'It returns the largest element of xs.', ['It returns the smallest element of xs.', 'It returns the index of the largest element of xs.']],
  ['def f(xs):\n    return min(xs)', 'It returns the smallest element of xs.', ['It returns the largest element of xs.', 'It returns the first element of xs.']],
  ['def f(xs):\n    return sum(xs) / len(xs)', 'It returns the mean of xs.', ['It returns the sum of xs.', 'It returns the median of xs.']],
  ['def f(xs):\n    return len(set(xs))', 'It returns how many distinct values xs holds.', ['It returns the length of xs.', 'It returns whether xs has duplicates.']],
  ['def f(xs):\n    return [x for x in xs if x % 2 == 0]', 'It returns the even numbers of xs.', ['It returns the odd numbers of xs.', 'It returns every second element of xs.']],
  ['def f(xs):\n    return [x * x for x in xs]', 'It returns the square of each element of xs.', ['It returns each element of xs doubled.', 'It returns the sum of the squares of xs.']],
  ['def f(xs):\n    return sorted(xs)', 'It returns the elements of xs from smallest to largest.', ['It sorts xs in place and returns nothing.', 'It returns the elements of xs from largest to smallest.']],
  ['def f(xs):\n    return sorted(xs, reverse=True)', 'It returns the elements of xs from largest to smallest.', ['It returns xs in reverse order.', 'It returns the elements of xs from smallest to largest.']],
  ['def f(xs):\n    return any(x < 0 for x in xs)', 'It returns whether some element of xs is negative.', ['It returns whether every element of xs is negative.', 'It returns the negative elements of xs.']],
  ['def f(xs):\n    return all(x > 0 for x in xs)', 'It returns whether every element of xs is positive.', ['It returns whether some element of xs is positive.', 'It returns the positive elements of xs.']],
  ['def f(xs, k):\n    return xs[:k]', 'It returns the first k elements of xs.', ['It returns the last k elements of xs.', 'It returns the element at index k.']],
  ['def f(xs, k):\n    return xs[-k:]', 'It returns the last k elements of xs.', ['It returns the first k elements of xs.', 'It returns xs without its last k elements.']],
  ['def f(xs, v):\n    return xs.count(v)', 'It returns how many times v occurs in xs.', ['It returns the index of v in xs.', 'It returns whether v occurs in xs.']],
  ['def f(xs, v):\n    return xs.index(v)', 'It returns the position of the first v in xs.', ['It returns how many times v occurs in xs.', 'It returns the position of the last v in xs.']],
  ['def f(s):\n    return s.upper()', 'It returns s in capital letters.', ['It returns s with only its first letter capitalised.', 'It returns s in lower-case letters.']],
  ['def f(s):\n    return s.strip()', 'It returns s without spaces at its start and end.', ['It returns s without any spaces.', 'It returns s without its last character.']],
  ['def f(s):\n    return s.split()', 'It returns the words of s as a list.', ['It returns the characters of s as a list.', 'It returns the number of words in s.']],
  ['def f(s):\n    return s[0]', 'It returns the first character of s.', ['It returns the first word of s.', 'It returns the last character of s.']],
  ['def f(s):\n    return s == s[::-1]', 'It returns whether s reads the same backwards.', ['It returns s reversed.', 'It returns whether s is empty.']],
  ['def f(s):\n    return len(s.split())', 'It returns the number of words in s.', ['It returns the number of characters in s.', 'It returns the length of the longest word in s.']],
  ['def f(s, c):\n    return s.replace(c, "")', 'It returns s with every c removed.', ['It returns s with the first c removed.', 'It returns how many times c occurs in s.']],
  ['def f(n):\n    return n % 2 == 0', 'It returns whether n is even.', ['It returns whether n is odd.', 'It returns half of n.']],
  ['def f(n):\n    return n // 10', 'It returns n without its last digit.', ['It returns the last digit of n.', 'It returns n divided by ten, rounded to one decimal.']],
  ['def f(n):\n    return n % 10', 'It returns the last digit of n.', ['It returns n without its last digit.', 'It returns the first digit of n.']],
  ['def f(n):\n    return abs(n)', 'It returns n without its sign.', ['It returns minus n.', 'It returns n rounded to a whole number.']],
  ['def f(n):\n    return list(range(n))', 'It returns the numbers from 0 to n - 1.', ['It returns the numbers from 1 to n.', 'It returns the numbers from 0 to n.']],
  ['def f(n):\n    return sum(range(1, n + 1))', 'It returns the sum of the numbers from 1 to n.', ['It returns the sum of the numbers from 1 to n - 1.', 'It returns the product of the numbers from 1 to n.']],
  ['def f(a, b):\n    return a if a > b else b', 'It returns the larger of a and b.', ['It returns the smaller of a and b.', 'It returns whether a is larger than b.']],
  ['def f(d, k):\n    return d.get(k, 0)', 'It returns the value of key k in d, or 0 when k is missing.', ['It returns the value of key k in d, and fails when k is missing.', 'It returns whether k is a key of d.']],
  ['def f(d):\n    return list(d.keys())', 'It returns the keys of d as a list.', ['It returns the values of d as a list.', 'It returns the number of keys in d.']],
  ['def f(xs):\n    return {x: xs.count(x) for x in xs}', 'It returns how many times each value occurs in xs.', ['It returns the position of each value in xs.', 'It returns the distinct values of xs as a list.']],
  ['def f(xs, ys):\n    return list(zip(xs, ys))', 'It returns the pairs of elements of xs and ys at the same positions.', ['It returns xs followed by ys.', 'It returns every pair of an element of xs and an element of ys.']],
  ['def f(xs, ys):\n    return xs + ys', 'It returns xs followed by ys.', ['It returns the sums of the elements of xs and ys at the same positions.', 'It returns the elements in both xs and ys.']],
];

export function codeDataset(): Dataset {
  const rng = Rng.fromSeed(13);
  const items: DataItem[] = [];
  FUNCTIONS.forEach(([code, right, wrong], g) => {
    const claims = rng.shuffle([{ text: right, gold: true }, ...wrong.map((text) => ({ text, gold: false }))]);
    claims.forEach((c, j) =>
      items.push({ id: `code-${g}-${j}`, group: `code-${g}`, key: c.text, question: `What does this Python function do?\n${code}`, claim: c.text, gold: c.gold }),
    );
  });
  return { id: 'code', name: 'Python functions', kind: 'factual', description: 'Does the claim say what the Python function does?', items };
}

/**
 * One claim per question: the factual task's facts (arithmetic, units, calendar, geometry,
 * capitals, element symbols, planets), each asked once with either its right answer or a wrong
 * one (half each, seeded). With no other claim on the same question in context, a model cannot
 * score by copying a near-identical demonstration's label; it has to judge the claim.
 */
export function singleClaimsDataset(): Dataset {
  const rng = Rng.fromSeed(14);
  const questions = rng.shuffle(MAKERS.flatMap(([make, count]) => make(rng, count)));
  const items: DataItem[] = questions.map((q, g) => {
    const right = rng.next() < 0.5 || q.wrong.length === 0;
    const answer = right ? q.correct : q.wrong[rng.int(q.wrong.length)];
    return { id: `one-${g}`, group: `one-${g}`, key: answer.key, question: q.question, claim: answer.short[0], gold: right };
  });
  return { id: 'single-claims', name: 'Single claims', kind: 'factual', description: 'Is this answer to the question correct?', items };
}
