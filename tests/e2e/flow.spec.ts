// The whole studio flow in real Chromium: upload a CSV -> load a local model -> train one epoch
// (the chart gets points) -> evaluate -> predict -> save to the browser -> reload -> the saved
// model is listed and predicts the same. Needs the preview server to serve ../shared/models
// (BERT_STUDIO_MODELS) under /hub, with studio-bert-tiny-mlm in it.
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { MODEL_ID, openStep } from './studio';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED_DIR = process.env.SHARED_DIR ?? path.resolve(REPO_ROOT, '../shared');
const SMS_CSV = path.join(SHARED_DIR, 'data/sms_spam/sms_spam.csv');
const SLICE_ROWS = 300;
const PROBE = 'WINNER!! You have won a free prize. Call 09061701461 now to claim your reward';

/** ~300 rows keeping the file's ham/spam ratio, taken evenly through the file (deterministic). */
function writeStratifiedSlice(): string {
  const parsed = Papa.parse<{ text: string; label: string }>(fs.readFileSync(SMS_CSV, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  const byLabel = new Map<string, { text: string; label: string }[]>();
  for (const row of parsed.data) byLabel.set(row.label, [...(byLabel.get(row.label) ?? []), row]);
  const rows: { text: string; label: string }[] = [];
  for (const group of byLabel.values()) {
    const take = Math.round((SLICE_ROWS * group.length) / parsed.data.length);
    const stride = group.length / take;
    for (let i = 0; i < take; i++) rows.push(group[Math.floor(i * stride)]!);
  }
  rows.sort((a, b) => parsed.data.indexOf(a) - parsed.data.indexOf(b));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bert-studio-')), 'sms_slice.csv');
  fs.writeFileSync(file, Papa.unparse(rows, { columns: ['text', 'label'], newline: '\n' }));
  return file;
}

async function predictProbe(page: Page): Promise<{ label: string; bars: string }> {
  await openStep(page, 'Try');
  const region = page.getByRole('region', { name: 'Prediction' });
  await region.getByLabel('Try a sentence').fill(PROBE);
  await region.getByRole('button', { name: 'Predict' }).click();
  const label = region.getByTestId('predicted-label');
  await expect(label).toHaveText(/^(ham|spam)$/);
  const bars = region.getByRole('list', { name: 'Class probabilities' });
  await expect(bars).toContainText('ham');
  await expect(bars).toContainText('spam');
  return { label: (await label.textContent()) ?? '', bars: (await bars.innerText()).trim() };
}

test('upload, train, evaluate, predict, save, reload and predict the same', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  const origin = new URL(testInfo.project.use.baseURL ?? 'http://127.0.0.1:4317').origin;
  await page.goto(`/?backend=wasm&hub=${encodeURIComponent(`${origin}/hub`)}`);
  await expect(page.getByRole('status', { name: 'Backend' })).toHaveAttribute('data-backend', 'wasm');

  // 1. Data
  await page.getByLabel('Dataset file').setInputFiles(writeStratifiedSlice());
  await expect(page.getByRole('table', { name: 'First rows of the dataset' })).toBeVisible();
  await expect(page.getByLabel('Dataset facts')).toContainText('sms_slice.csv');
  await page.getByLabel('Text column', { exact: true }).selectOption('text');
  await page.getByLabel('Label column', { exact: true }).selectOption('label');
  await shot('01-data');

  // 2. Model, from the preview server's local models
  await openStep(page, 'Model');
  const picker = page.getByLabel('Model', { exact: true });
  await expect(picker.locator(`option[value="${MODEL_ID}"]`)).toHaveCount(1);
  await picker.selectOption(MODEL_ID);
  await page.getByRole('button', { name: 'Load model' }).click();
  const facts = page.getByLabel('Model facts');
  await expect(facts).toContainText('Layers', { timeout: 120_000 });
  await expect(facts).toContainText('128'); // BERT-Tiny hidden size
  await shot('02-model');

  // Back on the Data step the statistics use the model's tokenizer.
  await openStep(page, 'Data');
  await expect(page.getByRole('figure', { name: 'Label distribution' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Suggested max length')).toBeVisible();
  await shot('01b-data-stats');

  // 3. Train one epoch
  await openStep(page, 'Train');
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.getByLabel('Max sequence length', { exact: true }).fill('32');
  await page.getByLabel('Batch size', { exact: true }).fill('16');
  await page.getByRole('button', { name: 'Start training' }).click();
  const progress = page.getByRole('region', { name: 'Training progress' });
  const lossChart = progress.getByRole('figure', { name: 'Training loss chart' });
  await expect
    .poll(async () => Number(await lossChart.getAttribute('data-points')), { timeout: 300_000 })
    .toBeGreaterThan(0);
  await expect(lossChart.locator('path.recharts-line-curve').first()).toHaveAttribute('d', /\d/);
  await shot('03-train-running');
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Finished', { timeout: 300_000 });
  await expect(progress.getByRole('figure', { name: 'Validation chart' })).toHaveAttribute('data-points', '1');
  await shot('03b-train-done');

  // 4. Evaluate: report and confusion matrix agree on the validation rows
  await openStep(page, 'Evaluate');
  const evaluation = page.getByRole('region', { name: 'Evaluation' });
  const report = evaluation.getByRole('table', { name: 'Classification report' });
  for (const row of ['ham', 'spam', 'macro avg', 'weighted avg']) {
    await expect(report.getByRole('rowheader', { name: row, exact: true })).toBeVisible();
  }
  const matrix = evaluation.getByRole('table', { name: 'Confusion matrix' });
  const cells = (await matrix.locator('tbody td').allInnerTexts()).map((t) => Number(t.replace(/,/g, '')));
  expect(cells).toHaveLength(4);
  const support = Number(
    (
      await report
        .getByRole('row', { name: /^macro avg/ })
        .locator('td')
        .last()
        .innerText()
    ).replace(/,/g, ''),
  );
  expect(cells.reduce((a, b) => a + b, 0)).toBe(support);
  expect(support).toBeGreaterThanOrEqual(20); // about a tenth of 300 rows
  await expect(page.getByRole('table', { name: 'Run comparison' })).toContainText('Run 1');
  await shot('04-evaluate');

  // 5. Try
  const before = await predictProbe(page);
  await shot('05-try');

  // 6. Export: save to the browser
  await openStep(page, 'Export');
  await page.getByLabel('Model name').fill('sms-tiny-e2e');
  await page.getByRole('button', { name: 'Save to browser' }).click();
  await expect(page.getByRole('status', { name: 'Export status' })).toContainText('Saved as', { timeout: 120_000 });
  await shot('06-export');
  // ... and download it as a zip (Hugging Face layout, so the tiny model's weights are in it).
  const download = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Download model' }).click();
  const zip = await download;
  expect(zip.suggestedFilename()).toMatch(/\.zip$/);
  expect(fs.statSync(await zip.path()).size).toBeGreaterThan(1_000_000);

  // Reload: the project and the saved model are still there, and it predicts the same.
  await page.reload();
  await expect(page.getByRole('status', { name: 'Backend' })).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByLabel('Dataset facts')).toContainText('sms_slice.csv');
  await openStep(page, 'Model');
  const load = page.getByRole('button', { name: 'Load saved model sms-tiny-e2e' });
  await expect(load).toBeVisible({ timeout: 30_000 });
  await shot('07-reloaded-model');
  await load.click();
  await expect(page.getByLabel('Model facts')).toContainText('Fine-tuned for', { timeout: 120_000 });
  const after = await predictProbe(page);
  expect(after).toEqual(before);
  await shot('08-reloaded-try');

  // The library can rename a saved model; the new name survives another reload.
  await openStep(page, 'Model');
  await page.getByRole('button', { name: 'Rename saved model sms-tiny-e2e' }).click();
  await page.getByLabel('New name for sms-tiny-e2e').fill('sms-tiny-renamed');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByRole('button', { name: 'Load saved model sms-tiny-renamed' })).toBeVisible();
  await page.reload();
  await openStep(page, 'Model');
  await expect(page.getByRole('button', { name: 'Load saved model sms-tiny-renamed' })).toBeVisible({
    timeout: 30_000,
  });
  expect(pageErrors).toEqual([]);
});
