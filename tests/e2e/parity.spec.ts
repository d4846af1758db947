// BERT parity with the PyTorch fixtures (shared/fixtures/bert-parity) in Chromium, per tfjs
// backend: the browser half of tests/unit/model/{parity,grads}.test.ts. The harness page
// (tests/e2e/harness, its own Vite dev server) measures deviations; this file holds the README's
// tolerances to them. A backend that does not initialise fails the test: nothing is skipped.
import { expect, test, type Page } from '@playwright/test';
import {
  TOL,
  type HarnessBackend,
  type ParityReport,
  type TrainLoopReport,
  type TrainLoopRun,
  type TrainParityReport,
} from './harness/types';

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

/** A fresh harness page (one backend per page), then `run` in it. */
async function inHarness<T>(page: Page, run: () => Promise<T>): Promise<T> {
  const errors: string[] = [];
  const onError = (e: Error): number => errors.push(e.message);
  page.on('pageerror', onError);
  await page.goto(HARNESS_URL);
  await expect(page.locator('#status')).toHaveText('ready');
  const report = await run();
  page.off('pageerror', onError);
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

// The engine's training path (src/train: loadClassifier, lossAndGrads, AdamW with HF grouping)
// against the fixture's 3 torch.optim.AdamW steps; every read-back in it is asynchronous, which is
// what makes WebGPU work at all (a sync read returns zeros and loses the device under SwiftShader).
// wasm-threads: tfjs-wasm's threaded build with 2+ threads, where XNNPACK splits every product over
// the pool (from 3 threads attention's batched products also take the depthwise-convolution form,
// ops.ts batchedMatMulKind; its unit tests compare it with tf ops).
for (const backend of ['wasm', 'wasm-threads', 'webgpu'] as const) {
  test(`AdamW training steps through the engine match PyTorch on ${backend}`, async ({ page }) => {
    if (backend === 'webgpu') test.setTimeout(300_000);
    const r: TrainParityReport = await inHarness(page, () => page.evaluate((b) => window.runTrainParity(b), backend));
    const f = (x: number): string => x.toExponential(2);
    console.log(
      `${r.active} AdamW: losses ${r.losses.map((l) => l.toFixed(7)).join(', ')} (max rel ${f(Math.max(...r.lossRel))}); ` +
        `params max |diff| ${f(Math.max(...Object.values(r.params)))}; tensors ${r.numTensorsBefore} -> ${r.numTensorsAfter}; ${r.ms} ms`,
    );
    expect(r.active, 'backend actually used').toBe(backend === 'wasm-threads' ? 'wasm' : backend);
    expect(r.decayGroupingMatches, 'decay grouping = HF Trainer').toBe(true);
    expect(r.losses).toHaveLength(4);
    r.lossRel.forEach((d, i) =>
      expect.soft(d, `loss ${i} (${r.losses[i]} vs ${r.expectedLosses[i]})`).toBeLessThanOrEqual(TOL.lossRel),
    );
    expect(Object.keys(r.params)).toHaveLength(9);
    for (const [name, d] of Object.entries(r.params))
      expect.soft(d, `after 3 steps: ${name}`).toBeLessThanOrEqual(TOL.paramAbs);
    expect.soft(r.numTensorsAfter, 'tensors leaked').toBe(r.numTensorsBefore);
  });
}

function expectHealthyRun(run: TrainLoopRun, what: string, steps: number, epochs: number): void {
  expect(run.errors, `${what}: errors`).toEqual([]);
  expect(run.done, `${what}: done event`).toEqual({ reason: 'completed', steps, totalSteps: steps });
  expect(
    run.steps.map((s) => s.step),
    `${what}: one step event per update`,
  ).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
  for (const s of run.steps) {
    // Zeros are what a broken (synchronous) WebGPU read-back gives.
    expect.soft(Number.isFinite(s.loss) && s.loss > 0.5, `${what}: step ${s.step} loss ${s.loss}`).toBe(true);
    expect
      .soft(Number.isFinite(s.gradNorm) && s.gradNorm > 0, `${what}: step ${s.step} grad norm ${s.gradNorm}`)
      .toBe(true);
  }
  expect(run.epochs).toHaveLength(epochs);
  for (const e of run.epochs) {
    expect.soft(Number.isFinite(e.trainLoss) && e.trainLoss > 0, `${what}: epoch ${e.epoch} train loss`).toBe(true);
    expect.soft(Number.isFinite(e.validLoss) && e.validLoss > 0, `${what}: epoch ${e.epoch} valid loss`).toBe(true);
  }
  expect(run.checkpoints.length, `${what}: checkpoints handed out`).toBeGreaterThan(0);
  for (const c of run.checkpoints) {
    expect.soft(c.weightsAbsSum, `${what}: checkpoint at step ${c.step} weights`).toBeGreaterThan(0);
    expect.soft(c.momentsAbsSum, `${what}: checkpoint at step ${c.step} Adam moments`).toBeGreaterThan(0);
  }
  expect.soft(run.finalWeightsAbsSum, `${what}: final state weights`).toBeGreaterThan(0);
}

// train() (loop.ts) as the worker runs it: step events, evaluation, checkpoints, frozen-encoder
// feature cache. WebGPU's numbers must be finite, non-zero and the same as WASM's.
test("train() on WebGPU gives finite, non-zero losses equal to WASM's", async ({ page }) => {
  test.setTimeout(400_000);
  const reports: Record<'wasm' | 'webgpu', TrainLoopReport> = {
    wasm: await inHarness(page, () => page.evaluate(() => window.runTrainLoop('wasm'))),
    webgpu: await inHarness(page, () => page.evaluate(() => window.runTrainLoop('webgpu'))),
  };
  for (const [backend, r] of Object.entries(reports)) {
    console.log(
      `${r.active} train(): losses ${r.full.steps.map((s) => s.loss.toFixed(6)).join(', ')}; ` +
        `frozen ${r.frozen.steps.map((s) => s.loss.toFixed(6)).join(', ')}; ${r.ms} ms`,
    );
    expect(r.active, 'backend actually used').toBe(backend);
    expectHealthyRun(r.full, `${backend} full`, 6, 2);
    expectHealthyRun(r.frozen, `${backend} frozen encoder`, 3, 1);
    expect(r.frozen.phaseDone, `${backend}: features cached for train + valid rows`).toEqual([22, 22]);
    expect.soft(r.numTensorsAfter, `${backend}: tensors leaked`).toBe(r.numTensorsBefore);
  }
  // Same seed, same engine: the backends agree on every reported number.
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= TOL.lossRel * Math.abs(b);
  for (const run of ['full', 'frozen'] as const) {
    const [w, g] = [reports.wasm[run], reports.webgpu[run]];
    g.steps.forEach((s, i) => {
      expect
        .soft(close(s.loss, w.steps[i]!.loss), `${run} step ${s.step} loss ${s.loss} vs wasm ${w.steps[i]!.loss}`)
        .toBe(true);
      expect.soft(close(s.gradNorm, w.steps[i]!.gradNorm), `${run} step ${s.step} grad norm`).toBe(true);
    });
    g.epochs.forEach((e, i) =>
      expect.soft(close(e.validLoss, w.epochs[i]!.validLoss), `${run} epoch ${e.epoch} valid loss`).toBe(true),
    );
  }
});

// The same run on tfjs-wasm's threaded build (a 2+ thread pool): dropout, the feature cache and
// every step must come out as on one thread.
test('train() on threaded WASM gives the single-threaded losses', async ({ page }) => {
  test.setTimeout(300_000);
  const one = await inHarness(page, () => page.evaluate(() => window.runTrainLoop('wasm')));
  const pool = await inHarness(page, () => page.evaluate(() => window.runTrainLoop('wasm-threads')));
  expectHealthyRun(pool.full, 'threaded full', 6, 2);
  expectHealthyRun(pool.frozen, 'threaded frozen encoder', 3, 1);
  expect.soft(pool.numTensorsAfter, 'threaded: tensors leaked').toBe(pool.numTensorsBefore);
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= TOL.lossRel * Math.abs(b);
  for (const run of ['full', 'frozen'] as const)
    pool[run].steps.forEach((s, i) => {
      const w = one[run].steps[i]!;
      expect.soft(close(s.loss, w.loss), `${run} step ${s.step} loss ${s.loss} vs one thread ${w.loss}`).toBe(true);
      expect.soft(close(s.gradNorm, w.gradNorm), `${run} step ${s.step} grad norm`).toBe(true);
    });
});
