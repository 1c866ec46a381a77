// How the review screens write provenance and labels in tight columns.
import type { Provenance } from '../../lib/export/labels';

export function provenanceText(p: Provenance | null): string {
  switch (p) {
    case 'icm':
      return 'ICM';
    case 'human':
      return 'human';
    case 'label-the-rest':
      return 'rest';
    default:
      return '—';
  }
}

/** T / F / — for the per-method columns. */
export const shortLabel = (label: boolean | null): string => (label === null ? '—' : label ? 'T' : 'F');

// words, not abbreviations ("boot. gold-fs rand. zero" read as a code); the header wraps them
const shortNames: Record<string, string> = {
  'Zero-shot': 'Zero-shot',
  'Few-shot, random labels': 'Random few-shot',
  'Bootstrapped few-shot': 'Boot-strapped',
  'Few-shot, gold labels': 'Gold few-shot',
};

/** A baseline's name in a narrow column header, on two lines at most (the full name is its tooltip). */
export const methodShort = (name: string): string => shortNames[name] ?? name;

/** An item's text on one line for the table, what tells it from the others in its group first:
 *  the claim, then its question (a narrow table showed "Question: …" alike on every row); for a
 *  comparison both responses, then the instruction. The prompt's fixed lines are dropped (the
 *  detail shows the whole text), white space collapsed, at most 240 characters. */
export function oneLine(text: string): string {
  const body = text.replace(/\nI think this claim is$/, '');
  const pair = /^Human: ([\s\S]*)\nResponse 1: ([\s\S]*)\nResponse 2: ([\s\S]*)\nClaim: Response 1 is better than Response 2\.$/.exec(body);
  const claim = /^Question: ([\s\S]*)\nClaim: ([\s\S]*)$/.exec(body);
  const line = pair ? `1: ${pair[2]} · 2: ${pair[3]} · ${pair[1]}` : claim ? `${claim[2]} · ${claim[1]}` : body;
  return (line.length > 240 ? line.slice(0, 240) : line).replace(/\s+/g, ' ');
}
