// Shared setup for the training tests: wasm backend with the training kernels, fixture loading.
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerTrainingKernels } from '../../../src/model';
import { readSafetensors, type WeightMap } from '../../../src/model/checkpoint';
import { sharedPath } from '../shared';

export async function useWasm(): Promise<void> {
  registerTrainingKernels();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not initialise');
  await tf.ready();
}

export const PARITY_DIR = sharedPath('fixtures', 'bert-parity');

export interface ParityFixture {
  batches: Record<
    string,
    { input_ids: number[][]; token_type_ids: number[][]; attention_mask: number[][]; shape: [number, number] }
  >;
  labels: { seqcls: number[]; seqcls_multi_hot: number[][] };
  losses: Record<string, number>;
  adamw: { loss_before_step_1_2_3_and_after_3: number[]; decay_params: string[]; no_decay_params: string[] };
}

export async function parityFixture(): Promise<{ fixture: ParityFixture; outputs: WeightMap }> {
  const fixture = JSON.parse(await readFile(`${PARITY_DIR}/fixture.json`, 'utf8')) as ParityFixture;
  const outputs = readSafetensors(new Uint8Array(await readFile(`${PARITY_DIR}/outputs.safetensors`)));
  return { fixture, outputs };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
