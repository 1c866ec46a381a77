// Writing CSV (RFC 4180): CRLF line ends; a field is quoted when it holds a comma, a quote,
// a line break, or leading or trailing spaces, and quotes inside it are doubled.

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export const csvField = (text: string): string => (NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** The header and rows as one CSV text, ending with a line break. `bom` adds a UTF-8
 *  byte-order mark, which spreadsheet programs want and most other tools do not. */
export function toCsv(columns: string[], rows: string[][], opts: { bom?: boolean } = {}): string {
  const lines = [columns, ...rows].map((r) => r.map(csvField).join(','));
  return (opts.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}
