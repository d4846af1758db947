// Where a training step's time goes in Chromium (not part of `npm run bench`): bench/profileStep.ts's
// phases and kernel tables on the browser's wasm backend, single-threaded and with a thread pool
// (the app's default from 2 cores), wall-clock ms on the page's main thread. Usage:
//   npx tsx bench/profileBrowser.ts [tiny|mini] [threads ...]     (default: tiny 1 2)
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/e2e/browser';
import { serveBenchPages } from './browser';

const args = process.argv.slice(2);
const shape = args[0] ?? 'tiny';
const threadCounts = args.length > 1 ? args.slice(1).map(Number) : [1, 2];

const { url, close } = await serveBenchPages();
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
try {
  for (const threads of threadCounts) {
    // A fresh page per case: tfjs-wasm picks its build (threaded or not) once per page.
    const page = await browser.newPage();
    await page.goto(`${url}/profile.html?shape=${shape}&threads=${threads}`);
    await page.waitForFunction(() => window.__profile !== undefined, undefined, { timeout: 600_000 });
    const r = await page.evaluate(() => window.__profile!);
    await page.close();
    if ('error' in r) throw new Error(`${shape}, ${threads} thread(s): ${r.error}`);
    console.log(`=== ${shape}, ${threads} thread(s)\n${r.lines.join('\n')}\n`);
  }
} finally {
  await browser.close();
  await close();
}
