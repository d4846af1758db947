import { expect, test, type ConsoleMessage } from '@playwright/test';

function collectErrors(page: import('@playwright/test').Page): string[] {
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('the studio shell loads, is cross-origin isolated and reports the WASM backend', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/?backend=wasm');
  await expect(page.getByRole('heading', { name: 'BERT Studio' })).toBeVisible();
  const badge = page.getByRole('status', { name: 'Backend' });
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  expect(errors).toEqual([]);
});

test('without a forced backend the worker picks the first that initialises and says why', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  const badge = page.getByRole('status', { name: 'Backend' });
  await expect(badge).toHaveAttribute('data-backend', /^(webgpu|webgl|wasm|cpu)$/);
  const name = await badge.getAttribute('data-backend');
  // Anything after webgpu means the faster ones were skipped, each with a reason.
  if (name !== 'webgpu') await expect(badge.locator('details li').first()).toContainText('skipped');
  expect(errors).toEqual([]);
});

test('the page does not scroll sideways at phone width', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto('/?backend=cpu');
  await expect(page.getByRole('status', { name: 'Backend' })).toHaveAttribute('data-backend', 'cpu');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
