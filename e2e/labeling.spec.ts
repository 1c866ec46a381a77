// Your own data, end to end: import a CSV through the UI and map its fields, run ICM on it with
// the simulated model, label the rest, compare with the baselines, review with the keyboard,
// export labels and the project file, and restore that file in a fresh browser profile.
import { isLocal, expect, test } from './fixtures';
import { chooseFile, createRunOnImported, downloadText, mapSums, saveImport, sumsCsv } from './labeling-steps';

test('import, run, review with the keyboard, export, and restore in a fresh profile', async ({ page, browser }) => {
  await chooseFile(page, sumsCsv());
  await expect(page.getByTestId('import-summary')).toHaveText(/CSV · 300 rows · 6 columns/);
  await expect(page.getByTestId('btn-import-save')).toBeDisabled(); // the claim is not mapped yet
  await mapSums(page);
  // the exact text the model reads, the quoted newline kept
  await page.getByTestId('preview-row').fill('2');
  await expect(page.getByTestId('import-preview')).toHaveText('Question: What is 0 + 0?\nShow the work.\nClaim: 0 + 0 = 1\nI think this claim is');
  await saveImport(page, 'Sums e2e');
  await expect(page.getByTestId('import-saved')).toContainText('300 items in 150 groups, with gold labels');

  await createRunOnImported(page, 'Sums e2e', { iterations: 400, poolSize: 128 });
  await page.getByTestId('btn-play').click();
  await expect(page.getByTestId('status')).toHaveText('Finished', { timeout: 240_000 });

  // the review: 128 items labeled by ICM, 172 to label
  await page.getByTestId('tab-review').click();
  await expect(page).toHaveURL(/#run=.*&view=review/);
  await expect(page.getByTestId('review-screen')).toBeVisible();
  await expect(page.getByTestId('review-table')).toHaveAttribute('data-rows', '300');
  await page.getByTestId('btn-label-rest').click();
  await expect(page.getByTestId('rest-done')).toContainText('172 from label the rest', { timeout: 30_000 });

  await page.getByTestId('btn-baselines').click();
  await expect(page.getByTestId('baseline-row')).toHaveCount(5, { timeout: 30_000 });
  await expect(page.getByTestId('baseline-row').first()).toContainText('ICM');
  await expect(page.getByTestId('baseline-accuracy').first()).toHaveText(/^\d+\.\d% \(\d+\.\d%–\d+\.\d%, n=\d+\)$/);
  await expect(page.getByTestId('agreement-matrix')).toBeVisible();

  // keyboard: flip the first item, accept the second, undo the accept (in file order)
  await page.getByTestId('review-sort').selectOption('dataset');
  const rows = page.getByTestId('review-row');
  const first = rows.nth(0);
  // a row's text starts with what tells it from its group (the claim), even on a phone (issue 25, item 9)
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [k, claim] of [[0, '0 + 0 = 0'], [1, '0 + 0 = 1']] as const) {
    const text = rows.nth(k).locator('.text');
    await expect(text).toHaveText(new RegExp(`^${claim.replace(/\+/g, '\\+')} · What is 0 \\+ 0\\? Show the work\\.$`));
    expect((await text.boundingBox())?.width ?? 0).toBeGreaterThan(60);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await first.click();
  const before = await first.getByTestId('review-label').textContent();
  const flipped = before === 'True' ? 'False' : 'True';
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await expect(page.getByTestId('detail-id')).toHaveText('q0a0');
  await page.keyboard.press('f');
  await expect(first.getByTestId('review-label')).toHaveText(flipped);
  await expect(first.getByTestId('review-provenance')).toHaveText('human');
  await expect(page.getByTestId('detail-id')).toHaveText('q0a1'); // moved on
  await page.keyboard.press('a');
  await expect(rows.nth(1).getByTestId('review-provenance')).toHaveText('human');
  await page.keyboard.press('u');
  await expect(rows.nth(1).getByTestId('review-provenance')).not.toHaveText('human');
  await expect(page.getByTestId('review-status')).toContainText('Undone');
  await expect(page.getByTestId('review-counts')).toContainText('1 by you');
  // filter to the person's decisions
  await page.getByTestId('review-source').selectOption('human');
  await expect(page.getByTestId('review-table')).toHaveAttribute('data-rows', '1');
  await page.getByTestId('review-source').selectOption('all');

  // export the labels: the flip is in the file as a person's label
  const labels = await downloadText(page, () => page.getByTestId('btn-export-labels-csv').click());
  // the run's name (data, model, seed, short id) and the time: two runs or two exports never share a name
  expect(labels.download.suggestedFilename()).toMatch(/^sums-e2e-simulated-model-seed-\d+-[0-9a-z]{4,}-\d{4}-\d\d-\d\d-\d{6}-labels\.csv$/);
  const lines = labels.text.trim().split('\r\n'); // records end in CRLF; the quoted newlines are LF
  expect(lines[0]).toBe('id,group,key,question,claim,label,confidence,provenance');
  expect(lines).toHaveLength(301);
  const humans = lines.filter((l) => l.endsWith(',human'));
  expect(humans).toHaveLength(1);
  expect(humans[0]).toMatch(new RegExp(`^q0a0,q0,0,"What is 0 \\+ 0\\?\nShow the work\\.",0 \\+ 0 = 0,${flipped.toLowerCase()},,human$`));

  await page.getByTestId('nav-import').click();
  const project = await downloadText(page, () => page.getByTestId('btn-export-project').click());
  expect(project.download.suggestedFilename()).toMatch(/^icm-project-\d{4}-\d\d-\d\d-\d{6}\.json$/);

  // a fresh profile: nothing there, then the project file brings back the same labels
  const fresh = await browser.newContext({ baseURL: test.info().project.use.baseURL, acceptDownloads: true });
  await fresh.route((url) => !isLocal(url.href), (route) => route.abort('internetdisconnected'));
  const other = await fresh.newPage();
  await other.goto('/#import');
  await expect(other.getByTestId('run-entry')).toHaveCount(0);
  await other.getByTestId('project-file').setInputFiles(await project.download.path());
  await expect(other.getByTestId('project-imported')).toContainText('1 run');
  await other.getByTestId('run-entry').first().getByRole('link').click();
  await other.getByTestId('tab-review').click();
  await expect(other.getByTestId('review-table')).toHaveAttribute('data-rows', '300');
  await expect(other.getByTestId('review-row').first().getByTestId('review-label')).toHaveText(flipped);
  await expect(other.getByTestId('review-row').first().getByTestId('review-provenance')).toHaveText('human');
  const again = await downloadText(other, () => other.getByTestId('btn-export-labels-csv').click());
  expect(again.text).toBe(labels.text);
  await fresh.close();
});

test('a bad file names the row and the field, and stores nothing', async ({ page }) => {
  // a row with a field missing: refused as it is read
  const short = 'question,answer,qid,verdict\nWhat is 1 + 1?,2,a,true\nWhat is 2 + 2?,5,b\n';
  await chooseFile(page, { name: 'short.csv', mimeType: 'text/csv', buffer: Buffer.from(short) });
  await expect(page.getByTestId('import-error').first()).toContainText('row 2 · field verdict');
  await expect(page.getByTestId('import-error').first()).toContainText('Row 2 has 3 fields but the header has 4');
  await expect(page.getByTestId('import-mapping')).toHaveCount(0);

  // a gold label that is no label: refused at save, with nothing stored
  const bad = 'question,answer,qid,verdict\nWhat is 1 + 1?,2,a,true\nWhat is 2 + 2?,5,b,maybe\n';
  await page.getByTestId('import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await expect(page.getByTestId('import-mapping')).toBeVisible();
  await page.getByTestId('map-gold').selectOption('verdict');
  await page.getByTestId('import-name').fill('Bad data');
  await page.getByTestId('btn-import-save').click();
  await expect(page.getByTestId('import-error').first()).toContainText('row 2 · field verdict');
  await expect(page.getByTestId('import-error').first()).toContainText('"maybe"');
  await expect(page.getByTestId('import-saved')).toHaveCount(0);

  // not in the task list, now or after a reload
  await page.goto('/#new');
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await expect(page.locator('[data-testid^="task-"]').filter({ hasText: 'Bad data' })).toHaveCount(0);
  await page.reload();
  await expect(page.locator('[data-testid^="task-builtin-"]').first()).toBeVisible();
  await expect(page.locator('[data-testid^="task-"]').filter({ hasText: 'Bad data' })).toHaveCount(0);
});

test('a file dropped on the page in the paper\'s layout maps with no questions asked', async ({ page }) => {
  await page.goto('/#import');
  const rows = [
    { question: 'What is the capital of France?', choice: 'Paris', label: 1, consistency_id: 0 },
    { question: 'What is the capital of France?', choice: 'Paris, the largest city', label: true, consistency_id: 0 },
    { question: 'What is the capital of France?', choice: 'Lyon', label: 0, consistency_id: 0 },
  ];
  const jsonl = rows.map((r) => JSON.stringify(r)).join('\n');
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'truthful.jsonl', { type: 'application/jsonl' }));
    return dt;
  }, jsonl);
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByTestId('paper-layout')).toBeVisible();
  await expect(page.getByTestId('import-summary')).toHaveText('JSONL · 3 rows · 4 columns');
  await expect(page.getByTestId('map-kind-factual')).toBeChecked();
  await expect(page.getByTestId('map-exclusive')).not.toBeChecked(); // several answers may be right
  await expect(page.getByTestId('import-preview')).toHaveText('Question: What is the capital of France?\nClaim: Paris\nI think this claim is');
  await page.getByTestId('btn-import-save').click();
  await expect(page.getByTestId('import-saved')).toContainText('3 items in 1 group, with gold labels');
});
