// Headless Chromium figures. `page`: the built app (vite preview of dist/): JavaScript bytes the
// main document loads before it is interactive (worker scripts excluded), time until the backend
// badge carries data-backend, and main-thread long tasks (PerformanceObserver 'longtask') from
// navigation until a few seconds after. `train-step`: the engine's BERT-Tiny and BERT-Mini steps on
// Chromium's wasm backend, single-threaded and with 2 wasm threads (the page is cross-origin
// isolated, as the app is), on the main thread of bench/browser/trainStep.html (built by Vite into
// a temp folder), each against the PyTorch step measured in the same run (bench/torch_step.py,
// torch.set_num_threads = cores): wall time against wall time, both using the machine's cores.
// Standalone: `npx tsx bench/browser.ts [--steps-only | --page-only]`.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { build, preview, type InlineConfig, type Plugin, type PluginOption } from 'vite';
import appConfig from '../vite.config';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/e2e/browser';
import { REPO_ROOT } from '../tests/unit/shared';
import type { BrowserStepResult } from './browser/trainStep';
import { median, shapeLabel } from './common';
import { torchStep, torchUnavailable, type TorchStep } from './torchRef';
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
  const server = await preview({
    ...opts,
    logLevel: 'warn',
    preview: { ...opts.preview, host: '127.0.0.1', port, strictPort: true },
  });
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

// The app's isolation headers and its threaded-wasm glue fix (vite.config.ts), so that the bench page
// runs tfjs-wasm's threads exactly as the minified app does.
function appPlugin(name: string): Plugin {
  const walk = (opts: PluginOption[]): Plugin | undefined => {
    for (const o of opts) {
      if (Array.isArray(o)) {
        const hit = walk(o);
        if (hit) return hit;
      } else if (o && typeof o === 'object' && 'name' in o && o.name === name) return o;
    }
    return undefined;
  };
  const hit = walk(appConfig.plugins ?? []);
  if (!hit) throw new Error(`vite.config.ts has no plugin ${name}`);
  return hit;
}

interface StepCase {
  shape: 'tiny' | 'mini';
  threads: number;
}
const STEP_CASES: StepCase[] = [
  { shape: 'tiny', threads: 1 },
  { shape: 'tiny', threads: 2 },
  { shape: 'mini', threads: 1 },
  { shape: 'mini', threads: 2 },
];

/**
 * Builds the pages of bench/browser/ (production mode, as the app ships: the app's threaded-wasm
 * glue, its COOP/COEP headers) into a temp folder and serves them; close() stops and removes it.
 */
