// Shared steps of the labeling specs: files the tests write themselves, the import through the
// UI, a run on the imported data, and reading a download.
import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { expect } from './fixtures';
import { chooseSpeed } from './helpers';

export interface FilePayload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** 150 questions with 2 proposed answers each, one right: a byte-order mark, CRLF line ends, a
 *  quoted newline in every problem, gold spelled true / True / 1 / yes and false / FALSE / 0 / no,
 *  and column names the mapping guess does not know (so a person maps them). Balanced, and big
 *  enough for the default pool of 128: with fewer demonstrations (or far fewer True items) the
 *  simulated model's lean toward True outweighs what the demonstrations teach it. */
export function sumsCsv(): FilePayload {
  const lines = ['\uFEFFitem,problem,proposed,final,qid,verdict'];
  const spell = [['true', 'True', '1', 'yes'], ['false', 'FALSE', '0', 'no']];
  for (let q = 0; q < 150; q++)
    for (let a = 0; a < 2; a++) {
      const right = (q + a) % 2 === 0; // the right answer comes first in half the questions
      const answer = q + (right ? 0 : 1 + (q % 3));
      lines.push(`q${q}a${a},"What is ${q} + 0?\nShow the work.","${q} + 0 = ${answer}",${answer},q${q},${spell[right ? 0 : 1][(q + a) % 4]}`);
    }
  return { name: 'sums.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n')) };
}

/** n rows of a factual task whose columns the guess maps by itself. */
export function bigCsv(n: number): FilePayload {
  const lines = ['id,question,claim,group,label'];
  for (let i = 0; i < n; i++) {
    const g = Math.floor(i / 4);
    lines.push(`r${i},"Which city is the capital of country ${g}?","City ${g}-${i % 4}${i % 7 === 0 ? ', by the river' : ''}",c${g},${i % 4 === 0 ? 'true' : 'false'}`);
  }
  return { name: `rows-${n}.csv`, mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) };
}

/** Opens the import page and gives the file to its picker; resolves when the mapping step shows. */
export async function chooseFile(page: Page, file: FilePayload): Promise<void> {
  if (!page.url().includes('#import')) await page.goto('/#import');
  await expect(page.getByTestId('import-screen')).toBeVisible();
  await page.getByTestId('import-file').setInputFiles(file);
}

/** Maps the sums file's fields as a person would, the way the guess cannot. */
export async function mapSums(page: Page): Promise<void> {
  const mapping = page.getByTestId('import-mapping');
  await expect(mapping).toBeVisible();
  await page.getByTestId('map-kind-math').check();
  await page.getByTestId('map-claim').selectOption('proposed');
  await page.getByTestId('map-group').selectOption('qid');
  await page.getByTestId('map-key').selectOption('column:final');
  await page.getByTestId('map-gold').selectOption('verdict');
  await page.getByTestId('map-id').selectOption('item');
}

/** Saves the mapped file under `name`; resolves when it is stored. */
export async function saveImport(page: Page, name: string): Promise<void> {
  await page.getByTestId('import-name').fill(name);
  await page.getByTestId('btn-import-save').click();
  await expect(page.getByTestId('import-saved')).toBeVisible({ timeout: 60_000 });
}

/** From the saved notice, a run on the new dataset through the set-up screen. */
/** Creates a run on an imported dataset, set to play as fast as the model allows (the tests' pace). */
export async function createRunOnImported(page: Page, name: string, opts: { iterations: number; poolSize?: number }): Promise<void> {
  await page.getByTestId('btn-run-imported').click();
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  const card = page.locator('[data-testid^="task-"]').filter({ hasText: name });
  await expect(card).toHaveClass(/selected/); // the new dataset is preselected
  await page.getByTestId('input-iterations').fill(String(opts.iterations));
  if (opts.poolSize !== undefined) await page.getByTestId('input-poolSize').fill(String(opts.poolSize));
  await page.getByTestId('btn-create').click();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await chooseSpeed(page, 'max'); // a new run plays at 5 steps a second, for a person to follow
}

export async function downloadText(page: Page, click: () => Promise<void>): Promise<{ download: Download; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return { download, text: await readFile(path, 'utf8') };
}
