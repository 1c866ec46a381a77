// Word-problem templates for the math-verification task. Each template draws its numbers,
// states the problem, and writes the correct step-by-step solution plus a few slips of the
// kind people make (wrong operation, dropped step, off-by-one, arithmetic error), each of
// which reaches its own final answer. math.ts checks the numbers and assembles candidates.

import type { Rng } from '../../icm/rng';
import { PEOPLE, an, between, capitalize, num, pick } from './text';

/** One line of a solution, terse and explained. */
export interface Step {
  short: string;
  long: string;
}

export interface Solution {
  steps: Step[];
  answer: number;
}

export interface MathProblem {
  question: string;
  intro: string; // what a careful solver says first ("We need the change Maya gets.")
  unit: (n: number) => string; // how the final answer is written ("$6", "42 km")
  correct: Solution;
  slips: Solution[];
}

/** null when the drawn numbers do not make a sensible problem; the caller draws again. */
export type Template = (rng: Rng) => MathProblem | null;

const step = (short: string, long: string): Step => ({ short, long });
const usd = (n: number): string => `$${num(n)}`;
/** A final-step arithmetic error: the right operation, a result that is a little off. */
const offBy = (rng: Rng, n: number): number => n + pick(rng, [-10, -2, -1, 1, 2, 10]);

const shopping: Template = (rng) => {
  const p = pick(rng, PEOPLE);
  const [items, extra] = pick(rng, [['notebooks', 'pen'], ['apples', 'bag'], ['tickets', 'program'], ['mugs', 'card'], ['candles', 'lighter']] as const);
  const n = between(rng, 2, 6), price = between(rng, 2, 9), e = between(rng, 1, 5);
  const total = n * price + e;
  const bill = total < 19 ? 20 : total < 48 ? 50 : 100;
  const q = `${p.name} buys ${n} ${items} at ${usd(price)} each and a ${extra} for ${usd(e)}. ${capitalize(p.they)} pays with a ${usd(bill)} bill. How much change does ${p.they} get?`;
  const sol = (cost: number, costShort: string, withExtra: boolean, change: number): Solution => {
    const t = withExtra ? cost + e : cost;
    const steps = [step(`${costShort} = ${usd(cost)}.`, `The ${items} cost ${costShort} = ${usd(cost)}.`)];
    if (withExtra) steps.push(step(`${usd(cost)} + ${usd(e)} = ${usd(t)}.`, `With the ${extra}, the total is ${usd(cost)} + ${usd(e)} = ${usd(t)}.`));
    steps.push(step(`${usd(bill)} - ${usd(t)} = ${usd(change)}.`, `The change is ${usd(bill)} - ${usd(t)} = ${usd(change)}.`));
    return { steps, answer: change };
  };
  const times = `${n} × ${usd(price)}`;
  return {
    question: q,
    intro: `We need the change from ${usd(bill)}.`,
    unit: usd,
    correct: sol(n * price, times, true, bill - total),
    slips: [
      sol(n + price, `${n} + ${usd(price)}`, true, bill - (n + price + e)), // added instead of multiplied
      sol(n * price, times, false, bill - n * price), // forgot the extra item
      sol(n * price, times, true, offBy(rng, bill - total)),
    ],
  };
};

const distance: Template = (rng) => {
  const [who, unit] = pick(rng, [['A train', 'km'], ['A truck', 'km'], ['A cyclist', 'km'], ['A boat', 'km']] as const);
  const v = between(rng, 3, 12) * 5, t1 = between(rng, 2, 4), w = between(rng, 3, 12) * 5, t2 = between(rng, 1, 3);
  const km = (n: number) => `${num(n)} ${unit}`;
  const q = `${who} travels at ${v} ${unit}/h for ${t1} hours, then at ${w} ${unit}/h for ${t2} hours. How far does it travel in total?`;
  const sol = (first: number, firstShort: string, second: number | null, total: number): Solution => {
    const steps = [step(`${firstShort} = ${km(first)}.`, `The first part covers ${firstShort} = ${km(first)}.`)];
    if (second !== null) {
      steps.push(step(`${w} × ${t2} = ${km(second)}.`, `The second part covers ${w} × ${t2} = ${km(second)}.`));
      steps.push(step(`${first} + ${second} = ${km(total)}.`, `Together that is ${first} + ${second} = ${km(total)}.`));
    }
    return { steps, answer: total };
  };
  const a = v * t1, b = w * t2;
  return {
    question: q,
    intro: 'Distance is speed times time, for each part of the trip.',
    unit: km,
    correct: sol(a, `${v} × ${t1}`, b, a + b),
    slips: [
      sol(v + t1, `${v} + ${t1}`, b, v + t1 + b), // added speed and time
      sol(a, `${v} × ${t1}`, null, a), // stopped after the first part
      sol(a, `${v} × ${t1}`, b, offBy(rng, a + b)),
    ],
  };
};

