// Instructions for the pairwise-comparison task, each with a good answer (short and explained)
// and a wrong one (short and explained). comparison.ts adds the other ways a response can be
// worse (off-topic, rude, truncated, padded) and pairs them up.

import type { Rng } from '../../icm/rng';
import { CAPITALS } from './factualFacts';
import { an, between, capitalize, num, sample } from './text';

export interface Instruction {
  instruction: string;
  goodShort: string;
  goodLong: string;
  wrongShort: string;
  wrongLong: string;
}

export type InstructionMaker = (rng: Rng, count: number) => Instruction[];

/** `count` instructions from a generator, skipping repeats. */
const generated = (make: (rng: Rng) => Instruction): InstructionMaker => (rng, count) => {
  const out = new Map<string, Instruction>();
  while (out.size < count) {
    const it = make(rng);
    out.set(it.instruction, it);
  }
  return [...out.values()];
};

const tabled = <T>(rows: readonly T[], make: (row: T, rng: Rng) => Instruction): InstructionMaker => (rng, count) =>
  sample(rng, rows, count).map((row) => make(row, rng));

const addition = generated((rng) => {
  // ones digits that carry, so the wrong answer is the classic forgotten carry
  const a1 = between(rng, 2, 8), b1 = between(rng, 10 - a1, 9), a = between(rng, 1, 6) * 10 + a1, b = between(rng, 1, 3) * 10 + b1;
  const v = a + b, tens = a - a1 + b - b1, ones = a1 + b1;
  return {
    instruction: `What is ${a} + ${b}?`,
    goodShort: `${a} + ${b} = ${v}.`,
    goodLong: `${a} + ${b} = ${v}. The tens give ${tens} and the ones give ${ones}, so the total is ${tens} + ${ones} = ${v}.`,
    wrongShort: `${a} + ${b} = ${v - 10}.`,
    wrongLong: `${a} + ${b} = ${v - 10}. The tens give ${tens} and the ones give ${ones - 10}, so the total is ${tens} + ${ones - 10} = ${v - 10}.`,
  };
});

const multiplication = generated((rng) => {
  const a = between(rng, 3, 12), b = between(rng, 3, 9), v = a * b, w = v - a; // one group short
  return {
    instruction: `What is ${a} × ${b}?`,
    goodShort: `${v}.`,
    goodLong: `${a} × ${b} = ${v}, because ${b} groups of ${a} make ${v}.`,
    wrongShort: `${w}.`,
    wrongLong: `${a} × ${b} = ${w}, because ${b} groups of ${a} make ${w}.`,
  };
});

// [from (plural), from (singular), to, factor, a factor people confuse it with]
const UNITS: readonly [string, string, string, number, number][] = [
  ['kilometers', 'kilometer', 'meters', 1000, 100], ['meters', 'meter', 'centimeters', 100, 10], ['kilograms', 'kilogram', 'grams', 1000, 100],
  ['liters', 'liter', 'milliliters', 1000, 100], ['hours', 'hour', 'minutes', 60, 100], ['minutes', 'minute', 'seconds', 60, 100],
  ['feet', 'foot', 'inches', 12, 10], ['yards', 'yard', 'feet', 3, 12], ['days', 'day', 'hours', 24, 12],
  ['weeks', 'week', 'days', 7, 5], ['years', 'year', 'months', 12, 10], ['centimeters', 'centimeter', 'millimeters', 10, 100],
];
const units = tabled(UNITS, ([from, one, to, factor, confused], rng) => {
  const q = between(rng, 2, 9);
  const explain = (f: number) => `There are ${num(f)} ${to} in ${an(one)} ${one}, so ${q} ${from} is ${q} × ${num(f)} = ${num(q * f)} ${to}.`;
  return {
    instruction: `Convert ${q} ${from} to ${to}.`,
    goodShort: `${num(q * factor)} ${to}.`,
    goodLong: explain(factor),
    wrongShort: `${num(q * confused)} ${to}.`,
    wrongLong: explain(confused),
  };
});

const capitals = tabled(CAPITALS, ([country, capital, confused]) => {
  const wrong = confused[0];
  return {
    instruction: `What is the capital of ${country}?`,
    goodShort: `${capital}.`,
    goodLong: `The capital of ${country} is ${capital}. Many people guess ${wrong}, but the capital is ${capital}.`,
    wrongShort: `${wrong}.`,
    wrongLong: `The capital of ${country} is ${wrong}. It is one of the best-known cities in the country.`,
  };
});

