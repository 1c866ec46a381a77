// One entry point for every format: pick the parser by the file's name (or, failing that,
// by its first characters), and read the text whole or as a stream of chunks.

import { DelimitedParser } from './delimited';
import { JsonlParser, parseJson } from './json';
import { withoutNul, type ImportFormat, type Result, type Table } from './table';

/** The format a file name says, or null when its extension is not one we read. */
export function formatFromName(name: string): ImportFormat | null {
  const ext = /\.([a-z]+)$/i.exec(name.trim())?.[1]?.toLowerCase();
  switch (ext) {
    case 'csv':
      return 'csv';
    case 'tsv':
    case 'tab':
      return 'tsv';
    case 'json':
      return 'json';
    case 'jsonl':
    case 'ndjson':
      return 'jsonl';
    default:
      return null;
  }
}

/** A guess from the text itself: JSON starts with [ or {, one object per line is JSONL, a tab in the first line is TSV. */
export function sniffFormat(head: string): ImportFormat {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('[')) return 'json';
  if (text.startsWith('{')) {
    const lines = text.split('\n', 3).filter((l) => l.trim() !== '');
    const oneObjectPerLine = lines.length > 1 && lines.every((l) => l.trim().startsWith('{') && l.trim().endsWith('}'));
    return oneObjectPerLine ? 'jsonl' : 'json';
  }
  const firstLine = text.split('\n', 1)[0];
  return firstLine.includes('\t') && !firstLine.includes(',') ? 'tsv' : 'csv';
}

// NUL: a JSON string may also hold one written as \u0000, which only the parsed cells show
const mayHoldNul = (text: string, format: ImportFormat) => text.includes('\0') || ((format === 'json' || format === 'jsonl') && text.includes('\\u0000'));

export function parseText(text: string, format: ImportFormat): Result<Table> {
  if (format === 'json') return withoutNul(parseJson(text), mayHoldNul(text, format));
  const parser = format === 'jsonl' ? new JsonlParser() : new DelimitedParser(format);
  parser.push(text);
  return withoutNul(parser.finish(), mayHoldNul(text, format));
}

/** Reads decoded text chunks (e.g. file.stream().pipeThrough(new TextDecoderStream())).
 *  CSV, TSV and JSONL are parsed as they arrive; a JSON array needs the whole text. */
export async function parseChunks(chunks: AsyncIterable<string>, format: ImportFormat): Promise<Result<Table>> {
  if (format === 'json') {
    const parts: string[] = [];
    for await (const c of chunks) parts.push(c);
    const text = parts.join('');
    return withoutNul(parseJson(text), mayHoldNul(text, format));
  }
  const parser = format === 'jsonl' ? new JsonlParser() : new DelimitedParser(format);
  let nul = false;
  let tail = ''; // "\u0000" may be split across two chunks
  for await (const c of chunks) {
    nul ||= mayHoldNul(tail + c, format);
    tail = c.slice(-5);
    parser.push(c);
  }
  return withoutNul(parser.finish(), nul);
}