const ages: Template = (rng) => {
  const p = pick(rng, PEOPLE);
  const rel = pick(rng, ['mother', 'father', 'aunt', 'uncle']);
  const a = between(rng, 4, 12), k = between(rng, 3, 5), c = between(rng, 2, 9);
  const yrs = (n: number) => `${n}`;
  const q = `${p.name} is ${a} years old. ${capitalize(p.their)} ${rel} is ${k} times as old. How old will ${p.their} ${rel} be in ${c} years?`;
  const now = a * k;
  const sol = (nowAge: number, nowShort: string, later: number | null, answer: number): Solution => {
    const steps = [step(`${nowShort} = ${nowAge}.`, `Right now the ${rel} is ${nowShort} = ${nowAge} years old.`)];
    if (later !== null) steps.push(step(`${nowAge} + ${c} = ${later}.`, `In ${c} years that becomes ${nowAge} + ${c} = ${later}.`));
    return { steps, answer };
  };
  const later = (a + c) * k; // aged the child first, then multiplied
  return {
    question: q,
    intro: `First find the ${rel}'s age today.`,
    unit: yrs,
    correct: sol(now, `${a} × ${k}`, now + c, now + c),
    slips: [
      sol(a + k, `${a} + ${k}`, a + k + c, a + k + c),
      sol(now, `${a} × ${k}`, null, now), // forgot the years ahead
      { steps: [step(`${a} + ${c} = ${a + c}.`, `In ${c} years ${p.name} will be ${a} + ${c} = ${a + c}.`), step(`${a + c} × ${k} = ${later}.`, `The ${rel} is ${k} times as old, so ${a + c} × ${k} = ${later}.`)], answer: later },
    ],
  };
};

const sharing: Template = (rng) => {
  const p = pick(rng, PEOPLE);
  const thing = pick(rng, ['cookies', 'stickers', 'marbles', 'cupcakes', 'pencils']);
  const k = between(rng, 3, 8), each = between(rng, 3, 12), r = between(rng, 2, 9);
  const n = each * k + r;
  const q = `${p.name} has ${n} ${thing}. ${capitalize(p.they)} keeps ${r} and shares the rest equally among ${k} friends. How many ${thing} does each friend get?`;
  const sol = (rest: number | null, share: number, shareShort: string): Solution => {
    const steps: Step[] = [];
    if (rest !== null) steps.push(step(`${n} - ${r} = ${rest}.`, `After keeping ${r}, ${p.they} has ${n} - ${r} = ${rest} left.`));
    steps.push(step(`${shareShort} = ${share}.`, `Each friend gets ${shareShort} = ${share}.`));
    return { steps, answer: share };
  };
  const rest = n - r;
  const slips = [sol(rest, rest - k, `${rest} - ${k}`), sol(rest, offBy(rng, each), `${rest} ÷ ${k}`)];
  if (n % k === 0) slips.push(sol(null, n / k, `${n} ÷ ${k}`)); // forgot the ones kept
  else slips.push(sol(rest, each + 1, `${rest} ÷ ${k}`));
  return { question: q, intro: `Take away the ${thing} ${p.they} keeps, then divide.`, unit: String, correct: sol(rest, each, `${rest} ÷ ${k}`), slips };
};