// [word, synonym, another synonym, an antonym]
const SYNONYMS: readonly [string, string, string, string][] = [
  ['happy', 'joyful', 'cheerful', 'sad'], ['big', 'large', 'huge', 'small'], ['fast', 'quick', 'rapid', 'slow'],
  ['begin', 'start', 'commence', 'finish'], ['smart', 'clever', 'bright', 'foolish'], ['cold', 'chilly', 'freezing', 'hot'],
  ['angry', 'furious', 'annoyed', 'calm'], ['tired', 'exhausted', 'weary', 'energetic'], ['easy', 'simple', 'effortless', 'difficult'],
  ['brave', 'courageous', 'bold', 'cowardly'], ['quiet', 'silent', 'hushed', 'noisy'], ['rich', 'wealthy', 'affluent', 'poor'],
];
const synonyms = tabled(SYNONYMS, ([word, syn, syn2, ant]) => ({
  instruction: `Give a synonym for the word "${word}".`,
  goodShort: `${capitalize(syn)}.`,
  goodLong: `A good synonym for "${word}" is "${syn}". "${capitalize(syn2)}" also works, depending on the sentence.`,
  wrongShort: `${capitalize(ant)}.`,
  wrongLong: `A good synonym for "${word}" is "${ant}". Both words describe the same kind of thing.`,
}));

// [noun, plural, the over-regular plural people write]
const PLURALS: readonly [string, string, string][] = [
  ['mouse', 'mice', 'mouses'], ['child', 'children', 'childs'], ['goose', 'geese', 'gooses'], ['tooth', 'teeth', 'tooths'],
  ['foot', 'feet', 'foots'], ['man', 'men', 'mans'], ['ox', 'oxen', 'oxes'], ['leaf', 'leaves', 'leafs'],
  ['knife', 'knives', 'knifes'], ['wolf', 'wolves', 'wolfs'], ['sheep', 'sheep', 'sheeps'], ['woman', 'women', 'womans'],
];
const plurals = tabled(PLURALS, ([noun, plural, wrong]) => ({
  instruction: `What is the plural of "${noun}"?`,
  goodShort: `${capitalize(plural)}.`,
  goodLong: `The plural of "${noun}" is "${plural}". It is irregular, so you do not just add -s.`,
  wrongShort: `${capitalize(wrong)}.`,
  wrongLong: `The plural of "${noun}" is "${wrong}". Like most nouns, you just add -s or -es.`,
}));

const WORDS = ['planet', 'garden', 'window', 'orange', 'silver', 'rocket', 'pencil', 'butter', 'castle', 'forest', 'marble', 'tunnel', 'basket', 'candle'];
const reverse = tabled(WORDS, (word, rng) => {
  const right = [...word].reverse().join('');
  // swap two different inner letters
  const spots = Array.from({ length: word.length - 3 }, (_, k) => k + 1).filter((k) => right[k] !== right[k + 1]);
  const i = spots[rng.int(spots.length)];
  const wrong = right.slice(0, i) + right[i + 1] + right[i] + right.slice(i + 2);
  return {
    instruction: `Spell the word "${word}" backwards.`,
    goodShort: `${right}.`,
    goodLong: `Reading "${word}" from the last letter to the first gives "${right}".`,
    wrongShort: `${wrong}.`,
    wrongLong: `Reading "${word}" from the last letter to the first gives "${wrong}".`,
  };
});

const sorting = generated((rng) => {
  const xs = sample(rng, Array.from({ length: 98 }, (_, i) => i + 2), between(rng, 4, 5));
  const sorted = [...xs].sort((a, b) => a - b);
  const bad = [...sorted];
  const i = between(rng, 1, bad.length - 3);
  [bad[i], bad[i + 1]] = [bad[i + 1], bad[i]];
  const explain = (ys: number[]) => `From smallest to largest: ${ys.join(', ')}. The smallest is ${ys[0]} and the largest is ${ys[ys.length - 1]}.`;
  return {
    instruction: `Sort these numbers from smallest to largest: ${xs.join(', ')}.`,
    goodShort: `${sorted.join(', ')}.`,
    goodLong: explain(sorted),
    wrongShort: `${bad.join(', ')}.`,
    wrongLong: explain(bad),
  };
});

