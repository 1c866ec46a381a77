// One entry point for every format: pick the parser by the file's name (or, failing that,
// by its first characters), and read the text whole or as a stream of chunks.

import { DelimitedParser } from './delimited';
import { JsonlParser, parseJson } from './json';
import type { ImportFormat, Result, Table } from './table';

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

export function parseText(text: string, format: ImportFormat): Result<Table> {
  if (format === 'json') return parseJson(text);
  const parser = format === 'jsonl' ? new JsonlParser() : new DelimitedParser(format);
  parser.push(text);
  return parser.finish();
}

/** Reads decoded text chunks (e.g. file.stream().pipeThrough(new TextDecoderStream())).
 *  CSV, TSV and JSONL are parsed as they arrive; a JSON array needs the whole text. */
export async function parseChunks(chunks: AsyncIterable<string>, format: ImportFormat): Promise<Result<Table>> {
  if (format === 'json') {
    const parts: string[] = [];
    for await (const c of chunks) parts.push(c);
    return parseJson(parts.join(''));
  }
  const parser = format === 'jsonl' ? new JsonlParser() : new DelimitedParser(format);
  for await (const c of chunks) parser.push(c);
  return parser.finish();
}
