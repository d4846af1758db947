// In-browser BERT parity harness: window.runParity(backend) forces one tfjs backend through the
// studio's own selectBackend, loads every fixture checkpoint over HTTP and measures how far its
// outputs, losses and gradients are from PyTorch's (shared/fixtures/bert-parity). parity.spec.ts
// asserts the numbers against the fixture README's tolerances. window.runTrainParity and
// window.runTrainLoop (train.ts) do the same for the training engine (AdamW steps, train()).
import * as tf from '@tensorflow/tfjs';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerTrainingKernels, type BertModel, type HeadKind } from '../../../src/model';
import { selectBackend } from '../../../src/model/backend';
import { encoderOutputs, headLogits, losses, mlmOutputs, seqClsGradients } from './checks';
import { loadFixtureModel, loadFixtureSet, type FixtureSet } from './fixtures';
import { trainLoop, trainParity } from './train';
import type { HarnessBackend, ParityReport } from './types';

const abs = (u: string): string => new URL(u, globalThis.location.href).href;
const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': abs(wasmUrl),
  'tfjs-backend-wasm-simd.wasm': abs(wasmSimdUrl),
  'tfjs-backend-wasm-threaded-simd.wasm': abs(wasmThreadedUrl),
};

async function activate(backend: HarnessBackend): Promise<string[]> {
  const threads = backend === 'wasm-threads';
  const engine = threads ? 'wasm' : backend;
  // selectBackend falls back down its order when the requested one fails: that must fail here.
  const choice = await selectBackend({ preferred: engine, wasmPaths: WASM_PATHS, wasmThreads: threads || undefined });
  const active = tf.getBackend();
  if (choice.backend !== engine || active !== engine) {
    const why = choice.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
    throw new Error(`requested tfjs backend ${engine}, got ${choice.backend} (tf.getBackend() = ${active}); ${why}`);
  }
  // A threaded start that fell back to one thread, or got a 1-thread pool, would test nothing new.
  if (threads && !choice.notes.some((n) => /^WASM threads on: \d+ threads/.test(n)))
    throw new Error(`threaded WASM did not run a pool of 2+ threads: ${choice.notes.join('; ')}`);
  return choice.notes;
}

/** Why the WebGPU device was lost, once it is: a lost device otherwise only shows as failed reads. */
let deviceLost: string | null = null;
function watchDevice(): void {
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ reason: string; message: string }> } })
    .device;
  void device?.lost?.then((info) => (deviceLost = `WebGPU device lost (${info.reason}): ${info.message}`));
}

async function runParity(backend: HarnessBackend): Promise<ParityReport> {
  const t0 = performance.now();
  registerTrainingKernels();
  const notes = await activate(backend);
  if (backend === 'webgpu') watchDevice();
  const fx = await loadFixtureSet();
  const numTensorsBefore = tf.memory().numTensors;
  const report: ParityReport = {
    requested: backend,
    active: tf.getBackend(),
    notes,
    loadIssues: [],
    outputs: {},
    losses: {},
    top5Mismatches: -1,
    grads: {},
    wordGradNonZeroElsewhere: -1,
    numTensorsBefore,
    numTensorsAfter: -1,
    ms: 0,
    stageMs: {},
  };
  if (backend === 'webgl') report.webglFloat32 = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');

  // One model at a time, disposed before the next: WebGPU/WebGL here are CPU emulators.
  const withModel = async (
    folder: string,
    head: HeadKind,
    format: 'safetensors' | 'pytorch',
    fn: (m: BertModel) => Promise<void>,
  ) => {
    const stage = `${folder} (${format}) on ${backend}`;
    document.getElementById('status')!.textContent = stage;
    const t = performance.now();
    const model = await loadFixtureModel(folder, head, format, report.loadIssues);
    try {
      await fn(model);
      report.stageMs[`${folder} (${format})`] = Math.round(performance.now() - t);
    } catch (err) {
      const lost = deviceLost === null ? '' : ` [${deviceLost}]`;
      throw new Error(`${stage}: ${err instanceof Error ? err.message : String(err)}${lost}`, { cause: err });
    } finally {
      model.dispose();
    }
  };
  await withModel('bert-base', 'base', 'safetensors', (m) => encoderOutputs(m, fx, 'base', report.outputs));
  await withModel('bert-base', 'base', 'pytorch', (m) => encoderOutputs(m, fx, 'base-bin', report.outputs));
  await withModel('bert-seqcls', 'seq-cls', 'safetensors', async (m) => {
    await headLogits(m, fx, report.outputs);
    await losses(m, fx, report.losses);
    const g = await seqClsGradients(m, fx);
    report.grads = g.grads;
    report.losses['seqcls_single_label_ce (gradient step)'] = g.lossRel;
    report.wordGradNonZeroElsewhere = g.nonZeroElsewhere;
  });
  await withModel('bert-tokcls', 'token-cls', 'safetensors', async (m) => {
    await headLogits(m, fx, report.outputs);
    await losses(m, fx, report.losses);
  });
  await withModel('bert-qa', 'qa', 'safetensors', async (m) => {
    await headLogits(m, fx, report.outputs);
    await losses(m, fx, report.losses);
  });
  await withModel('bert-mlm', 'mlm', 'safetensors', async (m) => {
    report.top5Mismatches = await mlmOutputs(m, fx, report.outputs);
    await losses(m, fx, report.losses);
  });
  // The .bin holds the tied decoder as views of the embedding storage: the loss goes through it.
  await withModel('bert-mlm', 'mlm', 'pytorch', (m) => losses(m, fx, report.losses, ' (pytorch_model.bin)'));
  report.active = tf.getBackend();
  report.numTensorsAfter = tf.memory().numTensors;
  report.ms = Math.round(performance.now() - t0);
  return report;
}

/**
 * WebGPU validation errors. A failing pipeline (e.g. too many storage buffers) drops its whole
 * command buffer without any exception: results are silently zeros or stale, so any error fails.
 */
const gpuErrors: string[] = [];
function watchGpuErrors(): void {
  type ErrorTarget = { addEventListener(type: string, fn: (e: { error?: { message?: string } }) => void): void };
  const device = (tf.backend() as unknown as { device?: ErrorTarget }).device;
  device?.addEventListener('uncapturederror', (e) => gpuErrors.push(e.error?.message ?? 'unknown WebGPU error'));
}

/** Runs `fn` on `backend` (forced as in runParity); a lost WebGPU device is named in the error. */
async function onBackend<T>(backend: HarnessBackend, stage: string, fn: (fx: FixtureSet) => Promise<T>): Promise<T> {
  registerTrainingKernels();
  await activate(backend);
  if (backend === 'webgpu') {
    watchDevice();
    watchGpuErrors();
  }
  document.getElementById('status')!.textContent = `${stage} on ${backend}`;
  try {
    const result = await fn(await loadFixtureSet());
    if (gpuErrors.length > 0) throw new Error(`${gpuErrors.length} WebGPU errors, first: ${gpuErrors[0]}`);
    return result;
  } catch (err) {
    const lost = deviceLost === null ? '' : ` [${deviceLost}]`;
    throw new Error(`${stage} on ${backend}: ${err instanceof Error ? err.message : String(err)}${lost}`, {
      cause: err,
    });
  }
}

window.runParity = runParity;
window.runTrainParity = (backend) => onBackend(backend, 'AdamW parity', (fx) => trainParity(backend, fx));
window.runTrainLoop = (backend) => onBackend(backend, 'train()', (fx) => trainLoop(backend, fx));
document.getElementById('status')!.textContent = 'ready';
