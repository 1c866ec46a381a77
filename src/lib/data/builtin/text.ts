// Small text and randomness helpers shared by the built-in task generators.

import type { Rng } from '../../icm/rng';

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

/** Uniform integer in [lo, hi], both ends included. */
export const between = (rng: Rng, lo: number, hi: number): number => lo + rng.int(hi - lo + 1);

/** k distinct elements of xs in random order. */
export const sample = <T>(rng: Rng, xs: readonly T[], k: number): T[] => rng.shuffle([...xs]).slice(0, k);

/** The indefinite article for a word, by its first letter ("an oven", "a kilogram"). */
export const an = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a');

export const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** English words for 0–999 ("fifty-six"), digits beyond that. */
export function numberWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999) return String(n);
  if (n < 20) return ONES[n];
  if (n < 100) return TENS[Math.floor(n / 10)] + (n % 10 ? `-${ONES[n % 10]}` : '');
  const rest = n % 100;
  return `${ONES[Math.floor(n / 100)]} hundred` + (rest ? ` ${numberWords(rest)}` : '');
}

/** Digits with thousands separators, as people write them in answers ("2,500"). */
export const num = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export interface Person {
  name: string;
  they: string; // subject pronoun
  their: string; // possessive
}

export const PEOPLE: readonly Person[] = [
  { name: 'Maya', they: 'she', their: 'her' },
  { name: 'Omar', they: 'he', their: 'his' },
  { name: 'Lena', they: 'she', their: 'her' },
  { name: 'Tom', they: 'he', their: 'his' },
  { name: 'Priya', they: 'she', their: 'her' },
  { name: 'Diego', they: 'he', their: 'his' },
  { name: 'Aiko', they: 'she', their: 'her' },
  { name: 'Sam', they: 'he', their: 'his' },
  { name: 'Nora', they: 'she', their: 'her' },
  { name: 'Kwame', they: 'he', their: 'his' },
  { name: 'Sofia', they: 'she', their: 'her' },
  { name: 'Ivan', they: 'he', their: 'his' },
  { name: 'Hana', they: 'she', their: 'her' },
  { name: 'Leo', they: 'he', their: 'his' },
];
