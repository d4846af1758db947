// Child process of bench/load.ts: loads one model folder the way the CLI does (loadClassifier:
// config + tokenizer + safetensors -> tf.Variables), runs one forward to finish initialisation,
// and prints seconds and memory as JSON. A fresh process so peak RSS belongs to this load alone.
import * as tf from '@tensorflow/tfjs';
import { nodeFolderSource } from '../src/model/checkpoint/nodeSource';
import { loadClassifier } from '../src/train/loadModel';
import { predictLogits } from '../src/train/evaluate';
import { useBackend } from './common';

const dir = process.argv[2];
if (!dir) throw new Error('usage: loadChild.ts MODEL_DIR');

await useBackend('wasm');
const rssBefore = process.memoryUsage().rss;
let heapPeak = 0;
// Sampling only sees the gaps between awaits; maxRSS below is the exact peak.
const timer = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
const t0 = performance.now();
const { model, tokenizer } = await loadClassifier(nodeFolderSource(dir), {
  labels: ['negative', 'positive'],
  head: { kind: 'linear' },
  multiLabel: false,
  seed: 1,
});
const tLoaded = performance.now();
const enc = tokenizer.encode('the studio loads a checkpoint', null, { maxLength: 128, truncation: true });
await predictLogits(model, [{ inputIds: enc.inputIds, tokenTypeIds: enc.tokenTypeIds, label: 0 }], {
  batchSize: 1,
  padId: tokenizer.padId,
});
const tReady = performance.now();
clearInterval(timer);
heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
const be = tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } };
console.log(
  JSON.stringify({
    loadSec: (tLoaded - t0) / 1000,
    readySec: (tReady - t0) / 1000,
    params: [...model.params.values()].reduce((n, v) => n + v.size, 0),
    rssBeforeMiB: rssBefore / 2 ** 20,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    heapPeakMiB: heapPeak / 2 ** 20,
    wasmHeapMiB: (be.wasm?.HEAPU8.length ?? 0) / 2 ** 20,
  }),
);
model.dispose();