const savings: Template = (rng) => {
  const p = pick(rng, PEOPLE);
  const goal = pick(rng, ['a bike', 'a guitar', 'a tablet', 'a tent', 'a camera']);
  const s = between(rng, 3, 12) * 5, w = between(rng, 3, 10), h = between(rng, 2, 12) * 5;
  const g = h + s * w;
  const q = `${p.name} has ${usd(h)} and saves ${usd(s)} every week. ${capitalize(p.they)} wants ${goal} that costs ${usd(g)}. How many weeks will it take?`;
  const wk = (n: number) => `${n} weeks`;
  const sol = (need: number | null, weeks: number, divShort: string, plusOne = false): Solution => {
    const steps: Step[] = [];
    if (need !== null) steps.push(step(`${usd(g)} - ${usd(h)} = ${usd(need)}.`, `${capitalize(p.they)} still needs ${usd(g)} - ${usd(h)} = ${usd(need)}.`));
    const base = plusOne ? weeks - 1 : weeks;
    steps.push(step(`${divShort} = ${base}.`, `At ${usd(s)} a week that takes ${divShort} = ${base} weeks.`));
    if (plusOne) steps.push(step(`${base} + 1 = ${weeks}.`, `Counting the current week too gives ${base} + 1 = ${weeks}.`));
    return { steps, answer: weeks };
  };
  const need = g - h;
  const slips = [sol(need, w + 1, `${need} ÷ ${s}`, true), sol(need, offBy(rng, w), `${need} ÷ ${s}`)];
  if (g % s === 0) slips.push(sol(null, g / s, `${g} ÷ ${s}`)); // ignored the money already saved
  return { question: q, intro: 'Find how much is still missing, then divide by the weekly savings.', unit: wk, correct: sol(need, w, `${need} ÷ ${s}`), slips };
};

const fence: Template = (rng) => {
  const L = between(rng, 6, 20), W = between(rng, 3, 12), c = between(rng, 2, 9);
  const q = `A rectangular garden is ${L} m long and ${W} m wide. Fencing costs ${usd(c)} per meter. How much does it cost to fence the whole garden?`;
  const sol = (len: number, lenShort: string, lenLong: string, cost: number): Solution => ({
    steps: [step(`${lenShort} = ${len} m.`, `${lenLong} = ${len} m.`), step(`${len} × ${usd(c)} = ${usd(cost)}.`, `At ${usd(c)} per meter the cost is ${len} × ${usd(c)} = ${usd(cost)}.`)],
    answer: cost,
  });
  const P = 2 * (L + W);
  return {
    question: q,
    intro: 'The fence goes around the edge, so we need the perimeter.',
    unit: usd,
    correct: sol(P, `2 × (${L} + ${W})`, `The perimeter is 2 × (${L} + ${W})`, P * c),
    slips: [
      sol(L + W, `${L} + ${W}`, `The fence length is ${L} + ${W}`, (L + W) * c), // counted two sides only
      sol(L * W, `${L} × ${W}`, `The fence length is ${L} × ${W}`, L * W * c), // used the area
      sol(P, `2 × (${L} + ${W})`, `The perimeter is 2 × (${L} + ${W})`, offBy(rng, P * c)),
    ],
  };
};

const reading: Template = (rng) => {
  const p = pick(rng, PEOPLE);
  const r = between(rng, 8, 25), d = between(rng, 3, 9);
  const pages = r * d + between(rng, 10, 120);
  const q = `A book has ${pages} pages. ${p.name} reads ${r} pages a day for ${d} days. How many pages are left to read?`;
  const sol = (read: number, readShort: string, left: number): Solution => ({
    steps: [step(`${readShort} = ${read}.`, `In ${d} days ${p.they} reads ${readShort} = ${read} pages.`), step(`${pages} - ${read} = ${left}.`, `That leaves ${pages} - ${read} = ${left} pages.`)],
    answer: left,
  });
  const read = r * d;
  return {
    question: q,
    intro: `First count the pages ${p.name} has read.`,
    unit: (n) => `${n} pages`,
    correct: sol(read, `${r} × ${d}`, pages - read),
    slips: [
      sol(r + d, `${r} + ${d}`, pages - r - d),
      sol(r * (d - 1), `${r} × ${d - 1}`, pages - r * (d - 1)), // counted one day too few
      sol(read, `${r} × ${d}`, offBy(rng, pages - read)),
    ],
  };
};

