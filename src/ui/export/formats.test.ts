import { describe, expect, it } from 'vitest';
import { labelsCsv, labelsJsonl, mergeLabels } from '../../lib/export/labels';
import type { Dataset } from '../../lib/data/types';
import { exportSummary, formats } from './formats';

const dataset = (kind: Dataset['kind']): Dataset => ({
  id: 'd',
  name: 'd',
  kind,
  description: '',
  items: ['a', 'b', 'c'].map((id) => ({ id, group: 'g', key: id, question: 'q', claim: `c-${id}`, ...(kind === 'comparison' ? { response2: 'r2' } : {}) })),
});

describe('export descriptions match the files', () => {
  for (const kind of ['math', 'comparison'] as const) {
    it(`names exactly the ${kind} labels columns, in order`, () => {
      const ds = dataset(kind);
      const labels = mergeLabels(3, { icm: [{ item: 0, label: true }], human: [{ item: 2, label: false }] });
      const header = labelsCsv(ds, labels).split('\r\n')[0];
      const csvHint = formats(kind).find((f) => f.format === 'labels-csv')!.hint;
      expect(csvHint.startsWith(header.replace(/,/g, ', ') + ' per item')).toBe(true);
      const keys = Object.keys(JSON.parse(labelsJsonl(ds, labels).split('\n')[0]) as object);
      expect(keys.join(',')).toBe(header);
      expect(formats(kind).find((f) => f.format === 'labels-jsonl')!.hint).toContain(keys.join(', '));
    });
  }

  it('says the files are in file order, which they are, and why preference pairs are off', () => {
    const labels = mergeLabels(3, { icm: [{ item: 0, label: true }], human: [{ item: 2, label: false }] });
    expect(labelsJsonl(dataset('math'), labels).split('\n').slice(0, 2).map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['a', 'c']);
    expect(exportSummary).toMatch(/in file order/);
    expect(exportSummary).not.toMatch(/decisions first/);
    expect(formats('math').find((f) => f.format === 'preference')!.unavailable).toMatch(/comparison/);
  });
});
