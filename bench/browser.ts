// Headless Chromium figures. `page`: the built app (vite preview of dist/): JavaScript bytes the
// main document loads before it is interactive (worker scripts excluded), time until the backend
// badge carries data-backend, and main-thread long tasks (PerformanceObserver 'longtask') from
// navigation until a few seconds after. `train-step`: the engine's BERT-Tiny step on Chromium's
// wasm backend, on the main thread of bench/browser/trainStep.html (built by Vite into a temp folder).
// Standalone: `npx tsx bench/browser.ts`.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { build, preview, type InlineConfig } from 'vite';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/e2e/browser';
import { REPO_ROOT } from '../tests/unit/shared';
import { median } from './common';
import { formatBenchResult, type BenchResult } from './types';

const SETTLE_MS = 3000; // long tasks are also watched this long after interactive
const STEP = { batch: 32, seq: 128, warmup: 2, steps: 5 };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** `vite preview` of a built folder, in this process; close() stops it. */
async function servePreview(opts: InlineConfig): Promise<{ url: string; close: () => Promise<void> }> {
  const port = await freePort();
  const server = await preview({ ...opts, logLevel: 'warn', preview: { host: '127.0.0.1', port, strictPort: true } });
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

// Runs in the page before any app script: records long tasks and when the badge gets data-backend.
const INIT_SCRIPT = `
  window.__longTasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
  const mark = () => { if (window.__interactiveAt === undefined && document.querySelector('[data-backend]')) window.__interactiveAt = performance.now(); };
  new MutationObserver(mark).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-backend'] });
`;

interface PageFacts {
  interactiveAt: number;
  backend: string;
  jsBytes: number;
  jsTransferBytes: number;
  scripts: number;
  longTasks: Array<{ start: number; duration: number }>;
}

async function pageFacts(browser: Browser): Promise<PageFacts> {
  // The app's own vite.config.ts (COOP/COEP headers, worker format) applies to both steps.
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'index.html'))) await build({ root: REPO_ROOT, logLevel: 'warn' });
  const { url, close } = await servePreview({ root: REPO_ROOT });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(INIT_SCRIPT);
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(`${url}/?backend=wasm`);
    await page.waitForSelector('[data-backend]', { timeout: 120_000 });
    await page.waitForTimeout(SETTLE_MS);
    const facts = await page.evaluate((workerUrls) => {
      const w = window as unknown as { __interactiveAt: number; __longTasks: PageFacts['longTasks'] };
      const scripts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
        (e) => /\.m?js(\?|$)/.test(e.name) && !workerUrls.includes(e.name) && e.startTime <= w.__interactiveAt,
      );
      return {
        interactiveAt: w.__interactiveAt,
        backend: document.querySelector('[data-backend]')?.getAttribute('data-backend') ?? '?',
        jsBytes: scripts.reduce((n, e) => n + e.decodedBodySize, 0),
        jsTransferBytes: scripts.reduce((n, e) => n + e.transferSize, 0),
        scripts: scripts.length,
        longTasks: w.__longTasks,
      };
    }, workers);
    await context.close();
    return facts;
  } finally {
    await close();
  }
}

/** Builds bench/browser/ (production mode, as the app ships) into a temp folder and serves it. */
async function browserStep(browser: Browser): Promise<number[]> {
  const root = path.join(REPO_ROOT, 'bench', 'browser');
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'bert-studio-bench-web-'));
  const config: InlineConfig = {
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      outDir,
      target: 'es2022',
      emptyOutDir: true,
      chunkSizeWarningLimit: 8192,
      rollupOptions: { input: path.join(root, 'trainStep.html') },
    },
  };
  await build(config);
  const { url, close } = await servePreview(config);
  try {
    const page = await browser.newPage();
    const q = new URLSearchParams(Object.entries(STEP).map(([k, v]) => [k, String(v)]));
    await page.goto(`${url}/trainStep.html?${q}`);
    await page.waitForFunction(() => window.__benchResult !== undefined, undefined, { timeout: 300_000 });
    const r = await page.evaluate(() => window.__benchResult!);
    await page.close();
    if ('error' in r) throw new Error(r.error);
    return r.times;
  } finally {
    await close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

export async function benchBrowser(): Promise<BenchResult[]> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const out: BenchResult[] = [];
  try {
    const f = await pageFacts(browser);
    const cfg = `vite preview of dist/, ?backend=${f.backend}, headless Chromium`;
    const maxTask = f.longTasks.reduce((m, t) => Math.max(m, t.duration), 0);
    out.push(
      {
        name: 'page.js-bytes',
        backend: 'chromium',
        config: `${cfg}, ${f.scripts} main-thread scripts before interactive (workers excluded), decoded`,
        value: f.jsBytes,
        unit: 'bytes',
      },
      {
        name: 'page.js-transfer',
        backend: 'chromium',
        config: `${cfg}, same scripts, bytes on the wire`,
        value: f.jsTransferBytes,
        unit: 'bytes',
      },
      {
        name: 'page.interactive',
        backend: 'chromium',
        config: `${cfg}, navigation -> backend badge has data-backend`,
        value: f.interactiveAt,
        unit: 'ms',
      },
      {
        name: 'page.longest-task',
        backend: 'chromium',
        config: `${cfg}, longest main-thread task until ${SETTLE_MS / 1000} s after interactive (${f.longTasks.length} tasks > 50 ms)`,
        value: maxTask,
        unit: 'ms',
      },
    );
    const times = await browserStep(browser);
    const ms = median(times);
    const stepCfg = `BERT-Tiny L2/H128/A2/I512, batch ${STEP.batch}x${STEP.seq}, AdamW, ${STEP.steps} timed steps (median), page main thread`;
    out.push(
      {
        name: 'browser.train-step.tiny',
        backend: 'chromium-wasm',
        config: stepCfg,
        value: (STEP.batch * 1000) / ms,
        unit: 'seq/s',
      },
      { name: 'browser.train-step.tiny.ms', backend: 'chromium-wasm', config: stepCfg, value: ms, unit: 'ms/step' },
    );
  } finally {
    await browser.close();
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchBrowser().then(
    (rs) => rs.forEach((r) => console.log(formatBenchResult(r))),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : String(err));
      process.exit(1);
    },
  );
}
