// Resuming after a reload in real Chromium: start a 2-epoch run, wait for epoch 1's checkpoint,
// reload mid-run, click "Resume training" (the stored dataset file and the model are reloaded by
// their descriptors), and the run finishes epoch 2 with both epochs in its chart; for sequence
// classification (SMS spam) and for token classification (a WNUT-17 CoNLL slice). Needs the
// preview server to serve ../shared/models under /hub, as flow.spec.ts does.
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

/** The first 160 ham and 40 spam rows: small enough for two quick epochs. */
function writeSlice(): string {
  const parsed = Papa.parse<{ text: string; label: string }>(fs.readFileSync(SMS_CSV, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  const ham = parsed.data.filter((r) => r.label === 'ham').slice(0, 160);
  const spam = parsed.data.filter((r) => r.label === 'spam').slice(0, 40);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bert-studio-resume-')), 'sms_resume.csv');
  fs.writeFileSync(file, Papa.unparse([...ham, ...spam], { columns: ['text', 'label'], newline: '\n' }));
  return file;
}

/** 120 WNUT-17 training sentences that hold an entity, in CoNLL layout. */
function writeConll(): string {
  const text = fs.readFileSync(path.join(SHARED_DIR, 'data/wnut17/wnut17train.conll'), 'utf8');
  const sentences = text.split(/\r?\n\s*\r?\n/).filter((s) => /\tB-/.test(s));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bert-studio-resume-')), 'wnut_resume.conll');
  fs.writeFileSync(file, sentences.slice(0, 120).join('\n\n') + '\n');
  return file;
}

async function open(page: Page, baseURL: string | undefined): Promise<string[]> {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const origin = new URL(baseURL ?? 'http://127.0.0.1:4317').origin;
  await page.goto(`/?backend=wasm&hub=${encodeURIComponent(`${origin}/hub`)}`);
  await expect(page.getByRole('status', { name: 'Backend' })).toHaveAttribute('data-backend', 'wasm');
  return pageErrors;
}

async function loadModel(page: Page, task: string) {
  await openStep(page, 'Model');
  await page.getByRole('combobox', { name: 'Task', exact: true }).selectOption(task);
  await page.getByLabel('Model', { exact: true }).selectOption(MODEL_ID);
  await page.getByRole('button', { name: 'Load model' }).click();
  await expect(page.getByLabel('Model facts')).toContainText('Layers', { timeout: 60_000 });
}

/** Two epochs; paused after epoch 1's checkpoint, reloaded, resumed from the offer, finished. */
async function interruptAndResume(page: Page, fileName: string, o: { lr?: string } = {}) {
  await openStep(page, 'Train');
  await page.getByLabel('Epochs', { exact: true }).fill('2');
  await page.getByLabel('Max sequence length', { exact: true }).fill('32');
  await page.getByLabel('Batch size', { exact: true }).fill('8');
  if (o.lr) await page.getByLabel('Learning rate', { exact: true }).fill(o.lr);
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByRole('status', { name: 'Checkpoint' })).toHaveText(/after epoch 1 \(step \d+\)/, {
    timeout: 60_000,
  });
  // Pause so the reload surely lands mid-run, whatever the machine's speed.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Paused');
  const progress = page.getByRole('region', { name: 'Training progress' });
  await expect(progress.getByRole('figure', { name: 'Validation chart' })).toHaveAttribute('data-points', '1');

  await page.reload();
  await expect(page.getByRole('status', { name: 'Backend' })).toHaveAttribute('data-backend', 'wasm');
  const offer = page.getByRole('region', { name: 'Interrupted training' });
  await expect(offer).toContainText('after epoch 1 of 2');
  await expect(offer).toContainText(fileName);
  await offer.getByRole('button', { name: 'Resume training' }).click();

  await openStep(page, 'Train');
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Finished', { timeout: 60_000 });
  await expect(progress.getByRole('figure', { name: 'Validation chart' })).toHaveAttribute('data-points', '2');
  await expect(offer).toHaveCount(0); // the finished run's checkpoint is gone
}

test('a run interrupted by a reload resumes from its checkpoint and finishes', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const pageErrors = await open(page, testInfo.project.use.baseURL);
  await page.getByLabel('Dataset file').setInputFiles(writeSlice());
  await expect(page.getByLabel('Dataset facts')).toContainText('sms_resume.csv');
  await page.getByLabel('Text column', { exact: true }).selectOption('text');
  await page.getByLabel('Label column', { exact: true }).selectOption('label');
  await loadModel(page, 'seq-cls');
  await interruptAndResume(page, 'sms_resume.csv');
  await page.screenshot({ path: testInfo.outputPath('resumed.png'), fullPage: true });
  expect(pageErrors).toEqual([]);
});

test('an NER run interrupted by a reload resumes and ends with an entity report', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const pageErrors = await open(page, testInfo.project.use.baseURL);
  await page.getByLabel('Dataset file').setInputFiles(writeConll());
  await expect(page.getByLabel('Dataset facts')).toContainText('wnut_resume.conll');
  await loadModel(page, 'token-cls');
  await interruptAndResume(page, 'wnut_resume.conll', { lr: '0.002' });
  await openStep(page, 'Evaluate');
  const table = page.getByRole('region', { name: 'Evaluation' }).getByRole('table', { name: 'Entity report' });
  await expect(table.getByRole('rowheader', { name: 'micro avg', exact: true })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('ner-resumed.png'), fullPage: true });
  expect(pageErrors).toEqual([]);
});
