// The token-classification and embedding flows in real Chromium: a WNUT-17 CoNLL slice → local tiny
// model → one epoch → entity-type report → highlighted entities in Try; and 60 SST-2 rows →
// embeddings → PCA scatter → 10 nearest rows → vectors as CSV. Needs the preview server to serve
// ../shared/models under /hub (as flow.spec.ts).
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { MODEL_ID, openStep } from './studio';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED_DIR = process.env.SHARED_DIR ?? path.resolve(REPO_ROOT, '../shared');
const WNUT_TYPES = ['corporation', 'creative-work', 'group', 'location', 'person', 'product'];

function tempFile(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bert-studio-')), name);
  fs.writeFileSync(file, text);
  return file;
}

/** 150 WNUT-17 training sentences that hold at least one entity, in CoNLL layout. */
function wnutSlice(): string {
  const text = fs.readFileSync(path.join(SHARED_DIR, 'data/wnut17/wnut17train.conll'), 'utf8');
  const sentences = text.split(/\r?\n\s*\r?\n/).filter((s) => /\tB-/.test(s));
  return tempFile('wnut_slice.conll', sentences.slice(0, 150).join('\n\n') + '\n');
}

function sst2Slice(): string {
  const parsed = Papa.parse<{ text: string; label: string }>(
    fs.readFileSync(path.join(SHARED_DIR, 'data/sst2/sst2_train.csv'), 'utf8'),
    { header: true, skipEmptyLines: true },
  );
  return tempFile('sst2_60.csv', Papa.unparse(parsed.data.slice(0, 60), { columns: ['text', 'label'], newline: '\n' }));
}

async function start(page: Page, baseURL: string | undefined) {
  const origin = new URL(baseURL ?? 'http://127.0.0.1:4317').origin;
  await page.goto(`/?backend=wasm&hub=${encodeURIComponent(`${origin}/hub`)}`);
  await expect(page.getByRole('status', { name: 'Backend' })).toHaveAttribute('data-backend', 'wasm');
}

async function loadTinyModel(page: Page, task: string) {
  await openStep(page, 'Model');
  await page.getByRole('combobox', { name: 'Task', exact: true }).selectOption(task);
  const picker = page.getByLabel('Model', { exact: true });
  await expect(picker.locator(`option[value="${MODEL_ID}"]`)).toHaveCount(1);
  await picker.selectOption(MODEL_ID);
  await page.getByRole('button', { name: 'Load model' }).click();
  await expect(page.getByLabel('Model facts')).toContainText('Layers', { timeout: 60_000 });
}

test('NER: CoNLL upload, train one epoch, entity report, entities in Try', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await start(page, testInfo.project.use.baseURL);

  await page.getByLabel('Dataset file').setInputFiles(wnutSlice());
  await expect(page.getByLabel('Dataset facts')).toContainText('wnut_slice.conll');
  await expect(page.getByLabel('Tokens column', { exact: true })).toHaveValue('tokens');
  await expect(page.getByLabel('Tags column', { exact: true })).toHaveValue('tags');
  await loadTinyModel(page, 'token-cls');

  await openStep(page, 'Train');
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.getByLabel('Max sequence length', { exact: true }).fill('48');
  await page.getByLabel('Learning rate', { exact: true }).fill('0.002');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Finished', { timeout: 60_000 });

  await openStep(page, 'Evaluate');
  const table = page.getByRole('region', { name: 'Evaluation' }).getByRole('table', { name: 'Entity report' });
  for (const row of ['micro avg', 'macro avg', 'weighted avg'])
    await expect(table.getByRole('rowheader', { name: row, exact: true })).toBeVisible();
  const types = (await table.locator('tbody th').allInnerTexts()).filter((t) => !t.endsWith(' avg'));
  expect(types.length).toBeGreaterThan(0);
  for (const t of types) expect(WNUT_TYPES).toContain(t);
  await page.screenshot({ path: testInfo.outputPath('ner-evaluate.png'), fullPage: true });
  await expect(page.getByRole('table', { name: 'Classification report' })).toHaveCount(0);

  await openStep(page, 'Try');
  const region = page.getByRole('region', { name: 'Prediction' });
  // Markup in the input must come back as text.
  const probe = 'Empire State Building = ESB <b>Pretty</b> bad storm in New York';
  await region.getByLabel('Try a sentence').fill(probe);
  await region.getByRole('button', { name: 'Find entities' }).click();
  const shown = region.getByLabel('Entities in the sentence');
  await expect(region.getByTestId('entity-count')).toBeVisible({ timeout: 30_000 });
  // The sentence comes back whole once the type badges are set aside.
  const plain = await shown.evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.span-badge').forEach((b) => b.remove());
    return copy.textContent;
  });
  expect(plain).toBe(probe);
  await expect(shown.locator('b')).toHaveCount(0);
  const count = await region.getByTestId('entity-count').innerText();
  const marks = shown.locator('mark.span-mark');
  const n = await marks.count();
  expect(count).toMatch(n === 0 ? /^No entities found\.$/ : new RegExp(`^${n} entit`));
  for (let i = 0; i < n; i++) expect(WNUT_TYPES).toContain(await marks.nth(i).getAttribute('data-type'));
  await page.screenshot({ path: testInfo.outputPath('ner-try.png'), fullPage: true });
  expect(pageErrors).toEqual([]);
});

test('embeddings: 60 SST-2 rows, PCA scatter, find similar, download vectors', async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await start(page, testInfo.project.use.baseURL);

  await page.getByLabel('Dataset file').setInputFiles(sst2Slice());
  await expect(page.getByLabel('Dataset facts')).toContainText('sst2_60.csv');
  await loadTinyModel(page, 'embed');
  await openStep(page, 'Data');
  await page.getByLabel('Text column', { exact: true }).selectOption('text');
  await page.getByLabel('Label column', { exact: true }).selectOption('label');

  await openStep(page, 'Try');
  const region = page.getByRole('region', { name: 'Embeddings' });
  await region.getByRole('button', { name: 'Embed dataset' }).click();
  const map = region.getByRole('figure', { name: 'Embedding map' });
  await expect(map).toHaveAttribute('data-points', '60', { timeout: 30_000 });
  await expect(map.locator('.recharts-scatter-symbol')).toHaveCount(60);

  await page.getByLabel('Find similar').fill('a gorgeous , witty , seductive movie');
  await page.getByRole('button', { name: 'Search' }).click();
  const rows = page.getByRole('table', { name: 'Similar rows' }).locator('tbody tr');
  await expect(rows).toHaveCount(10);
  const scores = (await rows.locator('td:last-child').allInnerTexts()).map(Number);
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  for (const s of scores) expect(s).toBeLessThanOrEqual(1.0001);
  await page.screenshot({ path: testInfo.outputPath('embed-map.png'), fullPage: true });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download vectors (CSV)' }).click();
  const csv = fs
    .readFileSync((await (await download).path())!, 'utf8')
    .trimEnd()
    .split('\n');
  expect(csv).toHaveLength(61);
  expect(csv[0]!.split(',')).toHaveLength(129);
  expect(pageErrors).toEqual([]);
});