export async function serveBenchPages(): Promise<{ url: string; close: () => Promise<void> }> {
  const root = path.join(REPO_ROOT, 'bench', 'browser');
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'bert-studio-bench-web-'));
  const config: InlineConfig = {
    configFile: false,
    root,
    logLevel: 'warn',
    plugins: [appPlugin('tfjs-wasm-threads-glue')],
    preview: { headers: appConfig.preview?.headers },
    build: {
      outDir,
      target: 'es2022',
      emptyOutDir: true,
      chunkSizeWarningLimit: 8192,
      rollupOptions: { input: ['trainStep.html', 'profile.html'].map((f) => path.join(root, f)) },
    },
  };
  await build(config);
  const served = await servePreview(config);
  return {
    url: served.url,
    close: async () => {
      await served.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

type StepRun = StepCase & { result: BrowserStepResult; load: number };

async function browserSteps(browser: Browser): Promise<StepRun[]> {
  const { url, close } = await serveBenchPages();
  const out: StepRun[] = [];
  try {
    // BENCH_BROWSER_CASES=mini:2,tiny:1 picks cases as shape:threads (all by default).
    const pick = process.env.BENCH_BROWSER_CASES?.split(',').filter(Boolean);
    for (const c of STEP_CASES.filter((x) => !pick?.length || pick.includes(`${x.shape}:${x.threads}`))) {
      // A fresh page per case: tfjs-wasm picks its build (threaded or not) once per page.
      const page = await browser.newPage();
      const q = new URLSearchParams(Object.entries({ ...STEP, ...c }).map(([k, v]) => [k, String(v)]));
      await page.goto(`${url}/trainStep.html?${q}`);
      await page.waitForFunction(() => window.__benchResult !== undefined, undefined, { timeout: 600_000 });
      const r = await page.evaluate(() => window.__benchResult!);
      await page.close();
      if ('error' in r) throw new Error(`${c.shape}, ${c.threads} thread(s): ${r.error}`);
      out.push({ ...c, result: r, load: os.loadavg()[0]! });
    }
  } finally {
    await close();
  }
  return out;
}

const torchRuns = new Map<StepCase['shape'], TorchStep>();
function torchFor(shape: StepCase['shape']): TorchStep {
  let r = torchRuns.get(shape);
  if (!r) torchRuns.set(shape, (r = torchStep(shape, STEP.batch, STEP.seq, STEP.warmup, STEP.steps)));
  return r;
}

/** Figures of one browser case against the PyTorch step measured in this run (wall time: both use the cores). */
function stepFigures(c: StepCase, r: BrowserStepResult, load: number): BenchResult[] {
  const ms = median(r.times);
  const seqPerS = (STEP.batch * 1000) / ms;
  const mode = r.threads > 1 ? `${r.threads} wasm threads` : 'single-threaded wasm';
  const config =
    `${shapeLabel(c.shape)}, batch ${STEP.batch}x${STEP.seq}, AdamW, ${STEP.steps} timed steps (median), ` +
    `${mode}, page main thread, ${r.cores} cores, load ${load.toFixed(1)}`;
  const backend = r.threads > 1 ? `chromium-wasm-threads${r.threads}` : 'chromium-wasm';
  const why = torchUnavailable();
  const ref = why ? null : torchFor(c.shape);
  const refName = ref ? `pytorch ${ref.torch} cpu, ${ref.threads} threads, same run` : `pytorch unavailable: ${why}`;
  const vs = (value: number, refValue: number | undefined) =>
    ref && refValue !== undefined
      ? { reference: refName, reference_value: refValue, ratio: value / refValue }
      : { reference: refName };
  const name = `browser.train-step.${c.shape}`;
  return [
    { name, backend, config, value: seqPerS, unit: 'seq/s', ...vs(seqPerS, ref?.seqPerS) },
    { name: `${name}.ms`, backend, config, value: ms, unit: 'ms/step', ...vs(ms, ref?.msPerStep) },
  ];
}

/** `parts` picks the page figures, the train-step figures or (default) both. */
export async function benchBrowser(parts: { page?: boolean; steps?: boolean } = {}): Promise<BenchResult[]> {
  const { page = true, steps = true } = parts;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const out: BenchResult[] = [];
  try {
    if (page) out.push(...(await pageFigures(browser)));
    if (steps)
      // PyTorch runs after the browser work, so the two never share the CPU.
      for (const s of await browserSteps(browser)) out.push(...stepFigures(s, s.result, s.load));
  } finally {
    await browser.close();
  }
  return out;
}

async function pageFigures(browser: Browser): Promise<BenchResult[]> {
  const f = await pageFacts(browser);
  const cfg = `vite preview of dist/, ?backend=${f.backend}, headless Chromium`;
  const maxTask = f.longTasks.reduce((m, t) => Math.max(m, t.duration), 0);
  return [
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
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `--steps-only` / `--page-only` run one half (the page half builds dist/ when it is missing).
  const only = (f: string) => process.argv.includes(f);
  benchBrowser({ page: !only('--steps-only'), steps: !only('--page-only') }).then(
    (rs) => rs.forEach((r) => console.log(formatBenchResult(r))),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : String(err));
      process.exit(1);
    },
  );
}
