// Threaded WASM in the production build (vite build + preview, CSP header included): the pthread
// workers load the Emscripten glue as a real asset (vite.config.ts tfjsWasmThreadsGlue; minified,
// tfjs's own Blob of `factory.toString()` died with "ReferenceError: e is not defined"), the badge
// says whether threads run and why, and a thread start that fails falls back to single-threaded.
import { expect, test, type Page } from '@playwright/test';

/** Console errors and page errors, plus how often the pthread glue was fetched (once per pthread worker). */
function watch(page: Page): { errors: string[]; glueLoads: () => number } {
  const errors: string[] = [];
  let glue = 0;
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  // Context-wide: the glue is fetched by pthread workers nested in the training worker.
  page.context().on('requestfinished', (r) => {
    if (/\/assets\/tfjs-backend-wasm-threaded-simd-[^/]*\.js$/.test(r.url())) glue++;
  });
  return { errors, glueLoads: () => glue };
}

/** The badge's notes (its title lists every skip reason and note). */
async function wasmNotes(page: Page): Promise<string> {
  const badge = page.getByRole('status', { name: 'Backend' });
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  return (await badge.getAttribute('title')) ?? '';
}

test('?threads=1 starts the threaded WASM build and a matmul on it checks out', async ({ page }) => {
  const seen = watch(page);
  await page.goto('/?backend=wasm&threads=1');
  const notes = await wasmNotes(page);
  // selectBackend only reports threads after an exact 128x128 matmul on the threaded backend.
  expect(notes).toMatch(
    /^WASM threads on(: \d+ threads|, but 1 thread: tfjs uses half of the \d+ logical cores) \(threads=1 in the URL\)$/m,
  );
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  // tfjs's pool is half the logical cores, capped at 8; on 2-3 cores the studio asks it for 2.
  if (cores >= 2)
    expect(notes).toContain(`WASM threads on: ${cores >= 4 ? Math.min(8, Math.floor(cores / 2)) : 2} threads`);
  // Its pthread pool (8 workers) each loaded the glue from the asset URL, not from a Blob.
  expect(seen.glueLoads()).toBeGreaterThanOrEqual(8);
  expect(seen.errors).toEqual([]);
});

test('by default threads follow the core count, and ?threads=0 turns them off', async ({ page }) => {
  const seen = watch(page);
  await page.goto('/?backend=wasm');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const notes = await wasmNotes(page);
  // tfjs's pool is half the logical cores, capped at 8; on 2-3 cores the studio asks it for 2.
  if (cores >= 2)
    expect(notes).toContain(
      `WASM threads on: ${cores >= 4 ? Math.min(8, Math.floor(cores / 2)) : 2} threads (${cores} cores)`,
    );
  else expect(notes).toContain('WASM single-threaded (1 core: nothing to share the work with');

  await page.goto('/?backend=wasm&threads=0');
  expect(await wasmNotes(page)).toContain('WASM single-threaded (threads=0 in the URL)');
  expect(seen.errors).toEqual([]);
});

test('when the pthread workers fail to start, WASM falls back to one thread and says why', async ({ page }) => {
  const seen = watch(page);
  await page.context().route(/\/assets\/tfjs-backend-wasm-threaded-simd-[^/]*\.js$/, (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      headers: { 'Cross-Origin-Resource-Policy': 'same-origin' },
      body: 'throw new Error("glue broken on purpose")',
    }),
  );
  await page.goto('/?backend=wasm&threads=1');
  const notes = await wasmNotes(page);
  expect(notes).toMatch(
    /WASM single-threaded: threads failed to start \(a pthread worker failed: .*glue broken on purpose/,
  );
  // Each broken pthread worker logs its own error (and Emscripten says so); nothing else may fail,
  // and the engine stays up once the rest of the pool has failed too.
  await page.waitForTimeout(1000);
  await expect(page.getByRole('status', { name: 'Backend' })).toHaveAttribute('data-backend', 'wasm');
  expect(seen.errors.filter((e) => !/glue broken on purpose|worker sent an error/.test(e))).toEqual([]);
});
