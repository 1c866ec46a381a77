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

/** An item's text on one line for the table: the prompt's fixed closing lines dropped (the
 *  detail shows the whole text), white space collapsed, at most 240 characters. */
export function oneLine(text: string): string {
  const body = text.replace(/\nClaim: Response 1 is better than Response 2\.(?=\n)/, '').replace(/\nI think this claim is$/, '');
  return (body.length > 240 ? body.slice(0, 240) : body).replace(/\s+/g, ' ');
}
