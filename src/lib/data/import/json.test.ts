import { describe, expect, it, vi } from 'vitest';
import { jsonErrorOffset } from './jsonError';
import { JsonlParser, parseJson, parseJsonl } from './json';
import { formatFromName, parseChunks, sniffFormat } from './parse';
import { errors, table } from './test-results';

describe('JSON', () => {
  it('reads an array of objects, columns in order of first appearance', () => {
    const t = table(parseJson('[{"question":"q","label":true},{"question":"r","choice":"c","label":0,"meta":{"a":1}}]'));
    expect(t.columns).toEqual(['question', 'label', 'choice', 'meta']);
    expect(t.rows[0]).toEqual(['q', true, undefined, undefined]);
    expect(t.rows[1]).toEqual(['r', 0, 'c', '{"a":1}']);
  });

  it('reads {"data": [...]} and drops a byte-order mark', () => {
    expect(table(parseJson('\uFEFF{"data":[{"a":1}]}')).rows).toEqual([[1]]);
  });

  it('refuses items nested deeper than it can keep as text, with a message, instead of overflowing the stack', () => {
    const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    const [e] = errors(parseJson(`[{"q":"x"},{"q":"y","meta":${deep(5000)}}]`));
    expect(e).toMatchObject({ row: 2, message: expect.stringMatching(/^Item 2 nests objects or arrays more than 100 levels deep.*Flatten/) });
    const [l] = errors(parseJsonl(`{"q":"x"}\n{"q":${'['.repeat(5000)}${']'.repeat(5000)}}\n`));
    expect(l).toMatchObject({ row: 2, message: expect.stringMatching(/^Line 2 nests objects or arrays more than 100 levels deep/) });
    // 99 levels below the item (100 with it) are still read, as JSON text
    expect(table(parseJson(`[{"meta":${deep(99)}}]`)).rows[0][0]).toBe(deep(99));
  });

  it('refuses items with more distinct fields than the app reads', () => {
    const wide = JSON.stringify([Object.fromEntries(Array.from({ length: 20_000 }, (_, c) => [`f${c}`, c]))]);
    expect(errors(parseJson(wide))[0].message).toMatch(/^The file has 20,000 columns; this app reads at most 1,000\./);
    const lines = Array.from({ length: 1001 }, (_, r) => JSON.stringify({ q: 'x', [`extra${r}`]: 1 })).join('\n');
    expect(errors(parseJsonl(lines))[0].message).toMatch(/^The file has 1,002 columns/);
  });

  it('names what is wrong: empty, not a list, an empty list, a non-object item, invalid JSON', () => {
    expect(errors(parseJson('  \n'))[0].message).toMatch(/empty/);
    expect(errors(parseJson('{"rows":[]}'))[0].message).toMatch(/not a list of items/);
    expect(errors(parseJson('[]'))[0].message).toMatch(/no items/);
    expect(errors(parseJson('[{"a":1},"x"]'))[0]).toMatchObject({ row: 2, message: expect.stringMatching(/^Item 2 is a string/) });
    const [bad] = errors(parseJson('[\n{"a":1},\n{"a":}\n]'));
    expect(bad.message).toBe("The file is not valid JSON at line 3, column 6: Unexpected token '}'.");
  });

  it('locates the first fault of invalid JSON', () => {
    const valid = ['[]', '{}', ' [1, -2.5e3, "a\\"\\u00e9", true, false, null, {"k": [{}]}] ', '"x"'];
    for (const t of valid) expect(jsonErrorOffset(t)).toBeNull();
    expect(jsonErrorOffset('[1,]')).toBe(3);
    expect(jsonErrorOffset('[1 2]')).toBe(3);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset('{"a":1,}')).toBe(7);
    expect(jsonErrorOffset('[1,2')).toBe(4);
    expect(jsonErrorOffset('["a\\x"]')).toBe(3);
    expect(jsonErrorOffset('[01]')).toBe(2);
    expect(jsonErrorOffset('[] x')).toBe(3);
  });
});

describe('JSONL', () => {
  it('reads one object per line, skipping blank lines and CRs, whatever the chunking', () => {
    const text = '{"a":1}\r\n\r\n{"a":2,"b":"x"}\n';
    const t = table(parseJsonl(text));
    expect(t.columns).toEqual(['a', 'b']);
    expect(t.lines).toEqual([1, 3]);
    const p = new JsonlParser();
    for (const ch of text) p.push(ch);
    expect(table(p.finish())).toEqual(t);
  });

  it('reads a long line in small chunks looking at each character at most twice (line ends, then field names)', () => {
    const long = 'x'.repeat(5_000_000);
    const text = `{"a":"${long}"}\n{"a":"b"}\n`;
    // count the characters String.indexOf looks at while the parser hunts for line ends
    const indexOf = String.prototype.indexOf;
    let searched = 0;
    const spy = vi.spyOn(String.prototype, 'indexOf').mockImplementation(function (this: string, s: string, from = 0) {
      const at = indexOf.call(this, s, from);
      searched += (at === -1 ? this.length : at + 1) - from;
      return at;
    });
    const p = new JsonlParser();
    for (let i = 0; i < text.length; i += 65_536) p.push(text.slice(i, i + 65_536));
    spy.mockRestore();
    // was ~77 times the length: the whole unfinished line, per chunk; now one search for line ends and
    // one through each line's strings for a field named twice
    expect(searched).toBeLessThanOrEqual(2 * text.length);
    expect(table(p.finish()).rows).toEqual([[long], ['b']]);
  });

  it('names the line of invalid JSON and of a non-object', () => {
    const errs = errors(parseJsonl('{"a":1}\n{"a":\n[1,2]\n'));
    expect(errs[0]).toMatchObject({ row: 2, message: expect.stringMatching(/^Line 2 is not valid JSON/) });
    expect(errs[1]).toMatchObject({ row: 3, message: expect.stringMatching(/^Line 3 holds an array/) });
    expect(errors(parseJsonl('\n\n'))[0].message).toMatch(/empty/);
  });
});

