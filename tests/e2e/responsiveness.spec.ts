// The main thread stays responsive while a model trains (issue #6): between clicking "Start
// training" and the run finishing, no main-thread task runs longer than 50 ms. Training runs in the
// worker; what the main thread does per step (store updates, chart redraws) must stay short.
//
// "Runs" is measured as the task's CPU time on the main thread (Chromium's trace: `tdur` of each
// RunTask): on a 2-core machine that also trains the model, and in CI next to other processes, the
// wall time of a task includes the time the OS gave the core to someone else (at a load of 10 on
// this machine, tasks of 20-30 ms CPU measured up to 264 ms wall). The long-task observer's wall
// times go into the test's annotation, and `npm run bench -- --only train-ui` reports both on a
// longer run. Start-up (the step's first render and the charts' first draw) is outside the window.
// Same data and model as flow.spec.ts (a slice of SMS spam, studio-bert-tiny-mlm from the preview
// server's local hub, ?backend=wasm).
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { longTasks, mainThreadTasks, OBSERVE_LONG_TASKS, startTaskTrace } from './mainThread';
import { MODEL_ID, openStep } from './studio';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED_DIR = process.env.SHARED_DIR ?? path.resolve(REPO_ROOT, '../shared');
const SMS_CSV = path.join(SHARED_DIR, 'data/sms_spam/sms_spam.csv');
const SLICE_ROWS = 300;
const LONG_TASK_MS = 50; // the issue's bound; also the browser's own long-task threshold

/** Every n-th row of the file (keeps the ham/spam mix without sorting). */
function writeSlice(): string {
  const rows = Papa.parse<{ text: string; label: string }>(fs.readFileSync(SMS_CSV, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;
  const stride = rows.length / SLICE_ROWS;
  const slice = Array.from({ length: SLICE_ROWS }, (_, i) => rows[Math.floor(i * stride)]!);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bert-studio-')), 'sms_slice.csv');
  fs.writeFileSync(file, Papa.unparse(slice, { columns: ['text', 'label'], newline: '\n' }));
  return file;
}

const now = (page: Page) => page.evaluate(() => performance.now());

test('no main-thread task longer than 50 ms while a model trains', async ({ page, browser }, testInfo) => {
  test.setTimeout(420_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.addInitScript(OBSERVE_LONG_TASKS);
  const origin = new URL(testInfo.project.use.baseURL ?? 'http://127.0.0.1:4317').origin;
  await page.goto(`/?backend=wasm&hub=${encodeURIComponent(`${origin}/hub`)}`);
  await expect(page.getByRole('status', { name: 'Backend' })).toHaveAttribute('data-backend', 'wasm');

  await page.getByLabel('Dataset file').setInputFiles(writeSlice());
  await page.getByLabel('Text column', { exact: true }).selectOption('text');
  await page.getByLabel('Label column', { exact: true }).selectOption('label');
  await openStep(page, 'Model');
  await page.getByLabel('Model', { exact: true }).selectOption(MODEL_ID);
  await page.getByRole('button', { name: 'Load model' }).click();
  await expect(page.getByLabel('Model facts')).toContainText('Layers', { timeout: 120_000 });

  await openStep(page, 'Train');
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.getByLabel('Max sequence length', { exact: true }).fill('32');
  await page.getByLabel('Batch size', { exact: true }).fill('8');
  // The step's own start-up (the charts' first draw, one per beat) is outside the window.
  const progress = page.getByRole('region', { name: 'Training progress' });
  await expect(progress.locator('figure .recharts-wrapper')).toHaveCount(3);
  await page.waitForTimeout(300);

  const from = await now(page);
  await startTaskTrace(browser, page);
  await page.getByRole('button', { name: 'Start training' }).click();
  const lossChart = progress.getByRole('figure', { name: 'Training loss chart' });
  await expect
    .poll(async () => Number(await lossChart.getAttribute('data-points')), { timeout: 300_000 })
    .toBeGreaterThan(5);
  await expect(page.getByRole('status', { name: 'Training status' })).toHaveText('Finished', { timeout: 300_000 });
  // Let the last redraws (one beat per chart, up to a second apart) land inside the window.
  await page.waitForTimeout(1500);
  const to = await now(page);
  const tasks = mainThreadTasks(await browser.stopTracing());

  const stalls = (await longTasks(page)).filter((t) => t.start + t.duration > from && t.start < to);
  const busiest = [...tasks].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 5);
  testInfo.annotations.push({
    type: 'main thread while training',
    description:
      `${tasks.length} tasks over ${Math.round(to - from)} ms; most CPU: ${JSON.stringify(busiest)}; ` +
      `long-task observer (wall): ${JSON.stringify(stalls)}`,
  });
  expect(tasks.length).toBeGreaterThan(50); // the trace did cover the run
  expect(tasks.filter((t) => t.cpuMs > LONG_TASK_MS)).toEqual([]);
  expect(pageErrors).toEqual([]);
});
