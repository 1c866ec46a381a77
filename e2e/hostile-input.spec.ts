// Files a careless or hostile person might give the import screen: very wide, one huge cell.
// The screen must stay usable and say what it did (issue 16).
import { expect, test } from './fixtures';
import { chooseFile } from './labeling-steps';

const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

test('a very wide file shows a capped sample and the mapped columns; one too wide is refused with a message', async ({ page }) => {
  const extra = Array.from({ length: 900 }, (_, c) => `x${c}`);
  const header = [...extra, 'question', 'claim', 'group', 'label'].join(',');
  const huge = 'y'.repeat(2_000_000);
  const row = (r: number) => [...extra.map(() => '0'), `Question ${r}?`, r === 0 ? huge : `claim ${r}`, `g${r % 5}`, r % 2 ? 'true' : 'false'].join(',');
  await chooseFile(page, csv('wide.csv', [header, ...Array.from({ length: 20 }, (_, r) => row(r))].join('\n')));
  await expect(page.getByTestId('import-mapping')).toBeVisible();
  const sample = page.getByTestId('import-sample');
  expect(await sample.locator('thead th').count()).toBeLessThanOrEqual(41); // the row number and 40 columns
  await expect(page.getByTestId('import-sample-more')).toContainText('Showing 40 of 904 columns');
  for (const c of ['question', 'claim', 'group', 'label']) await expect(sample.locator('thead th', { hasText: new RegExp(`^${c}`) }).first()).toBeVisible();
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText('more characters, not shown here; the model reads them all');
  expect((await preview.textContent())!.length).toBeLessThan(21_000);

  await page.reload();
  const tooWide = Array.from({ length: 5000 }, (_, c) => `c${c}`).join(',');
  await chooseFile(page, csv('too-wide.csv', `${tooWide}\n${'1,'.repeat(4999)}1\n`));
  await expect(page.getByTestId('import-errors')).toContainText('this app reads at most 1,000');
});

test('what the import changes it says: text that is not UTF-8, a gold column it cannot read; and it never rounds an id', async ({ page }) => {
  const latin1 = Buffer.from('question,claim,group\nWhere is Qu\xe9bec?,In Canada,g1\nWhere is Z\xfcrich?,In Switzerland,g2\n', 'latin1');
  await chooseFile(page, { name: 'latin1.csv', mimeType: 'text/csv', buffer: latin1 });
  await expect(page.getByTestId('import-note')).toContainText('read as Windows-1252 (Latin-1)');
  await expect(page.getByTestId('import-preview')).toContainText('Where is Québec?');

  await page.reload();
  await chooseFile(page, csv('maybe.csv', 'question,claim,label\nq1,c1,true\nq2,c2,maybe\nq3,c3,2\n'));
  await expect(page.getByTestId('import-note')).toContainText('Column "label" looks like the gold label, but its value in row 2 is "maybe"');

  await page.reload();
  const ids = '[{"id":9007199254740993,"question":"q","claim":"a"},{"id":9007199254740995,"question":"q","claim":"b"}]';
  await chooseFile(page, { name: 'ids.json', mimeType: 'application/json', buffer: Buffer.from(ids) });
  await expect(page.getByTestId('import-sample')).toContainText('9007199254740993');
  await expect(page.getByTestId('import-sample')).toContainText('9007199254740995');
});

test('what a text parser would take silently is refused or noted: NUL bytes, a field named twice, a number past range, a file cut in its last cell', async ({ page }) => {
  // a file that may have been cut inside its last (unquoted) cell: read, with a note naming the field
  await chooseFile(page, csv('cut.csv', 'question,group,claim\nq1,g1,c1\nq2,g2,a claim cut in the mi'));
  await expect(page.getByTestId('import-mapping')).toBeVisible();
  await expect(page.getByTestId('import-note').first()).toContainText('does not end with a line break, so it may have been cut short: check that field "claim" of its last row (row 2, line 3) is whole');

  // cut inside a quoted cell: refused, naming the row, the line and the field
  await page.reload();
  await chooseFile(page, csv('cut-quoted.csv', 'question,group,claim\nq1,g1,c1\nq2,g2,"a claim cut in the mi'));
  await expect(page.getByTestId('import-errors')).toContainText('Row 2 (from line 3), field "claim", has a quote on line 3 that is never closed before the file ends');

  // NUL bytes (UTF-16 text without its byte-order mark reads as a NUL after every character)
  await page.reload();
  const utf16 = Buffer.from('question,claim,group\nq1,c1,g1\n', 'utf16le');
  await chooseFile(page, { name: 'utf16.csv', mimeType: 'text/csv', buffer: utf16 });
  await expect(page.getByTestId('import-errors')).toContainText('holds NUL characters (byte 0)');
  await expect(page.getByTestId('import-errors')).toContainText('UTF-16 without its byte-order mark');

  // a field named twice: JSON keeps only the last value
  await page.reload();
  await chooseFile(page, { name: 'twice.json', mimeType: 'application/json', buffer: Buffer.from('[{"question":"q","claim":"a"},{"question":"q","claim":"b","claim":"c"}]') });
  await expect(page.getByTestId('import-errors')).toContainText('Item 2 has the field "claim" twice');

  // an id past a number's range is kept as written, not stored as "Infinity"
  await page.reload();
  await chooseFile(page, { name: 'big.json', mimeType: 'application/json', buffer: Buffer.from('[{"id":1e400,"question":"q","claim":"a"},{"id":2e400,"question":"q","claim":"b"}]') });
  await expect(page.getByTestId('import-sample')).toContainText('1e400');
  await expect(page.getByTestId('import-sample')).not.toContainText('Infinity');
});