describe('format', () => {
  it('comes from the extension, else from the text', () => {
    expect(formatFromName('a.CSV')).toBe('csv');
    expect(formatFromName('x.ndjson')).toBe('jsonl');
    expect(formatFromName('data.tsv')).toBe('tsv');
    expect(formatFromName('data.txt')).toBeNull();
    expect(sniffFormat('\uFEFF[{"a":1}]')).toBe('json');
    expect(sniffFormat('{"a":1}\n{"a":2}\n')).toBe('jsonl');
    expect(sniffFormat('{\n "data": []\n}')).toBe('json');
    expect(sniffFormat('a\tb\n1\t2')).toBe('tsv');
    expect(sniffFormat('a,b\n1,2')).toBe('csv');
  });

  it('streams chunks into any parser', async () => {
    async function* chunks(text: string) {
      for (let i = 0; i < text.length; i += 3) yield text.slice(i, i + 3);
    }
    expect(table(await parseChunks(chunks('a,b\n1,"2\n3"\n'), 'csv')).rows).toEqual([['1', '2\n3']]);
    expect(table(await parseChunks(chunks('[{"a":1},{"a":2}]'), 'json')).rows).toEqual([[1], [2]]);
    expect(table(await parseChunks(chunks('{"a":1}\n{"a":2}'), 'jsonl')).rows).toEqual([[1], [2]]);
  });
});

describe('what JSON.parse would accept silently (issue 21, item 9)', () => {
  it('refuses a field named twice in one object, naming the item or line and the field', () => {
    expect(errors(parseJson('[{"a":1,"b":2},{"a":1,"b":2,"a":3}]'))).toEqual([
      { message: 'Item 2 has the field "a" twice; JSON keeps only the last value, so the first would be lost without a word. Remove or rename one, then import the file again.', row: 2, field: 'a' },
    ]);
    expect(errors(parseJson('{"data":[{"x":{"k":1,"k":2}}]}'))[0].message).toMatch(/^Item 1 has the field "k" twice/); // nested, inside "data"
    expect(errors(parseJson('[{"a":1,"\\u0061":2}]'))[0].message).toMatch(/^Item 1 has the field "a" twice/); // the same name, escaped
    expect(errors(parseJsonl('{"a":1}\n{"q":"x","q":"y"}\n'))).toEqual([
      { message: 'Line 2 has the field "q" twice; JSON keeps only the last value, so the first would be lost without a word. Remove or rename one, then import the file again.', row: 2, field: 'q' },
    ]);
    // the same name in different objects, and in strings, is fine
    expect(table(parseJson('[{"a":"\\"a\\":1,","b":{"a":2}},{"a":{"a":3}},{"a":[{"a":1},{"a":2}]}]')).rows).toHaveLength(3);
  });
});

describe('NUL characters (issue 21, item 9)', () => {
  it('refuses a cell or a column name holding one, in every format, naming the row and field', async () => {
    const { parseText } = await import('./parse');
    const csv = errors(parseText('id,claim\nr1,a\u0000b\n', 'csv'));
    expect(csv).toEqual([
      { message: 'Row 1: field "claim" holds a NUL character (byte 0). A text file has none: the file may be binary, or UTF-16 without its byte-order mark. Save it as UTF-8 text and import it again.', row: 1, field: 'claim' },
    ]);
    expect(errors(parseText('[{"id":"r1","claim":"a\\u0000"}]', 'json'))[0].message).toMatch(/^Item 1: field "claim" holds a NUL character/);
    expect(errors(parseText('{"id":"r1"}\n{"id":"r\\u00002"}\n', 'jsonl'))[0].message).toMatch(/^Line 2: field "id" holds a NUL character/);
    expect(errors(parseText('i\u0000d,claim\nr1,a\n', 'csv'))[0].message).toMatch(/^The header: column 1 holds a NUL character/);
    // UTF-16 read as UTF-8: a NUL after every character
    const utf16 = Array.from('id,claim\nr1,a\n', (ch) => `${ch}\u0000`).join('');
    expect(errors(parseText(utf16, 'csv'))[0].message).toMatch(/NUL character/);
  });
});