// Advice the project wrote: [instruction, good short, good long, bad short, bad long]
const ADVICE: readonly [string, string, string, string, string][] = [
  ['Give me one tip for sleeping better.', 'Go to bed at the same time every night.',
    'Keep a regular schedule: go to bed and wake up at the same time every day, even on weekends. Your body learns when to feel sleepy.',
    'Drink a strong coffee before bed.', 'Have a big cup of strong coffee right before bed. The warm drink will relax you and help you drift off faster.'],
  ['How can I save money on groceries?', 'Make a shopping list and stick to it.',
    'Plan your meals for the week, write a shopping list, and stick to it. Buying only what you need cuts impulse purchases and waste.',
    'Shop while you are hungry.', 'Go shopping when you are really hungry, so you notice everything you might want and can buy it all at once.'],
  ['Suggest a way to stay hydrated during the day.', 'Carry a water bottle and sip often.',
    'Keep a refillable water bottle with you and take a few sips every hour. Having it in sight makes it easy to remember.',
    'Drink only soda.', 'Replace your water with soda. It is mostly liquid anyway, and the sugar gives you energy to keep going.'],
  ['What is a good way to remember new vocabulary?', 'Review the words with flashcards every day.',
    'Use flashcards and review them a little every day, spacing out the words you already know. Short, regular reviews beat one long session.',
    'Read the list once and never again.', 'Read the word list once, very quickly, the night before you need it. Going over it again just wastes time.'],
  ['How do I keep a houseplant healthy?', 'Water it when the top of the soil feels dry.',
    'Water it when the top of the soil feels dry and keep it near a window with indirect light. Most houseplants suffer more from too much water than too little.',
    'Water it three times a day.', 'Pour water on it three times a day, every day, no matter what. A plant can never have too much water.'],
  ['Give one tip for writing a clear email.', 'Put the main point in the first sentence.',
    'State your main point or request in the first sentence, then add the details. Keep paragraphs short so the reader can skim.',
    'Make it as long as possible.', 'Write as much as you can and save your actual request for the very end, so the reader has to go through everything first.'],
  ['How can I feel less stressed before an exam?', 'Take short breaks and get enough sleep.',
    'Study in short sessions with breaks, get a full night of sleep before the exam, and take a few slow breaths when you feel tense.',
    'Stay up all night cramming.', 'Skip sleep and cram all night before the exam. If you are exhausted, you will be too tired to feel nervous.'],
  ['What should I do about a small cut on my finger?', 'Wash it, stop the bleeding, and put on a bandage.',
    'Rinse the cut under clean water, press gently with a clean cloth until the bleeding stops, then cover it with a bandage.',
    'Just ignore it.', 'Ignore it and carry on with what you were doing. Small cuts heal better if you leave them dirty and uncovered.'],
  ['How can I make my phone battery last longer?', 'Lower the screen brightness.',
    'Lower the screen brightness and close apps you are not using. The screen is usually the biggest drain on the battery.',
    'Keep the screen at full brightness.', 'Turn the screen brightness all the way up and keep every app open, so the phone does not waste energy restarting them.'],
  ['What is a good way to start learning to cook?', 'Start with a few simple recipes.',
    'Pick three or four simple recipes you like and cook them until they feel easy. Then add one new dish at a time.',
    'Start with the hardest dish you know.', 'Begin with the most complicated recipe you can find, like a five-course dinner. Simple dishes teach you nothing.'],
];
const advice = tabled(ADVICE, ([instruction, goodShort, goodLong, wrongShort, wrongLong]) => ({ instruction, goodShort, goodLong, wrongShort, wrongLong }));

// [phrase, language, translation, a common mix-up]
const PHRASES: readonly [string, string, string, string][] = [
  ['thank you', 'Spanish', 'Gracias', 'Por favor'], ['good night', 'Spanish', 'Buenas noches', 'Buenos días'], ['hello', 'French', 'Bonjour', 'Au revoir'],
  ['thank you', 'French', 'Merci', "S'il vous plaît"], ['thank you', 'German', 'Danke', 'Bitte'], ['good night', 'German', 'Gute Nacht', 'Guten Morgen'],
  ['please', 'Italian', 'Per favore', 'Grazie'], ['goodbye', 'Italian', 'Arrivederci', 'Buongiorno'], ['yes', 'German', 'Ja', 'Nein'],
  ['water', 'Spanish', 'Agua', 'Leche'],
];
const translation = tabled(PHRASES, ([phrase, language, right, wrong]) => {
  const explain = (x: string) => `In ${language}, "${phrase}" is "${x}". It works in both casual and polite conversation.`;
  return { instruction: `How do you say "${phrase}" in ${language}?`, goodShort: `${right}.`, goodLong: explain(right), wrongShort: `${wrong}.`, wrongLong: explain(wrong) };
});

/** Every instruction maker with how many pairs it contributes. */
export const MAKERS: readonly [InstructionMaker, number][] = [
  [addition, 15], [multiplication, 15], [units, 12], [capitals, 18], [synonyms, 10], [plurals, 10], [reverse, 12], [sorting, 20], [advice, 9], [translation, 9],
];
