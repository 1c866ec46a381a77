// Questions for the factual-claims task, from facts this project computes (arithmetic, unit
// conversions, calendar, geometry) or writes out below (capitals, element symbols, planets).
// Each question has one right answer and several wrong ones that people plausibly give;
// every answer value comes in short and long phrasings so length can vary independently of truth.

import type { Rng } from '../../icm/rng';
import { an, between, capitalize, num, numberWords, sample } from './text';

/** One answer value: its identity (the consistency key) and ways to say it. */
export interface Answer {
  key: string;
  short: [string, string];
  long: [string, string];
}

export interface FactQuestion {
  question: string;
  correct: Answer;
  wrong: Answer[]; // distinct keys, none equal to the correct one
}

type Phrase = (value: string) => [string, string];

function numberAnswer(v: number, long: Phrase, unit?: string): Answer {
  const words = numberWords(v);
  const alt = unit ? `${num(v)} ${unit}` : v <= 999 && words.length <= 18 ? words : `It is ${num(v)}.`;
  return { key: String(v), short: [num(v), alt], long: long(num(v)) };
}

const nameAnswer = (name: string, long: Phrase): Answer => ({ key: name.toLowerCase(), short: [name, `It is ${name}.`], long: long(name) });

function numberQuestion(question: string, v: number, wrong: number[], long: Phrase, unit?: string): FactQuestion {
  const keep = [...new Set(wrong)].filter((w) => Number.isInteger(w) && w > 0 && w !== v);
  return { question, correct: numberAnswer(v, long, unit), wrong: keep.map((w) => numberAnswer(w, long, unit)) };
}

