// Reading one cell as a text, a gold label or a consistency key. Keys come from the item's
// text, never from its gold label (DESIGN §2).

import type { Cell } from './table';

/** The cell as text, trimmed; null when it is absent, null or blank. */
export function cellText(cell: Cell | undefined): string | null {
  if (cell === undefined || cell === null) return null;
  const text = (typeof cell === 'string' ? cell : String(cell)).trim();
  return text === '' ? null : text;
}

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/** A gold label: true/false, 1/0, yes/no in any case, or a JSON boolean. Absent or blank:
 *  undefined (this item has no gold). Anything else: 'invalid'. */
export function parseGold(cell: Cell | undefined): boolean | undefined | 'invalid' {
  if (typeof cell === 'boolean') return cell;
  if (typeof cell === 'number') return cell === 1 ? true : cell === 0 ? false : 'invalid';
  const text = cellText(cell)?.toLowerCase();
  if (text === undefined) return undefined;
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  return 'invalid';
}

/** A claim's identity: case, spacing and trailing punctuation do not make a different answer. */
export const normaliseClaim = (text: string): string =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.!?;,]+$/, '');

// Words that carry no answer: a claim's answer is what is left of it without these and the question's words.
const FILLER = new Set('a an the is are was were it its it\'s there this that of in on at to for and or has have had be by with as i think'.split(' '));

/**
 * The answer a claim gives, as a key a person may choose at import: the claim's words that are
 * neither in its question nor filler, in order ("June has 30 days." to "How many days are in
 * June?" → "30"), so phrasings of one answer share a key without reading the gold label. A claim
 * with no words left keeps its own normalised text.
 */
export function answerWords(question: string, claim: string): string {
  const words = (t: string) => normaliseClaim(t).replace(/[^\p{L}\p{N}' ]+/gu, ' ').split(' ').filter(Boolean);
  const asked = new Set(words(question));
  const left = words(claim).filter((w) => !asked.has(w) && !FILLER.has(w));
  return left.length ? left.join(' ') : normaliseClaim(claim);
}

/** The ordering a comparison item claims, named by the two texts' identities (as the built-in
 *  task's "a>b" / "b>a"): "a" is whichever response sorts first, whatever order it is shown in,
 *  so the two orders of one pair get different keys and exactly one of them can be True. */
export function comparisonKey(response1: string, response2: string): string {
  if (response1 === response2) return 'a=b';
  return response1 < response2 ? 'a>b' : 'b>a';
}

/** A short stable name for a long text: two 32-bit FNV-1a style hashes, 16 hex digits. */
export function textHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x0100019d) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}
