// Memory stays flat across epochs: 3,000 real SST-2 rows (the next 500 held out for the per-epoch
// evaluation), studio-bert-tiny-mlm with the encoder frozen (cached [CLS] features), 4 epochs on
// the wasm backend. A leak of even one tensor per batch or per evaluation would show in tfjs's own
// counters, which are exact, so those must be identical at every epoch end. RSS is noisy (V8 and
// the allocator keep freed pages), so it only gets a loose bound after a forced GC; the 50,000-row
// figures are in bench/memory.ts and bench/RESULTS.md.
import { readFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTable } from '../../../src/data';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import { tableExamples } from '../../../src/train/dataset';
import { loadClassifier, readTokenizer } from '../../../src/train/loadModel';
import { train, type TrainEvent } from '../../../src/train/loop';
import { sharedPath } from '../shared';
import { useWasm } from '../train/helpers';

beforeAll(useWasm);

const MODEL_DIR = sharedPath('models', 'studio-bert-tiny-mlm');
const TRAIN_ROWS = 3_000;
const VALID_ROWS = 500;
const EPOCHS = 4;
const MiB = 2 ** 20;

interface Sample {
  rss: number;
  numTensors: number;
  numBytes: number;
  wasmHeap: number;
}

// vitest's fork workers are not started with --expose-gc; the flag applies to contexts made after it.
function exposeGc(): (() => void) | null {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  return typeof gc === 'function' ? (gc as () => void) : null;
}

async function sst2(): Promise<{ train: ReturnType<typeof tableExamples>; padId: number }> {
  const table = await parseTable(new Uint8Array(await readFile(sharedPath('data', 'sst2', 'sst2_train.csv'))), {
    fileName: 'sst2_train.csv',
  });
  const tokenizer = await readTokenizer(nodeFolderSource(MODEL_DIR));
  const head = { ...table, rows: table.rows.slice(0, TRAIN_ROWS + VALID_ROWS) };
  const ex = tableExamples(head, { textColumn: 'text', labelColumn: 'label', multiLabel: false }, tokenizer, 64);
  return { train: ex, padId: tokenizer.padId };
}

describe('memory over a multi-epoch run (wasm, frozen encoder)', () => {
  it('keeps tensor counts and bytes identical at every epoch end, and RSS roughly flat', async () => {
    const gc = exposeGc();
    const { train: ex, padId } = await sst2();
    expect(ex.labels).toEqual(['0', '1']);
    expect(ex.examples.length).toBe(TRAIN_ROWS + VALID_ROWS);
    const { model } = await loadClassifier(nodeFolderSource(MODEL_DIR), {
      labels: ex.labels,
      head: { kind: 'linear' },
      multiLabel: false,
      seed: 1,
    });
    const wasm = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm;
    const before = tf.memory().numTensors;
    const samples: Sample[] = [];
    const losses: number[] = [];
    const onEvent = (e: TrainEvent): void => {
      if (e.type !== 'epochEnd') return;
      gc?.();
      const t = tf.memory();
      samples.push({
        rss: process.memoryUsage().rss,
        numTensors: t.numTensors,
        numBytes: t.numBytes,
        wasmHeap: wasm.HEAPU8.length,
      });
      losses.push(e.trainLoss);
    };
    let after = -1;
    try {
      await train(
        model,
        { train: ex.examples.slice(0, TRAIN_ROWS), valid: ex.examples.slice(TRAIN_ROWS), padId },
        { epochs: EPOCHS, batchSize: 32, lr: 3e-3, freeze: 'encoder', seed: 5, reportIntervalMs: 5000 },
        onEvent,
      );
      after = tf.memory().numTensors;
    } finally {
      model.dispose();
    }
    console.log(
      JSON.stringify(
        samples.map((s, i) => ({
          epoch: i + 1,
          loss: losses[i],
          rssMiB: +(s.rss / MiB).toFixed(1),
          numTensors: s.numTensors,
          numBytes: s.numBytes,
          wasmHeapMiB: s.wasmHeap / MiB,
        })),
      ),
    );
    expect(samples).toHaveLength(EPOCHS);
    // It really trained (so the epochs did work that could leak): the loss fell.
    expect(losses[EPOCHS - 1]!).toBeLessThan(losses[0]!);
    const first = samples[0]!;
    for (const s of samples) {
      expect(s.numTensors).toBe(first.numTensors);
      expect(s.numBytes).toBe(first.numBytes);
      // The wasm heap never shrinks: equal means no later epoch needed more than the first.
      expect(s.wasmHeap).toBe(first.wasmHeap);
    }
    expect(after).toBe(before);
    if (gc) expect(samples[EPOCHS - 1]!.rss - samples[1]!.rss).toBeLessThan(50 * MiB);
  });
});
