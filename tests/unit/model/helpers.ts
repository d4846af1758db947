// Shared helpers for the model tests: the PyTorch parity fixtures and tolerance checks.
import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { expect } from 'vitest';
import { readSafetensors } from '../../../src/model/checkpoint/safetensors';
import type { RawTensor, WeightMap } from '../../../src/model/checkpoint/types';
import {
  loadBertFromWeights,
  parseBertConfig,
  type BertModel,
  type HeadKind,
  type LoadReport,
} from '../../../src/model';
import { sharedPath } from '../shared';

export const FIXTURE_DIR = sharedPath('fixtures', 'bert-parity');
export const BACKENDS = ['cpu', 'wasm'] as const;

export interface Fixture {
  losses: Record<string, number>;
  labels: {
    seqcls: number[];
    seqcls_multi_hot: number[][];
    tokcls: number[][];
    qa_start_positions: number[];
    qa_end_positions: number[];
    mlm_input_ids: number[][];
    mlm_labels: number[][];
  };
  gradients: { tensors: string[] };
}

let fixtureCache: Fixture | undefined;
export function fixture(): Fixture {
  fixtureCache ??= JSON.parse(fs.readFileSync(`${FIXTURE_DIR}/fixture.json`, 'utf8')) as Fixture;
  return fixtureCache;
}

let outputsCache: WeightMap | undefined;
export function outputs(): WeightMap {
  outputsCache ??= readSafetensors(fs.readFileSync(`${FIXTURE_DIR}/outputs.safetensors`));
  return outputsCache;
}

export function out(name: string): RawTensor {
  const t = outputs().get(name);
  if (!t) throw new Error(`outputs.safetensors has no ${name}`);
  return t;
}

export function readConfig(folder: string): unknown {
  return JSON.parse(fs.readFileSync(`${FIXTURE_DIR}/${folder}/config.json`, 'utf8'));
}

export function checkpointWeights(folder: string): WeightMap {
  return readSafetensors(fs.readFileSync(`${FIXTURE_DIR}/${folder}/model.safetensors`));
}

export function loadFixtureModel(folder: string, head: HeadKind): { model: BertModel; report: LoadReport } {
  return loadBertFromWeights(parseBertConfig(readConfig(folder)), checkpointWeights(folder), { head });
}

/** int32 tensor from a fixture array (I64 in the file, int32 after reading). */
export function intTensor(name: string): tf.Tensor {
  const t = out(name);
  return tf.tensor(t.data, t.shape, 'int32');
}

export function batchInputs(batch: 'main' | 'trunc'): {
  inputIds: tf.Tensor;
  tokenTypeIds: tf.Tensor;
  attentionMask: tf.Tensor;
} {
  return {
    inputIds: intTensor(`${batch}.input_ids`),
    tokenTypeIds: intTensor(`${batch}.token_type_ids`),
    attentionMask: intTensor(`${batch}.attention_mask`),
  };
}

/**
 * Asserts |a - e| <= abs + rel * |e| elementwise. `rowMask` (one entry per leading row of
 * `rowSize` values) skips rows, e.g. padded tokens. Returns the max abs error seen.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what: string,
  {
    abs = 0,
    rel = 0,
    rowMask,
    rowSize = 1,
  }: { abs?: number; rel?: number; rowMask?: ArrayLike<number>; rowSize?: number },
): number {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let maxErr = 0;
  let compared = 0;
  for (let i = 0; i < expected.length; i++) {
    if (rowMask && rowMask[Math.floor(i / rowSize)] === 0) continue;
    const a = actual[i]!;
    const e = expected[i]!;
    const err = Math.abs(a - e);
    if (!(err <= abs + rel * Math.abs(e)))
      throw new Error(`${what}[${i}]: got ${a}, expected ${e} (|diff| ${err} > ${abs} + ${rel}*|e|)`);
    maxErr = Math.max(maxErr, err);
    compared++;
  }
  expect(compared, `${what}: nothing compared`).toBeGreaterThan(0);
  return maxErr;
}

export function expectRelClose(actual: number, expected: number, rel: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.abs(expected);
  if (!(err <= rel)) throw new Error(`${what}: got ${actual}, expected ${expected} (rel err ${err} > ${rel})`);
}

export async function useBackend(name: (typeof BACKENDS)[number]): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`could not activate tfjs backend ${name}`);
}
