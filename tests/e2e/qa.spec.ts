// The extractive-QA flow in real Chromium on wasm: a SQuAD CSV slice made here at run time (three
// questions from each of the first twelve paragraphs) → the local tiny model → one short epoch →
// exact match / F1 in Evaluation → a context and a question in Try → the answer highlighted as a
// span of that context. Needs the preview server to serve ../shared/models under /hub (as flow.spec.ts).
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { MODEL_ID, openStep } from './studio';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED_DIR = process.env.SHARED_DIR ?? path.resolve(REPO_ROOT, '../shared');
const SQUAD_CSV = path.join(SHARED_DIR, 'data/squad/squad_v1.1_dev_rebuilt_minus_xquad.csv');
const COLUMNS = ['id', 'context', 'question', 'answer_text', 'answer_start'];

type Row = Record<string, string>;

/** Three questions from each of the first twelve paragraphs (36 rows), and one more paragraph to try. */
function squadSlice(): { file: string; tryRow: Row } {
  const rows = Papa.parse<Row>(fs.readFileSync(SQUAD_CSV, 'utf8'), { header: true, skipEmptyLines: true }).data;
  const byContext = new Map<string, Row[]>();
  for (const r of rows) {
    const list = byContext.get(r.context!);
    if (!list && byContext.size === 13) break;
    if (!list) byContext.set(r.context!, [r]);
    else if (list.length < 3) list.push(r);
  }
  const groups = [...byContext.values()];
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bert-studio-qa-')), 'squad_slice.csv');
  fs.writeFileSync(file, Papa.unparse(groups.slice(0, 12).flat(), { columns: COLUMNS, newline: '\n' }));
  return { file, tryRow: groups[12]![0]! };
}

test('QA: SQuAD slice, train one epoch, EM/F1 report, highlighted answer in Try', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const origin = new URL(testInfo.project.use.baseURL ?? 'http://127.0.0.1:4317').origin;
  await page.goto(`/?backend=wasm&hub=${encodeURIComponent(`${origin}/hub`)}`);
  await expect(page.getByRole('status', { name: 'Backend' })).toHaveAttribute('data-backend', 'wasm');

  const { file, tryRow } = squadSlice();
  await page.getByLabel('Dataset file').setInputFiles(file);
  await expect(page.getByLabel('Dataset facts')).toContainText('squad_slice.csv');

  await openStep(page, 'Model');
  await page.getByRole('combobox', { name: 'Task', exact: true }).selectOption('qa');
  const picker = page.getByLabel('Model', { exact: true });
  await expect(picker.locator(`option[value="${MODEL_ID}"]`)).toHaveCount(1);
  await picker.selectOption(MODEL_ID);
  await page.getByRole('button', { name: 'Load model' }).click();
  await expect(page.getByLabel('Model facts')).toContainText('Layers', { timeout: 60_000 });

  // The SQuAD columns are recognised by name.
  await openStep(page, 'Data');
  await expect(page.getByLabel('Context column', { exact: true })).toHaveValue('context');
  await expect(page.getByLabel('Question column', { exact: true })).toHaveValue('question');
  await expect(page.getByLabel('Answer column', { exact: true })).toHaveValue('answer_text');

  await openStep(page, 'Train');
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.getByLabel('Max sequence length', { exact: true }).fill('96');
  await page.getByLabel('Learning rate', { exact: true }).fill('0.001');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Finished', { timeout: 60_000 });

  await openStep(page, 'Evaluate');
  const report = page.getByRole('region', { name: 'Evaluation' }).getByRole('table', {
    name: 'Question answering report',
  });
  const value = (name: string) => report.getByRole('row', { name: new RegExp(`^${name}\\b`) }).locator('td');
  for (const name of ['Exact match', 'F1']) {
    const v = Number(await value(name).innerText());
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(100);
  }
  expect(Number(await value('F1').innerText())).toBeGreaterThanOrEqual(Number(await value('Exact match').innerText()));
  expect(Number((await value('Questions').innerText()).replace(/,/g, ''))).toBeGreaterThan(0);
  await expect(page.getByRole('table', { name: 'Classification report' })).toHaveCount(0);

  await openStep(page, 'Try');
  const region = page.getByRole('region', { name: 'Prediction' });
  const context = tryRow.context!;
  await region.getByLabel('Context', { exact: true }).fill(context);
  await region.getByLabel('Question', { exact: true }).fill(tryRow.question!);
  await region.getByRole('button', { name: 'Answer', exact: true }).click();
  const answer = region.getByTestId('answer-text');
  await expect(answer).toBeVisible({ timeout: 30_000 });
  const text = (await answer.textContent()) ?? '';
  expect(text).not.toBe('(no answer found)');
  expect(context).toContain(text);
  // The highlight marks exactly that span, and the context comes back whole around it.
  const shown = region.getByLabel('Answer in the context');
  const mark = shown.locator('mark.span-mark');
  await expect(mark).toHaveCount(1);
  await expect(mark).toHaveAttribute('data-type', 'answer');
  const marked = await mark.evaluate((el) => el.firstChild?.textContent ?? '');
  expect(marked).toBe(text);
  const plain = await shown.evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.span-badge').forEach((b) => b.remove());
    return copy.textContent;
  });
  expect(plain).toBe(context);
  await page.screenshot({ path: testInfo.outputPath('qa-try.png'), fullPage: true });
  expect(pageErrors).toEqual([]);
});
