// `train-ui`: the main thread of the studio page while it trains (issue #6/#9 "the main thread
// never blocks longer than 50 ms during training"). Builds the app into a temp folder, serves it
// with the shared models under the hub layout, and drives the real UI in headless Chromium:
// 2,000 SST-2 rows, studio-bert-tiny-mlm, wasm, 1 epoch, batch 16, max length 64. Figures: the
// longest main-thread task by CPU time (Chromium trace) and by wall time (long-task observer),
// the count of wall-time long tasks, and the samples/s the page shows at the end.
// Standalone: `npx tsx bench/trainUi.ts`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/e2e/browser';
import { longTasks, mainThreadTasks, OBSERVE_LONG_TASKS, startTaskTrace } from '../tests/e2e/mainThread';
import { REPO_ROOT, sharedPath } from '../tests/unit/shared';
import { sst2Rows } from './sst2';
import { formatBenchResult, type BenchResult } from './types';

const ROWS = 2000;
const RUN = { epochs: '1', batch: '16', maxLength: '64' };

async function tab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
}

export async function benchTrainUi(): Promise<BenchResult[]> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bert-studio-bench-ui-'));
  const outDir = path.join(tmp, 'dist');
  const csv = path.join(tmp, 'sst2_2000.csv');
  writeFileSync(
    csv,
    Papa.unparse(sst2Rows(ROWS).map((r) => ({ text: r.text, label: r.label ? 'positive' : 'negative' }))),
  );
  // The preview server's hub middleware reads this when the config loads.
  process.env.BERT_STUDIO_MODELS = sharedPath('models');
  await build({ root: REPO_ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    root: REPO_ROOT,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0 },
  });
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    if (!url) throw new Error('the preview server has no URL');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript(OBSERVE_LONG_TASKS);
    await page.goto(`${url}/?backend=wasm&hub=${encodeURIComponent(`${url}/hub`)}`);
    await page.waitForSelector('[data-backend="wasm"]', { timeout: 120_000 });
    await page.getByLabel('Dataset file').setInputFiles(csv);
    await page.getByLabel('Text column', { exact: true }).selectOption('text');
    await page.getByLabel('Label column', { exact: true }).selectOption('label');
    await tab(page, 'Model');
    await page.getByLabel('Model', { exact: true }).selectOption('studio-bert-tiny-mlm');
    await page.getByRole('button', { name: 'Load model' }).click();
    await page.getByLabel('Model facts').getByText('Layers').waitFor({ timeout: 120_000 });
    await tab(page, 'Train');
    await page.getByLabel('Epochs', { exact: true }).fill(RUN.epochs);
    await page.getByLabel('Batch size', { exact: true }).fill(RUN.batch);
    await page.getByLabel('Max sequence length', { exact: true }).fill(RUN.maxLength);
    const progress = page.getByRole('region', { name: 'Training progress' });
    await progress.locator('figure .recharts-wrapper').nth(2).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);

    const from = await page.evaluate(() => performance.now());
    await startTaskTrace(browser, page);
    await page.getByRole('button', { name: 'Start training' }).click();
    await page
      .getByRole('status', { name: 'Training status' })
      .getByText('Finished', { exact: true })
      .waitFor({ timeout: 1_800_000 });
    await page.waitForTimeout(1500);
    const to = await page.evaluate(() => performance.now());
    const tasks = mainThreadTasks(await browser.stopTracing());
    const stalls = (await longTasks(page)).filter((t) => t.start + t.duration > from && t.start < to);
    const speed = Number(await progress.getByLabel('Training speed').locator('dd').first().textContent());

    const cfg = `studio UI, ${ROWS} SST-2 rows, studio-bert-tiny-mlm, ?backend=wasm, 1 epoch, batch ${RUN.batch}, max length ${RUN.maxLength}, ${Math.round((to - from) / 1000)} s, ${tasks.length} main-thread tasks`;
    return [
      {
        name: 'train-ui.longest-task-cpu',
        backend: 'chromium-wasm',
        config: `${cfg}, CPU time of the busiest task (trace)`,
        value: Math.max(...tasks.map((t) => t.cpuMs)),
        unit: 'ms',
      },
      {
        name: 'train-ui.longest-task-wall',
        backend: 'chromium-wasm',
        config: `${cfg}, wall time, long-task observer (0 = none over 50 ms)`,
        value: Math.max(0, ...stalls.map((t) => t.duration)),
        unit: 'ms',
      },
      {
        name: 'train-ui.long-tasks',
        backend: 'chromium-wasm',
        config: `${cfg}, tasks over 50 ms wall (long-task observer)`,
        value: stalls.length,
        unit: 'tasks',
      },
      {
        name: 'train-ui.samples-per-s',
        backend: 'chromium-wasm',
        config: `${cfg}, as the page shows it`,
        value: speed,
        unit: 'seq/s',
      },
    ];
  } finally {
    await browser.close();
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchTrainUi().then(
    (rs) => rs.forEach((r) => console.log(formatBenchResult(r))),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : String(err));
      process.exit(1);
    },
  );
}
