// Load time and memory of a BERT-Base-sized checkpoint: a synthetic bert-base-uncased-shaped
// model.safetensors (written with the project's writeSafetensors) plus config.json and the real
// vocab.txt in os.tmpdir(), loaded in a fresh Node process (bench/loadChild.ts).
// Standalone: `npx tsx bench/load.ts`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bertConfigToJson, modelSpecs } from '../src/model';
import { writeSafetensors, type WeightMap } from '../src/model/checkpoint';
import { mulberry32 } from '../src/lib/rng';
import { sharedPath } from '../tests/unit/shared';
import { shapeConfig, shapeLabel } from './common';
import { formatBenchResult, type BenchResult } from './types';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** bert-base-uncased as BertForMaskedLM ships it on the hub: encoder, pooler, MLM head. */
function writeBaseFolder(dir: string): number {
  const config = shapeConfig('base');
  const weights: WeightMap = new Map();
  const rand = mulberry32(5);
  for (const spec of [...modelSpecs(config, 'seq-cls', 2)].filter((s) => !s.name.startsWith('classifier.'))) {
    const n = spec.shape.reduce((a, d) => a * d, 1);
    const data = new Float32Array(n);
    // Small values of the right spread; a cheap generator, not every element drawn.
    const block = Float32Array.from({ length: 4096 }, () => (rand() - 0.5) * 0.04);
    for (let i = 0; i < n; i += block.length) data.set(block.subarray(0, Math.min(block.length, n - i)), i);
    weights.set(spec.name, { dtype: 'float32', shape: spec.shape, data });
  }
  const bytes = writeSafetensors(weights);
  writeFileSync(path.join(dir, 'model.safetensors'), bytes);
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ ...bertConfigToJson(config), architectures: ['BertModel'] }, null, 2),
  );
  copyFileSync(sharedPath('models', 'vocab', 'bert-base-uncased-vocab.txt'), path.join(dir, 'vocab.txt'));
  return statSync(path.join(dir, 'model.safetensors')).size;
}

interface ChildReport {
  loadSec: number;
  readySec: number;
  params: number;
  rssBeforeMiB: number;
  maxRssMiB: number;
  heapPeakMiB: number;
  wasmHeapMiB: number;
}

export async function benchLoad(): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bert-studio-bench-'));
  try {
    const bytes = writeBaseFolder(dir);
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(HERE, 'loadChild.ts'), dir], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (r.status !== 0) throw new Error(`loadChild failed (${r.status ?? r.signal}): ${r.stderr.slice(-800)}`);
    const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as ChildReport;
    const config = `${shapeLabel('base')}, ${(bytes / 2 ** 20).toFixed(0)} MiB safetensors, ${j.params} params, Node`;
    return [
      {
        name: 'load.base.seconds',
        backend: 'wasm',
        config: `${config}, read + parse + variables`,
        value: j.loadSec,
        unit: 's',
      },
      { name: 'load.base.ready', backend: 'wasm', config: `${config}, + first forward`, value: j.readySec, unit: 's' },
      {
        name: 'load.base.peak-rss',
        backend: 'wasm',
        config: `${config}, process maxRSS (before load: ${j.rssBeforeMiB.toFixed(0)} MiB)`,
        value: j.maxRssMiB,
        unit: 'MiB',
      },
      {
        name: 'load.base.js-heap-peak',
        backend: 'wasm',
        config: `${config}, sampled V8 heapUsed`,
        value: j.heapPeakMiB,
        unit: 'MiB',
      },
      {
        name: 'load.base.wasm-heap',
        backend: 'wasm',
        config: `${config}, wasm memory after first forward`,
        value: j.wasmHeapMiB,
        unit: 'MiB',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchLoad().then(
    (rs) => rs.forEach((r) => console.log(formatBenchResult(r))),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : String(err));
      process.exit(1);
    },
  );
}