const bus: Template = (rng) => {
  const a = between(rng, 20, 45), b = between(rng, 3, 12), c = between(rng, 2, 15), d = between(rng, 3, 10);
  const q = `A bus leaves with ${a} passengers. At the first stop, ${b} get off and ${c} get on. At the second stop, ${d} get off. How many passengers are on the bus now?`;
  const sol = (x: number, xShort: string, stop2: boolean, answer: number): Solution => {
    const y = x + c;
    const steps = [
      step(`${xShort} = ${x}.`, `After ${b} get off there are ${xShort} = ${x}.`),
      step(`${x} + ${c} = ${y}.`, `Then ${c} get on: ${x} + ${c} = ${y}.`),
    ];
    if (stop2) steps.push(step(`${y} - ${d} = ${answer}.`, `At the second stop ${d} get off: ${y} - ${d} = ${answer}.`));
    return { steps, answer };
  };
  const x = a - b;
  return {
    question: q,
    intro: 'Follow the passengers stop by stop.',
    unit: (n) => `${n} passengers`,
    correct: sol(x, `${a} - ${b}`, true, x + c - d),
    slips: [
      sol(a + b, `${a} + ${b}`, true, a + b + c - d), // added the ones getting off
      sol(x, `${a} - ${b}`, false, x + c), // skipped the second stop
      sol(x, `${a} - ${b}`, true, offBy(rng, x + c - d)),
    ],
  };
};

const factory: Template = (rng) => {
  const [machine, thing] = pick(rng, [['machine', 'bottles'], ['printer', 'pages'], ['robot', 'boxes'], ['oven', 'rolls']] as const);
  const f = between(rng, 2, 9), h = between(rng, 2, 5);
  const q = `${capitalize(an(machine))} ${machine} makes ${f} ${thing} every minute. How many ${thing} does it make in ${h} hours?`;
  const sol = (mins: number | null, minsShort: string, answer: number, totalShort: string): Solution => {
    const steps: Step[] = [];
    if (mins !== null) steps.push(step(`${minsShort} = ${mins} minutes.`, `${h} hours is ${minsShort} = ${mins} minutes.`));
    steps.push(step(`${totalShort} = ${num(answer)}.`, `In that time it makes ${totalShort} = ${num(answer)} ${thing}.`));
    return { steps, answer };
  };
  const m = 60 * h;
  return {
    question: q,
    intro: 'Convert the hours to minutes first.',
    unit: (n) => `${num(n)} ${thing}`,
    correct: sol(m, `${h} × 60`, m * f, `${m} × ${f}`),
    slips: [
      sol(null, '', h * f, `${h} × ${f}`), // never converted hours to minutes
      sol(100 * h, `${h} × 100`, 100 * h * f, `${100 * h} × ${f}`), // 100 minutes to the hour
      sol(m, `${h} × 60`, offBy(rng, m * f), `${m} × ${f}`),
    ],
  };
};

const harvest: Template = (rng) => {
  const p = pick(rng, PEOPLE);
  const x = between(rng, 6, 20), d = between(rng, 3, 7), bag = between(rng, 3, 8);
  const total = x * d;
  const bags = between(rng, 2, Math.max(2, Math.floor((total - 2) / bag)));
  const sold = total - bags * bag;
  if (sold < 1) return null;
  const q = `${p.name} picks ${x} apples a day for ${d} days, sells ${sold} of them, and packs the rest into bags of ${bag}. How many bags does ${p.they} fill?`;
  const sol = (t: number, tShort: string, rest: number | null, answer: number, divShort: string): Solution => {
    const steps = [step(`${tShort} = ${t}.`, `${capitalize(p.they)} picks ${tShort} = ${t} apples.`)];
    if (rest !== null) steps.push(step(`${t} - ${sold} = ${rest}.`, `After selling ${sold}, ${rest} are left (${t} - ${sold}).`));
    steps.push(step(`${divShort} = ${answer}.`, `In bags of ${bag} that is ${divShort} = ${answer} bags.`));
    return { steps, answer };
  };
  const rest = total - sold;
  const slips = [
    sol(x + d, `${x} + ${d}`, x + d - sold, (x + d - sold) / bag, `${x + d - sold} ÷ ${bag}`),
    sol(total, `${x} × ${d}`, rest, offBy(rng, bags), `${rest} ÷ ${bag}`),
  ];
  if (total % bag === 0) slips.push(sol(total, `${x} × ${d}`, null, total / bag, `${total} ÷ ${bag}`)); // forgot the ones sold
  return { question: q, intro: 'Count the apples, take away the sold ones, then divide.', unit: (n) => `${n} bags`, correct: sol(total, `${x} × ${d}`, rest, bags, `${rest} ÷ ${bag}`), slips };
};

export const TEMPLATES: readonly Template[] = [shopping, distance, ages, sharing, savings, fence, reading, bus, factory, harvest];