function nameQuestion(question: string, right: string, wrong: string[], long: Phrase): FactQuestion {
  const keep = [...new Set(wrong)].filter((w) => w !== right);
  return { question, correct: nameAnswer(right, long), wrong: keep.map((w) => nameAnswer(w, long)) };
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const PLANETS = ['Mercury', 'Venus', 'Earth', 'Mars', 'Jupiter', 'Saturn', 'Uranus', 'Neptune'];

// [country, capital, cities people confuse with it]
export const CAPITALS: readonly [string, string, string[]][] = [
  ['France', 'Paris', ['Lyon', 'Marseille']], ['Germany', 'Berlin', ['Munich', 'Frankfurt']], ['Italy', 'Rome', ['Milan', 'Venice']],
  ['Spain', 'Madrid', ['Barcelona', 'Seville']], ['Portugal', 'Lisbon', ['Porto']], ['Japan', 'Tokyo', ['Osaka', 'Kyoto']],
  ['China', 'Beijing', ['Shanghai', 'Hong Kong']], ['India', 'New Delhi', ['Mumbai', 'Kolkata']], ['Canada', 'Ottawa', ['Toronto', 'Montreal']],
  ['Australia', 'Canberra', ['Sydney', 'Melbourne']], ['Brazil', 'Brasilia', ['Rio de Janeiro', 'Sao Paulo']], ['Argentina', 'Buenos Aires', ['Cordoba']],
  ['Egypt', 'Cairo', ['Alexandria']], ['Kenya', 'Nairobi', ['Mombasa']], ['Russia', 'Moscow', ['Saint Petersburg']],
  ['Norway', 'Oslo', ['Bergen']], ['Sweden', 'Stockholm', ['Gothenburg']], ['Finland', 'Helsinki', ['Turku']],
  ['Poland', 'Warsaw', ['Krakow']], ['Greece', 'Athens', ['Thessaloniki']], ['Turkey', 'Ankara', ['Istanbul', 'Izmir']],
  ['Ireland', 'Dublin', ['Cork']], ['Austria', 'Vienna', ['Salzburg']], ['Mexico', 'Mexico City', ['Guadalajara']],
  ['Peru', 'Lima', ['Cusco']], ['South Korea', 'Seoul', ['Busan']], ['Vietnam', 'Hanoi', ['Ho Chi Minh City']],
  ['Nigeria', 'Abuja', ['Lagos']], ['Morocco', 'Rabat', ['Casablanca', 'Marrakesh']], ['New Zealand', 'Wellington', ['Auckland']],
  ['Denmark', 'Copenhagen', ['Aarhus']], ['Hungary', 'Budapest', ['Debrecen']], ['Cuba', 'Havana', ['Santiago de Cuba']],
];

// [element, symbol, symbols people guess]
const ELEMENTS: readonly [string, string, string[]][] = [
  ['iron', 'Fe', ['Ir', 'I', 'In']], ['gold', 'Au', ['Go', 'Gd', 'Ag']], ['silver', 'Ag', ['Si', 'Sv', 'Au']],
  ['sodium', 'Na', ['So', 'Sd', 'S']], ['potassium', 'K', ['P', 'Po', 'Pt']], ['copper', 'Cu', ['Co', 'Cp', 'C']],
  ['lead', 'Pb', ['Le', 'Ld', 'L']], ['tin', 'Sn', ['Ti', 'T', 'Tn']], ['mercury', 'Hg', ['Me', 'Mr', 'Hy']],
  ['oxygen', 'O', ['Ox', 'Og', 'Os']], ['hydrogen', 'H', ['Hy', 'Hd', 'He']], ['carbon', 'C', ['Ca', 'Cb', 'Co']],
  ['nitrogen', 'N', ['Ni', 'Nt', 'Na']], ['helium', 'He', ['H', 'Hl', 'Hm']], ['calcium', 'Ca', ['C', 'Cl', 'Cm']],
  ['chlorine', 'Cl', ['C', 'Ch', 'Cr']], ['zinc', 'Zn', ['Z', 'Zi', 'Zc']], ['magnesium', 'Mg', ['Mn', 'Ma', 'M']],
  ['sulfur', 'S', ['Su', 'Sf', 'Sl']], ['neon', 'Ne', ['N', 'Nn', 'No']], ['silicon', 'Si', ['S', 'Sl', 'Sc']],
  ['aluminium', 'Al', ['A', 'Am', 'Au']], ['tungsten', 'W', ['Tu', 'T', 'Tg']], ['uranium', 'U', ['Ur', 'Un', 'Um']],
];

// [from, to, factor, factors people confuse it with]
const UNITS: readonly [string, string, number, number[]][] = [
  ['meters', 'centimeters', 100, [10, 1000]], ['kilometers', 'meters', 1000, [100, 10]], ['kilograms', 'grams', 1000, [100, 10]],
  ['liters', 'milliliters', 1000, [100, 10]], ['hours', 'minutes', 60, [100, 24]], ['minutes', 'seconds', 60, [100, 30]],
  ['feet', 'inches', 12, [10, 3]], ['yards', 'feet', 3, [12, 2]], ['days', 'hours', 24, [12, 60]],
  ['weeks', 'days', 7, [5, 10]], ['years', 'months', 12, [10, 52]], ['centimeters', 'millimeters', 10, [100, 1000]],
];

export type Maker = (rng: Rng, count: number) => FactQuestion[];

/** `count` questions from a generator, skipping repeats. */
const generated = (make: (rng: Rng) => FactQuestion): Maker => (rng, count) => {
  const out = new Map<string, FactQuestion>();
  while (out.size < count) {
    const q = make(rng);
    out.set(q.question, q);
  }
  return [...out.values()];
};

/** `count` questions from distinct rows of a table. */
const tabled = <T>(rows: readonly T[], make: (row: T, rng: Rng) => FactQuestion): Maker => (rng, count) =>
  sample(rng, rows, count).map((row) => make(row, rng));

const multiplication = generated((rng) => {
  const a = between(rng, 3, 12), b = between(rng, 3, 12), v = a * b;
  return numberQuestion(`What is ${a} × ${b}?`, v, [v + 1, v - 1, a * (b - 1), (a + 1) * b, v + 10, a + b], (x) => [`${a} × ${b} equals ${x}.`, `The product of ${a} and ${b} is ${x}.`]);
});

const addition = generated((rng) => {
  const a = between(rng, 15, 89), b = between(rng, 12, 79), v = a + b;
  return numberQuestion(`What is ${a} + ${b}?`, v, [v - 10, v + 10, v + 1, v - 1], (x) => [`${a} + ${b} equals ${x}.`, `The sum of ${a} and ${b} is ${x}.`]);
});

const subtraction = generated((rng) => {
  const a = between(rng, 40, 150), b = between(rng, 11, a - 8), v = a - b;
  return numberQuestion(`What is ${a} - ${b}?`, v, [v + 10, v - 10, v + 1, v - 1, a + b], (x) => [`${a} - ${b} equals ${x}.`, `Taking ${b} from ${a} leaves ${x}.`]);
});

const units = tabled(UNITS, ([from, to, factor, confused], rng) => {
  const q = between(rng, 2, 9), v = q * factor;
  return numberQuestion(
    `How many ${to} are in ${q} ${from}?`, v,
    [...confused.map((f) => q * f), v + factor, v - factor],
    (x) => [`There are ${x} ${to} in ${q} ${from}.`, `${q} ${from} is the same as ${x} ${to}.`], to,
  );
});

const monthDays = tabled([0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], (m) => {
  const d = MONTH_DAYS[m];
  return numberQuestion(`How many days are in ${MONTHS[m]}?`, d, [30, 31, 28, 29], (x) => [`${MONTHS[m]} has ${x} days.`, `There are ${x} days in ${MONTHS[m]}.`], 'days');
});

const dayAfter = generated((rng) => {
  const d = rng.int(7), k = between(rng, 2, 6);
  const at = (off: number) => DAYS[(d + off + 7) % 7];
  return nameQuestion(`What day of the week is ${k} days after ${DAYS[d]}?`, at(k), [at(k - 1), at(k + 1), at(k + 2), at(k - 2)],
    (x) => [`${k} days after ${DAYS[d]} is ${x}.`, `Counting ${k} days on from ${DAYS[d]} gives ${x}.`]);
});

const monthAfter = tabled(MONTHS.map((_, i) => i), (m) => {
  const at = (off: number) => MONTHS[(m + off + 12) % 12];
  return nameQuestion(`Which month comes right after ${MONTHS[m]}?`, at(1), [at(-1), at(2), at(3)], (x) => [`The month after ${MONTHS[m]} is ${x}.`, `${x} comes right after ${MONTHS[m]}.`]);
});

const nthMonth = tabled(MONTHS.map((_, i) => i), (m) => {
  const at = (off: number) => MONTHS[(m + off + 12) % 12];
  return nameQuestion(`Which is the ${ORDINALS[m]} month of the year?`, at(0), [at(-1), at(1), at(2), at(-2)], (x) => [`The ${ORDINALS[m]} month of the year is ${x}.`, `${x} is the ${ORDINALS[m]} month.`]);
});

const POLYGONS: readonly [string, number][] = [['triangle', 3], ['square', 4], ['pentagon', 5], ['hexagon', 6], ['heptagon', 7], ['octagon', 8], ['nonagon', 9], ['decagon', 10]];
const polygonSides = tabled(POLYGONS, ([shape, n]) =>
  numberQuestion(`How many sides does ${an(shape)} ${shape} have?`, n, [n - 1, n + 1, n + 2, n - 2 > 2 ? n - 2 : n + 3], (x) => [`${capitalize(an(shape))} ${shape} has ${x} sides.`, `There are ${x} sides on ${an(shape)} ${shape}.`]),
);

const rectangleArea = generated((rng) => {
  const L = between(rng, 3, 12), W = between(rng, 2, 9), v = L * W;
  return numberQuestion(`What is the area of a rectangle that is ${L} cm long and ${W} cm wide?`, v, [2 * (L + W), L + W, v + L, v - W],
    (x) => [`The area is ${L} × ${W} = ${x} square centimeters.`, `The rectangle covers ${x} square centimeters.`], 'square cm');
});

const squarePerimeter = generated((rng) => {
  const s = between(rng, 3, 15), v = 4 * s;
  return numberQuestion(`What is the perimeter of a square with sides of ${s} cm?`, v, [s * s, 2 * s, 3 * s, v + 4],
    (x) => [`The perimeter is 4 × ${s} = ${x} cm.`, `All four sides together make ${x} cm.`], 'cm');
});

// [question, answer, wrong answers, long phrasings]
const SHAPE_FACTS: readonly [string, number, number[], Phrase][] = [
  ['How many degrees do the angles of a triangle add up to?', 180, [90, 360, 270, 200], (x) => [`The angles of a triangle add up to ${x} degrees.`, `A triangle's angles always sum to ${x} degrees.`]],
  ['How many degrees are in a right angle?', 90, [180, 45, 100, 60], (x) => [`A right angle measures ${x} degrees.`, `There are ${x} degrees in a right angle.`]],
  ['How many degrees are in a full turn?', 360, [180, 100, 400, 270], (x) => [`A full turn is ${x} degrees.`, `Turning all the way around is ${x} degrees.`]],
  ['How many faces does a cube have?', 6, [4, 8, 12, 5], (x) => [`A cube has ${x} faces.`, `There are ${x} faces on a cube.`]],
  ['How many edges does a cube have?', 12, [6, 8, 10, 24], (x) => [`A cube has ${x} edges.`, `There are ${x} edges on a cube.`]],
  ['How many corners does a cube have?', 8, [6, 4, 12, 10], (x) => [`A cube has ${x} corners.`, `There are ${x} corners on a cube.`]],
  ['How many days are in a leap year?', 366, [365, 364, 360, 367], (x) => [`A leap year has ${x} days.`, `There are ${x} days in a leap year.`]],
  ['How many planets are in the Solar System?', 8, [9, 7, 10, 12], (x) => [`The Solar System has ${x} planets.`, `There are ${x} planets orbiting the Sun.`]],
];
const shapeFacts = tabled(SHAPE_FACTS, ([q, v, wrong, long]) => numberQuestion(q, v, wrong, long));

const capitals = tabled(CAPITALS, ([country, capital, confused], rng) => {
  const others = sample(rng, CAPITALS.filter(([c]) => c !== country).map(([, cap]) => cap), 4);
  return nameQuestion(`What is the capital of ${country}?`, capital, [...confused, ...others].slice(0, 4),
    (x) => [`The capital of ${country} is ${x}.`, `${x} is the capital city of ${country}.`]);
});

const symbols = tabled(ELEMENTS, ([element, symbol, guesses]) =>
  nameQuestion(`What is the chemical symbol for ${element}?`, symbol, guesses, (x) => [`The chemical symbol for ${element} is ${x}.`, `${capitalize(element)} is written ${x} in chemistry.`]),
);

// [question, answer, wrong answers, long phrasings]
const PLANET_FACTS: readonly [string, string, string[], Phrase][] = [
  ...PLANETS.map((p, i): [string, string, string[], Phrase] => [
    `Which planet is ${ORDINALS[i]} from the Sun?`, p, [PLANETS[i - 1], PLANETS[i + 1], PLANETS[i + 2], PLANETS[i - 2]].filter((x): x is string => x !== undefined),
    (x) => [`The ${ORDINALS[i]} planet from the Sun is ${x}.`, `${x} is the ${ORDINALS[i]} planet out from the Sun.`],
  ]),
  ['Which is the largest planet in the Solar System?', 'Jupiter', ['Saturn', 'Neptune', 'Earth', 'Uranus'], (x) => [`The largest planet is ${x}.`, `${x} is the biggest planet in the Solar System.`]],
  ['Which planet is known as the Red Planet?', 'Mars', ['Venus', 'Jupiter', 'Mercury', 'Saturn'], (x) => [`The Red Planet is ${x}.`, `${x} is the planet called the Red Planet.`]],
  ['Which planet is famous for its wide, bright rings?', 'Saturn', ['Jupiter', 'Uranus', 'Neptune', 'Mars'], (x) => [`The planet with the famous rings is ${x}.`, `${x} is the planet known for its rings.`]],
  ['Which is the smallest planet in the Solar System?', 'Mercury', ['Mars', 'Venus', 'Earth', 'Neptune'], (x) => [`The smallest planet is ${x}.`, `${x} is the smallest planet of all.`]],
];
const planets = tabled(PLANET_FACTS, ([q, right, wrong, long]) => nameQuestion(q, right, wrong, long));

/** Every question maker with how many questions it contributes. */
export const MAKERS: readonly [Maker, number][] = [
  [multiplication, 10], [addition, 6], [subtraction, 5], [units, 10], [monthDays, 4], [dayAfter, 4], [monthAfter, 3], [nthMonth, 3],
  [polygonSides, 4], [rectangleArea, 3], [squarePerimeter, 2], [shapeFacts, 5], [capitals, 16], [symbols, 12], [planets, 6],
];
