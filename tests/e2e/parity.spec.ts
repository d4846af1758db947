// BERT parity with the PyTorch fixtures (shared/fixtures/bert-parity) in Chromium, per tfjs
// backend: the browser half of tests/unit/model/{parity,grads}.test.ts. The harness page
// (tests/e2e/harness, its own Vite dev server) measures deviations; this file holds the README's
// tolerances to them. A backend that does not initialise fails the test: nothing is skipped.
import { expect, test, type Page } from '@playwright/test';
import { TOL, type HarnessBackend, type ParityReport } from './harness/types';

const HARNESS_URL = `http://127.0.0.1:${Number(process.env.E2E_HARNESS_PORT ?? 4318)}/`;

async function runParity(page: Page, backend: HarnessBackend): Promise<ParityReport> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(HARNESS_URL);
  await expect(page.locator('#status')).toHaveText('ready');
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  const report = await page.evaluate((b) => window.runParity(b), backend);
  expect(errors).toEqual([]);
  return report;
}

function worst(values: Record<string, number>): [string, number] {
  return Object.entries(values).reduce<[string, number]>((w, e) => (e[1] > w[1] ? e : w), ['none', -1]);
}

/** Every number against the README tolerances, softly, so one run shows every deviation. */
function expectWithinTolerances(r: ParityReport): void {
  expect(r.active, 'backend actually used').toBe(r.requested);
  expect(r.loadIssues, 'every parameter comes from the checkpoint').toEqual([]);
  // 2 bert-base formats x 2 batches x 5 + seqcls/tokcls 2 + qa 4 + mlm 5.
  expect(Object.keys(r.outputs)).toHaveLength(20 + 2 + 2 + 4 + 5);
  for (const [name, dev] of Object.entries(r.outputs))
    expect.soft(dev, `output ${name}`).toBeLessThanOrEqual(TOL.output);
  expect(Object.keys(r.losses)).toHaveLength(8); // 6 fixture losses + seq-cls from the gradient step + MLM from the .bin
  for (const [name, dev] of Object.entries(r.losses)) expect.soft(dev, `loss ${name}`).toBeLessThanOrEqual(TOL.lossRel);
  expect(Object.keys(r.grads)).toHaveLength(12); // 11 tensors + the word-embedding rows
  for (const [name, g] of Object.entries(r.grads)) expect.soft(g.worstRatio, `gradient ${name}`).toBeLessThanOrEqual(1);
  expect.soft(r.wordGradNonZeroElsewhere, 'word-embedding gradient of absent ids').toBe(0);
  expect.soft(r.top5Mismatches, 'MLM top-5 ids').toBe(0);
  expect.soft(r.numTensorsAfter, 'tensors leaked').toBe(r.numTensorsBefore);
}

function summary(r: ParityReport): string {
  const [outName, outDev] = worst(r.outputs);
  const [lossName, lossDev] = worst(r.losses);
  const gradRatios = Object.fromEntries(Object.entries(r.grads).map(([n, g]) => [n, g.worstRatio]));
  const gradAbs = Math.max(...Object.values(r.grads).map((g) => g.maxAbs));
  const [gradName, gradRatio] = worst(gradRatios);
  const f = (x: number): string => x.toExponential(2);
  return (
    `${r.active}: outputs max |diff| ${f(outDev)} (${outName}); losses max rel ${f(lossDev)} (${lossName}); ` +
    `gradients max |diff| ${f(gradAbs)}, worst ${f(gradRatio)} of tolerance (${gradName}); ` +
    `top-5 mismatches ${r.top5Mismatches}; tensors ${r.numTensorsBefore} -> ${r.numTensorsAfter}; ${r.ms} ms` +
    (r.webglFloat32 === undefined ? '' : `; float32 textures ${r.webglFloat32}`)
  );
}

const BACKENDS: HarnessBackend[] = ['wasm', 'webgpu', 'webgl'];

for (const backend of BACKENDS) {
  test(`BERT outputs, losses and gradients match PyTorch on ${backend}`, async ({ page }) => {
    // WebGPU runs on SwiftShader here (BROWSER.md): ~30 s idle, 85 s on a loaded 2-core machine.
    if (backend === 'webgpu') test.setTimeout(300_000);
    const report = await runParity(page, backend);
    console.log(summary(report));
    await test
      .info()
      .attach(`parity-${backend}.json`, { body: JSON.stringify(report, null, 2), contentType: 'application/json' });
    if (backend === 'webgl') expect(report.webglFloat32, 'WebGL renders to 32-bit float textures').toBe(true);
    expectWithinTolerances(report);
  });
}
