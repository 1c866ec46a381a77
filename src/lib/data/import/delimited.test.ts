import { describe, expect, it } from 'vitest';
import { DelimitedParser, parseDelimited } from './delimited';
import { errors, table } from './test-results';

describe('CSV (RFC 4180)', () => {
  it('refuses a file wider than the app reads, with a message, before reading the whole header', () => {
    const header = Array.from({ length: 1_000_000 }, (_, c) => `c${c}`).join(',');
    const [e] = errors(parseDelimited(`${header}\n${'1,'.repeat(999_999)}1\n`, 'csv'));
    expect(e.message).toBe(
      'The file has more than 1,000 columns; this app reads at most 1,000. Keep only the columns an item needs (question, claim or responses, group, key, gold label, id) and import that.',
    );
    expect(table(parseDelimited(`${Array.from({ length: 1000 }, (_, c) => `c${c}`).join(',')}\n${'1,'.repeat(999)}1\n`, 'csv')).columns).toHaveLength(1000);
  });

  it('reads a header and rows', () => {
    const t = table(parseDelimited('a,b\n1,2\n3,4\n', 'csv'));
    expect(t.columns).toEqual(['a', 'b']);
    expect(t.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(t.lines).toEqual([2, 3]);
  });

  it('keeps quoted separators, line breaks and doubled quotes, and CRLF', () => {
    const text = 'q,claim\r\n"Why, though?","Line one\r\nline two ""quoted"""\r\nplain,"x"\r\n';
    const t = table(parseDelimited(text, 'csv'));
    expect(t.rows).toEqual([
      ['Why, though?', 'Line one\r\nline two "quoted"'],
      ['plain', 'x'],
    ]);
    expect(t.lines).toEqual([2, 4]); // the second row starts after the quoted line break
  });

  it('drops a UTF-8 byte-order mark', () => {
    const t = table(parseDelimited('\uFEFFquestion,label\nq,1\n', 'csv'));
    expect(t.columns).toEqual(['question', 'label']);
  });

  it('reads a last row without a line break, empty fields and a lone CR', () => {
    expect(table(parseDelimited('a,b,c\r1,,\r,2,', 'csv')).rows).toEqual([
      ['1', '', ''],
      ['', '2', ''],
    ]);
  });

  it('skips blank lines', () => {
    expect(table(parseDelimited('a,b\n\n1,2\n\n\n3,4', 'csv')).rows).toHaveLength(2);
  });

  it('gives the same table whatever the chunking', () => {
    const text = '\uFEFFa,b\r\n"x,""y""\r\nz",2\r\n3,"4"\r\n';
    const whole = table(parseDelimited(text, 'csv'));
    for (let size = 1; size <= 5; size++) {
      const p = new DelimitedParser('csv');
      for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size));
      expect(table(p.finish())).toEqual(whole);
    }
  });

  it('reads TSV with tabs, quotes allowed', () => {
    const t = table(parseDelimited('question\tclaim\nWhat, exactly?\t"a\tb"\n', 'tsv'));
    expect(t.rows).toEqual([['What, exactly?', 'a\tb']]);
  });

  it('names an empty file, a header-only file and a repeated column', () => {
    expect(errors(parseDelimited('', 'csv'))[0].message).toMatch(/empty/);
    expect(errors(parseDelimited('\uFEFF\r\n', 'csv'))[0].message).toMatch(/empty/);
    expect(errors(parseDelimited('a,b\r\n', 'csv'))[0].message).toMatch(/header row but no data rows/);
    const [e] = errors(parseDelimited('a,b,a\n1,2,3', 'csv'));
    expect(e).toMatchObject({ field: 'a' });
    expect(e.message).toMatch(/columns 1 and 3/);
  });

  it('names the row and field of a ragged row', () => {
    const [short, long] = errors(parseDelimited('question,claim,label\nq,c,1\n"two\nlines",c\nq,c,1,extra\n', 'csv'));
    expect(short).toMatchObject({ row: 2, field: 'label' });
    expect(short.message).toMatch(/^Row 2 has 2 fields but the header has 3: field "label"/);
    expect(long).toMatchObject({ row: 3, field: null });
    expect(long.message).toMatch(/^Row 3 \(line 5\) has 4 fields/);
  });

  it('names the row of a quote that is never closed, and text after a closing quote', () => {
    const [open] = errors(parseDelimited('a,b\n1,2\n3,"never closed\n', 'csv'));
    expect(open).toMatchObject({ row: 2, field: 'b' });
    expect(open.message).toMatch(/Row 2 .*line 3.*never closed/);
    const [after] = errors(parseDelimited('a,b\n"x"y,2\n', 'csv'));
    expect(after).toMatchObject({ row: 1, field: 'a' });
    expect(after.message).toMatch(/text after a closing quote/);
  });

  // how fast is measured by npm run bench (import.rows50000.parseMs), not asserted: a busy machine slows any test
  it('parses 50 000 rows with quoted fields', () => {
    const lines = ['id,question,claim,answer,consistency_id,label'];
    for (let i = 0; i < 50_000; i++)
      lines.push(`${i},"What is ${i % 977} + ${i % 13}, roughly?","First, add them.\nThe answer is ""${(i % 977) + (i % 13)}"".",${(i % 977) + (i % 13)},${i >> 2},${i % 3 === 0 ? 'True' : i % 3 === 1 ? '0' : 'yes'}`);
    const text = lines.join('\r\n');
    const t = table(parseDelimited(text, 'csv'));
    expect(t.rows).toHaveLength(50_000);
    expect(t.rows[49_999][2]).toBe(`First, add them.\nThe answer is "${(49_999 % 977) + (49_999 % 13)}".`);
    expect(t.lines[49_999]).toBe(2 + 2 * 49_999);
  });

  it('names the row, the line and the field of a quote error (issue 21, item 9)', () => {
    const [after] = errors(parseDelimited('id,question,claim\nr1,q,"fine"\nr2,"broken" quote,c\n', 'csv'));
    expect(after).toEqual({
      message: 'Row 2 (from line 3), field "question", has text after a closing quote on line 3. Put the whole field in quotes and double any quote inside it ("").',
      row: 2,
      field: 'question',
    });
    const [header] = errors(parseDelimited('id,"question"x,claim\n', 'csv'));
    expect(header.message).toMatch(/^The header, column 2, has text after a closing quote on line 1/);
    const [tsv] = errors(parseDelimited('a\tb\n1\t"2"3\n', 'tsv'));
    expect(tsv).toMatchObject({ row: 1, field: 'b', message: expect.stringMatching(/^Row 1 \(from line 2\), field "b", has text after/) });
  });

  it('a file cut inside a quoted last cell is refused, saying it may have been cut short, and naming the field', () => {
    const [cut] = errors(parseDelimited('id,question,claim\nr1,q,"a claim\nthat goes o', 'csv'));
    expect(cut).toEqual({
      message:
        'Row 1 (from line 2), field "claim", has a quote on line 2 that is never closed before the file ends. If the file was cut short (an interrupted download or copy), import the whole file; otherwise close the quote, or double it ("") if it is part of the text.',
      row: 1,
      field: 'claim',
    });
  });

  it('a file that may have been cut inside an unquoted last cell is read with a note naming the field to check', () => {
    const t = table(parseDelimited('id,question,claim\nr1,q,whole\nr2,q,cut in the mid', 'csv'));
    expect(t.rows[1]).toEqual(['r2', 'q', 'cut in the mid']);
    expect(t.notes).toEqual(['The file does not end with a line break, so it may have been cut short: check that field "claim" of its last row (row 2, line 3) is whole. It ends "cut in the mid".']);
    expect(table(parseDelimited('id,question,claim\nr1,q,whole\n', 'csv')).notes).toBeUndefined();
    expect(table(parseDelimited('id,question,claim\nr1,q,"quoted"', 'csv')).notes).toBeUndefined(); // its closing quote shows it is whole
  });
});
