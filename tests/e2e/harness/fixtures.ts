// Browser side of the parity fixtures (shared/fixtures/bert-parity, served by vite.config.ts under
// /bert-parity/): fetches fixture.json, outputs.safetensors and the checkpoints over HTTP the way the
// studio does (urlSource + loadCheckpoint), and measures deviations from the PyTorch values.
import * as tf from '@tensorflow/tfjs';
import {
  loadCheckpoint,
  readPytorchBin,
  readSafetensors,
  urlSource,
  type RawTensor,
  type WeightMap,
} from '../../../src/model/checkpoint';
import {
  loadBertFromWeights,
  parseBertConfig,
  type BertInputs,
  type BertModel,
  type HeadKind,
} from '../../../src/model';

const FIXTURES = `${globalThis.location.origin}/bert-parity`;

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
  adamw: { loss_before_step_1_2_3_and_after_3: number[]; decay_params: string[]; no_decay_params: string[] };
}

export class FixtureSet {
  constructor(
    readonly json: Fixture,
    private readonly outputs: WeightMap,
  ) {}

  out(name: string): RawTensor {
    const t = this.outputs.get(name);
    if (!t) throw new Error(`outputs.safetensors has no ${name}`);
    return t;
  }

  /** Names in outputs.safetensors that start with `prefix`, in file order. */
  names(prefix: string): string[] {
    return [...this.outputs.keys()].filter((n) => n.startsWith(prefix));
  }

  /** int32 tensor from a fixture array (I64 in the file, int32 after reading). */
  intTensor(name: string): tf.Tensor {
    const t = this.out(name);
    return tf.tensor(t.data, t.shape, 'int32');
  }

  inputs(batch: 'main' | 'trunc'): Required<BertInputs> {
    return {
      inputIds: this.intTensor(`${batch}.input_ids`),
      tokenTypeIds: this.intTensor(`${batch}.token_type_ids`),
      attentionMask: this.intTensor(`${batch}.attention_mask`),
    };
  }
}

async function fetchBytes(name: string): Promise<Uint8Array> {
  const res = await fetch(`${FIXTURES}/${name}`);
  if (!res.ok) throw new Error(`GET ${FIXTURES}/${name}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

export async function loadFixtureSet(): Promise<FixtureSet> {
  const json = JSON.parse(new TextDecoder().decode(await fetchBytes('fixture.json'))) as Fixture;
  return new FixtureSet(json, readSafetensors(await fetchBytes('outputs.safetensors')));
}

/**
 * A fixture checkpoint, read from model.safetensors (through loadCheckpoint, as the studio does) or
 * pytorch_model.bin. Parameters the loader initialised or found mis-shaped go to `issues`.
 */
export async function loadFixtureModel(
  folder: string,
  head: HeadKind,
  format: 'safetensors' | 'pytorch',
  issues: string[],
): Promise<BertModel> {
  const source = urlSource(`${FIXTURES}/${folder}`);
  const configText = await source.readText('config.json');
  if (configText === null) throw new Error(`${folder}/config.json is missing`);
  let weights: WeightMap;
  if (format === 'safetensors') {
    const ckpt = await loadCheckpoint(source);
    if (ckpt.format !== 'safetensors') throw new Error(`${folder}: loaded ${ckpt.format}, not safetensors`);
    weights = ckpt.weights;
  } else {
    const bytes = await source.read('pytorch_model.bin');
    if (bytes === null) throw new Error(`${folder}/pytorch_model.bin is missing`);
    weights = readPytorchBin(bytes);
  }
  const { model, report } = loadBertFromWeights(parseBertConfig(JSON.parse(configText)), weights, { head });
  for (const name of report.initialised) issues.push(`${folder} (${format}): initialised ${name}`);
  for (const name of report.mismatched) issues.push(`${folder} (${format}): mismatched ${name}`);
  return model;
}

/**
 * Max |actual - expected|, skipping rows (of `rowSize` values) whose `rowMask` entry is 0 (padded
 * tokens). A NaN counts as Infinity so it can never pass.
 */
export function maxAbsDev(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what: string,
  rowMask?: ArrayLike<number>,
  rowSize = 1,
): number {
  if (actual.length !== expected.length)
    throw new Error(`${what}: ${actual.length} values, the fixture has ${expected.length}`);
  let max = 0;
  let compared = 0;
  for (let i = 0; i < expected.length; i++) {
    if (rowMask && rowMask[Math.floor(i / rowSize)] === 0) continue;
    const err = Math.abs(actual[i]! - expected[i]!);
    max = Number.isNaN(err) ? Infinity : Math.max(max, err);
    compared++;
  }
  if (compared === 0) throw new Error(`${what}: nothing compared`);
  return max;
}

/** |a - e| / |e|, NaN as Infinity. */
export function relDev(actual: number, expected: number): number {
  const r = Math.abs(actual - expected) / Math.abs(expected);
  return Number.isNaN(r) ? Infinity : r;
}

/** Reads tensors back asynchronously (webgpu warns on, and stalls in, synchronous reads), then disposes them. */
export async function readAll(ts: tf.Tensor[]): Promise<Array<Float32Array | Int32Array>> {
  try {
    return (await Promise.all(ts.map((t) => t.data()))) as Array<Float32Array | Int32Array>;
  } finally {
    tf.dispose(ts);
  }
}
