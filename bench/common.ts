// Shared pieces of the benchmarks: the BERT shapes they time, tfjs backend set-up (the same
// wasm settings the tests and the worker use), small statistics helpers and synthetic batches.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createBert, parseBertConfig, registerTrainingKernels, type BertConfig } from '../src/model';
import { mulberry32 } from '../src/lib/rng';
import type { Example } from '../src/train/batches';
import { SequenceClassifier } from '../src/train/classifier';

export type BenchBackend = 'wasm' | 'cpu';

/** Google's BERT miniatures (Turc et al. 2019) and bert-base-uncased; vocab 30,522 uncased. */
export const SHAPES = {
  tiny: { num_hidden_layers: 2, hidden_size: 128, num_attention_heads: 2, intermediate_size: 512 },
  mini: { num_hidden_layers: 4, hidden_size: 256, num_attention_heads: 4, intermediate_size: 1024 },
  base: { num_hidden_layers: 12, hidden_size: 768, num_attention_heads: 12, intermediate_size: 3072 },
} as const;
export type ShapeName = keyof typeof SHAPES;

export function shapeConfig(name: ShapeName): BertConfig {
  return parseBertConfig({ ...SHAPES[name], vocab_size: 30522 });
}

export function shapeLabel(name: ShapeName): string {
  const s = SHAPES[name];
  return `BERT-${name[0]!.toUpperCase()}${name.slice(1)} L${s.num_hidden_layers}/H${s.hidden_size}/A${s.num_attention_heads}/I${s.intermediate_size}`;
}

/** Single-threaded wasm (as the worker runs on <= 2 cores, BROWSER.md) or plain-JS cpu. */
export async function useBackend(name: BenchBackend): Promise<void> {
  registerTrainingKernels();
  if (name === 'wasm') tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} did not initialise`);
  await tf.ready();
}

/** A 2-label sequence classifier with freshly initialised weights of the given shape. */
export function randomClassifier(name: ShapeName, seed = 1): SequenceClassifier {
  const bert = createBert(shapeConfig(name), { head: 'seq-cls', numLabels: 2, seed });
  return new SequenceClassifier(bert, { kind: 'linear' }, ['neg', 'pos'], false, seed + 1);
}

/** Rows of exactly `len` tokens ([CLS] ids [SEP]), random ids and labels: every batch is [B, len]. */
export function syntheticExamples(n: number, len: number, seed = 7): Example[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const ids = Array.from({ length: len }, () => 1000 + Math.floor(rand() * 29000));
    ids[0] = 101;
    ids[len - 1] = 102;
    return { inputIds: ids, tokenTypeIds: new Array<number>(len).fill(0), label: rand() < 0.5 ? 0 : 1 };
  });
}

export const median = (xs: readonly number[]): number => percentile(xs, 50);

/** Nearest-rank percentile (p in [0, 100]). */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
