// Data step extras in real Chromium: the "File encoding" select re-reads a Windows-1252 file three
// ways and the choice survives a reload; a test fraction gives a labelled Test report after
// training that the run history keeps across a reload. Small files and one short epoch (< 60 s).
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { MODEL_ID, openStep } from './studio';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED_DIR = process.env.SHARED_DIR ?? path.resolve(REPO_ROOT, '../shared');

function tempFile(name: string, content: string | Uint8Array): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bert-studio-data-')), name);
  fs.writeFileSync(file, content);
  return file;
}

/** “great” (0x93 0x94) and café (0xE9) in Windows-1252: invalid UTF-8. */
function cp1252File(): string {
  const line = (parts: (string | number)[]) =>
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : [p]));
  const bytes = [
    ...line(['text,label\n']),
    ...line([0x93, 'great', 0x94, ' film,pos\n']),
    ...line(['caf', 0xe9, ' was bad,neg\n']),
    ...line(['plain text,pos\n']),
  ];
  return tempFile('cp1252.csv', Uint8Array.from(bytes));
}

/** 40 ham then 20 spam rows of the SMS file. */
function smsFile(): string {
  const parsed = Papa.parse<{ text: string; label: string }>(
    fs.readFileSync(path.join(SHARED_DIR, 'data/sms_spam/sms_spam.csv'), 'utf8'),
    { header: true, skipEmptyLines: true },
  );
  const of = (l: string, n: number) => parsed.data.filter((r) => r.label === l).slice(0, n);
  const rows = [...of('ham', 40), ...of('spam', 20)];
  return tempFile('sms_small.csv', Papa.unparse(rows, { columns: ['text', 'label'], newline: '\n' }));
}

/** The encoding choice in the project the page saved to IndexedDB (see src/store/idbStorage.ts). */
function persistedEncodingChoice(page: Page): Promise<string | null> {
  return page.evaluate(
    () =>
      new Promise<string | null>((resolve) => {
        const open = indexedDB.open('bert-studio-project');
        open.onsuccess = () => {
          const get = open.result.transaction('kv').objectStore('kv').get('bert-studio-project');
          get.onsuccess = () => {
            const v = get.result as { state?: { dataset?: { summary?: { encodingChoice?: string } } } } | undefined;
            open.result.close();
            resolve(v?.state?.dataset?.summary?.encodingChoice ?? null);
          };
          get.onerror = () => resolve(null);
        };
        open.onerror = () => resolve(null);
      }),
  );
}

async function start(page: Page, origin: string) {
  await page.goto(`/?backend=wasm&hub=${encodeURIComponent(`${origin}/hub`)}`);
  await expect(page.getByRole('status', { name: 'Backend' })).toHaveAttribute('data-backend', 'wasm');
}

test('the file encoding select re-reads the file and the choice survives a reload', async ({ page }, info) => {
  const origin = new URL(info.project.use.baseURL ?? 'http://127.0.0.1:4317').origin;
  await start(page, origin);
  await page.getByLabel('Dataset file').setInputFiles(cp1252File());
  const facts = page.getByLabel('Dataset facts');
  const warnings = page.getByRole('group', { name: 'Data warnings' });
  const preview = page.getByRole('table', { name: 'First rows of the dataset' });
  await expect(facts).toContainText('windows-1252 (detected)');
  await expect(warnings).toContainText('decoded as Windows-1252');
  await expect(preview).toContainText('“great” film');

  const select = page.getByLabel('File encoding');
  await select.selectOption('latin-1');
  await expect(facts).toContainText('latin-1 (chosen)');
  await expect(warnings).toContainText('C1 control characters');
  await expect(preview).toContainText('café was bad');

  await select.selectOption('utf-8');
  await expect(facts).toContainText('utf-8 (chosen)');
  await expect(warnings).toContainText('3 invalid UTF-8 byte sequence(s) were replaced');
  await expect(preview).toContainText('caf\uFFFD was bad');

  // Persisted project writes are coalesced: wait until the choice is on disk, then reload.
  await expect.poll(() => persistedEncodingChoice(page)).toBe('utf-8');
  await page.reload();
  // The worker holds the file again once the extra-file pickers are enabled; it was read with the
  // chosen encoding (auto-detect would say windows-1252 again).
  await expect(page.getByLabel('Validation file')).toBeEnabled();
  await expect(page.getByLabel('Dataset facts')).toContainText('utf-8 (chosen)');
  await expect(page.getByLabel('File encoding')).toHaveValue('utf-8');
  await expect(page.getByRole('table', { name: 'First rows of the dataset' })).toContainText('caf\uFFFD was bad');
});

test('a test fraction gives a labelled Test report that the run keeps', async ({ page }, info) => {
  test.setTimeout(180_000);
  const origin = new URL(info.project.use.baseURL ?? 'http://127.0.0.1:4317').origin;
  await start(page, origin);
  await page.getByLabel('Dataset file').setInputFiles(smsFile());
  await expect(page.getByLabel('Dataset facts')).toContainText('sms_small.csv');
  await page.getByLabel('Text column', { exact: true }).selectOption('text');
  await page.getByLabel('Label column', { exact: true }).selectOption('label');

  await openStep(page, 'Model');
  await page.getByLabel('Model', { exact: true }).selectOption(MODEL_ID);
  await page.getByRole('button', { name: 'Load model' }).click();
  await expect(page.getByLabel('Model facts')).toContainText('Layers', { timeout: 120_000 });

  await openStep(page, 'Train');
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.getByLabel('Max sequence length', { exact: true }).fill('16');
  await page.getByLabel('Test fraction', { exact: true }).fill('0.25');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Finished', { timeout: 120_000 });

  await openStep(page, 'Evaluate');
  const check = async () => {
    const region = page.getByRole('region', { name: 'Test evaluation' });
    await expect(region.getByRole('heading', { name: /^Test/ })).toBeVisible();
    // 25% of each class: ham 40 → 10, spam 20 → 5.
    const report = region.getByRole('table', { name: 'Test classification report' });
    await expect(report.getByRole('row', { name: /^ham/ })).toContainText(/10$/);
    await expect(report.getByRole('row', { name: /^spam/ })).toContainText(/5$/);
    await expect(region.getByRole('table', { name: 'Test confusion matrix' })).toBeVisible();
    // The validation report stays apart: 10% of each class (4 + 2 rows).
    const valid = page
      .getByRole('region', { name: 'Evaluation', exact: true })
      .getByRole('table', { name: 'Classification report' });
    await expect(valid.getByRole('row', { name: /^weighted avg/ })).toContainText(/6$/);
    // The runs table shows the test figures beside the validation ones.
    const runs = page.getByRole('table', { name: 'Run comparison' });
    const headers = await runs.locator('thead th').allInnerTexts();
    const col = headers.findIndex((h) => h.trim() === 'Test accuracy');
    expect(col).toBeGreaterThan(0);
    await expect(runs.locator('tbody tr').first().locator('th, td').nth(col)).toHaveText(/^[01]\.\d{3}$/);
  };
  await check();
  await page.reload();
  await openStep(page, 'Evaluate');
  await check();
});
