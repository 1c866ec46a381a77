// Writing CSV (RFC 4180): CRLF line ends; a field is quoted when it holds a comma, a quote,
// a line break, or leading or trailing spaces, and quotes inside it are doubled.
//
// Spreadsheet formula injection (OWASP "CSV Injection"): a cell that starts with = + - @, a tab
// or a carriage return is run as a formula by Excel, LibreOffice and Google Sheets
// (=HYPERLINK(...) can send data away). Such a cell is written with a leading apostrophe, as
// spreadsheet-safe exporters do; plain numbers such as -0.5 are left as they are.

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The text a spreadsheet will show as text, never run as a formula. */
export const defuseFormula = (text: string): string => (FORMULA_START.test(text) && !NUMBER.test(text) ? `'${text}` : text);

export const csvField = (raw: string): string => {
  const text = defuseFormula(raw);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The header and rows as one CSV text, ending with a line break. `bom` adds a UTF-8
 *  byte-order mark, which spreadsheet programs want and most other tools do not. */
export function toCsv(columns: string[], rows: string[][], opts: { bom?: boolean } = {}): string {
  const lines = [columns, ...rows].map((r) => r.map(csvField).join(','));
  return (opts.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}
