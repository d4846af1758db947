// The parity measurements run in the browser, one per model: the same quantities as the Node tests
// in tests/unit/model/{parity,grads}.test.ts, reported as deviations instead of asserted here.
import * as tf from '@tensorflow/tfjs';
import type { BertModel, HeadOutput } from '../../../src/model';
import { mlmTransform } from '../../../src/model/heads/maskedLM';
import { isLinearWeight } from '../../../src/model/layout';
import { paramGetter } from '../../../src/model/params';
import { maxAbsDev, readAll, relDev, type FixtureSet } from './fixtures';
import { TOL, type GradDeviation } from './types';

const BATCHES = ['main', 'trunc'] as const;
const WORD = 'bert.embeddings.word_embeddings.weight';

type Sink = Record<string, number>;

function headOut<K extends HeadOutput['kind']>(o: HeadOutput, kind: K): Extract<HeadOutput, { kind: K }> {
  if (o.kind !== kind) throw new Error(`expected ${kind} output, got ${o.kind}`);
  return o as Extract<HeadOutput, { kind: K }>;
}

/** BertModel outputs (bert-base): embeddings, each layer, last hidden state, pooler. */
export async function encoderOutputs(model: BertModel, fx: FixtureSet, key: string, sink: Sink): Promise<void> {
  for (const batch of BATCHES) {
    const inputs = fx.inputs(batch);
    const r = model.forward(inputs, { outputHiddenStates: true });
    const names = ['embedding_output', 'hidden_states.1', 'hidden_states.2', 'last_hidden_state', 'pooler_output'];
    const values = await readAll([
      r.embeddingOutput!,
      r.hiddenStates![1]!,
      r.hiddenStates![2]!,
      r.lastHiddenState,
      r.pooledOutput!,
    ]);
    tf.dispose([...r.hiddenStates!, ...Object.values(inputs)]);
    const mask = fx.out(`${batch}.attention_mask`).data;
    const h = model.config.hidden_size;
    names.forEach((name, i) => {
      const want = fx.out(`${batch}.base.${name}`).data;
      // The pooler is per sequence (always a real [CLS]); everything else is per token.
      sink[`${key}.${batch}.${name}`] =
        name === 'pooler_output' ? maxAbsDev(values[i]!, want, name) : maxAbsDev(values[i]!, want, name, mask, h);
    });
  }
}

/** Logits of the seq-cls, token-cls and qa heads. */
export async function headLogits(model: BertModel, fx: FixtureSet, sink: Sink): Promise<void> {
  for (const batch of BATCHES) {
    const inputs = fx.inputs(batch);
    const o = model.headForward(inputs);
    tf.dispose(Object.values(inputs));
    const mask = fx.out(`${batch}.attention_mask`).data;
    const want = (n: string): ArrayLike<number> => fx.out(`${batch}.${n}`).data;
    if (o.kind === 'seq-cls') {
      const [logits] = await readAll([o.logits]);
      sink[`seqcls.${batch}.logits`] = maxAbsDev(logits!, want('seqcls.logits'), 'seqcls logits');
    } else if (o.kind === 'token-cls') {
      const labels = o.logits.shape[2]!;
      const [logits] = await readAll([o.logits]);
      sink[`tokcls.${batch}.logits`] = maxAbsDev(logits!, want('tokcls.logits'), 'tokcls logits', mask, labels);
    } else if (o.kind === 'qa') {
      const [start, end] = await readAll([o.startLogits, o.endLogits]);
      sink[`qa.${batch}.start_logits`] = maxAbsDev(start!, want('qa.start_logits'), 'qa start', mask);
      sink[`qa.${batch}.end_logits`] = maxAbsDev(end!, want('qa.end_logits'), 'qa end', mask);
    } else {
      throw new Error(`headLogits: unexpected ${o.kind} head`);
    }
  }
}

/** Masked-LM outputs on the corrupted batch; returns how many top-5 id lists differ from PyTorch's. */
export async function mlmOutputs(model: BertModel, fx: FixtureSet, sink: Sink): Promise<number> {
  const f = fx.json;
  const pos = fx.out('main.mlm.masked_positions');
  const [b, t] = fx.out('main.input_ids').shape as [number, number];
  const h = model.config.hidden_size;
  const flatPos = Array.from({ length: pos.shape[0]! }, (_, i) => pos.data[2 * i]! * t + pos.data[2 * i + 1]!);
  const targets = flatPos.map((p) => f.labels.mlm_labels[Math.floor(p / t)]![p % t]!);
  const mask = fx.out('main.attention_mask').data;
  const realPos = Array.from(mask.keys()).filter((i) => mask[i] === 1);
  const kept = tf.tidy(() => {
    const inputs = { ...fx.inputs('main'), inputIds: tf.tensor2d(f.labels.mlm_input_ids, undefined, 'int32') };
    const enc = model.forward(inputs);
    const logits = headOut(model.headForward(inputs), 'mlm').logits; // [B, T, V]
    const v = logits.shape[2]!;
    const posT = tf.tensor1d(flatPos, 'int32');
    const rows = tf.gather(logits.reshape([b * t, v]), posT); // [N, V]
    const picked = tf.sum(tf.mul(rows, tf.oneHot(tf.tensor1d(targets, 'int32'), v)), -1);
    const transform = mlmTransform(
      paramGetter(model.variables),
      model.config,
      tf.gather(enc.lastHiddenState.reshape([b * t, h]), posT),
    );
    return [
      enc.lastHiddenState,
      rows.slice([0, 0], [6, v]),
      tf.logSumExp(rows, -1),
      picked,
      transform,
      tf.gather(logits.reshape([b * t, v]), tf.tensor1d(realPos, 'int32')), // [R, V]
    ];
  });
  const [lhs, first6, lse, target, transform, realLogits] = await readAll(kept);
  sink['mlm.main.last_hidden_state'] = maxAbsDev(lhs!, fx.out('main.mlm.last_hidden_state').data, 'mlm lhs', mask, h);
  sink['mlm.main.masked_logits_first6'] = maxAbsDev(first6!, fx.out('main.mlm.masked_logits_first6').data, 'first6');
  sink['mlm.main.masked_logsumexp'] = maxAbsDev(lse!, fx.out('main.mlm.masked_logsumexp').data, 'logsumexp');
  sink['mlm.main.masked_target_logit'] = maxAbsDev(target!, fx.out('main.mlm.masked_target_logit').data, 'target');
  sink['mlm.main.masked_transform_output'] = maxAbsDev(
    transform!,
    fx.out('main.mlm.masked_transform_output').data,
    'transform',
  );
  // Top-5 in JS over the read-back logits: tf.topk's bitonic sort over 30,522 ids costs ~10 s on
  // SwiftShader WebGPU, and the ids only depend on the logits, which is what is under test.
  const want = fx.out('main.mlm.top5_ids').data;
  const v = model.config.vocab_size;
  let mismatches = 0;
  realPos.forEach((p, r) => {
    const top = top5(realLogits!.subarray(r * v, (r + 1) * v));
    if (top.some((id, k) => id !== want[p * 5 + k])) mismatches++;
  });
  return mismatches;
}

/** Every fixture.json loss the given model's head computes. */
export async function losses(model: BertModel, fx: FixtureSet, sink: Sink, suffix = ''): Promise<void> {
  const f = fx.json;
  const L = f.losses;
  const inputs = fx.inputs('main');
  const want: Array<[string, number | undefined]> = [];
  const got = tf.tidy(() => {
    const out: tf.Tensor[] = [];
    const add = (name: string, loss: tf.Tensor): void => {
      want.push([name, L[name]]);
      out.push(loss);
    };
    if (model.head === 'seq-cls') {
      add(
        'seqcls_single_label_ce',
        model.loss(inputs, { kind: 'seq-cls', labels: tf.tensor1d(f.labels.seqcls, 'int32') }),
      );
      // Float multi-hot labels select HF's multi_label_classification (BCEWithLogits).
      const multiHot = tf.tensor2d(f.labels.seqcls_multi_hot, undefined, 'float32');
      add('seqcls_multi_label_bce', model.loss(inputs, { kind: 'seq-cls', labels: multiHot }));
    } else if (model.head === 'token-cls') {
      add(
        'tokcls_ce',
        model.loss(inputs, { kind: 'token-cls', labels: tf.tensor2d(f.labels.tokcls, undefined, 'int32') }),
      );
    } else if (model.head === 'qa') {
      const qa = (s: number[], e: number[]): tf.Tensor =>
        model.loss(inputs, {
          kind: 'qa',
          startPositions: tf.tensor1d(s, 'int32'),
          endPositions: tf.tensor1d(e, 'int32'),
        });
      const { qa_start_positions: s, qa_end_positions: e } = f.labels;
      add('qa_loss', qa(s, e));
      add('qa_loss_row0_out_of_range', qa([10000, ...s.slice(1)], [10000, ...e.slice(1)]));
    } else if (model.head === 'mlm') {
      const mlmInputs = { ...inputs, inputIds: tf.tensor2d(f.labels.mlm_input_ids, undefined, 'int32') };
      add(
        'mlm_ce',
        model.loss(mlmInputs, { kind: 'mlm', labels: tf.tensor2d(f.labels.mlm_labels, undefined, 'int32') }),
      );
    }
    return out;
  });
  tf.dispose(Object.values(inputs));
  const values = await readAll(got);
  want.forEach(([name, expected], i) => {
    if (expected === undefined) throw new Error(`fixture.json has no loss ${name}`);
    sink[`${name}${suffix}`] = relDev(values[i]![0]!, expected);
  });
}

/** Indices of the 5 largest values, largest first; on ties the lower index first (as tf.topk). */
function top5(values: Float32Array | Int32Array): number[] {
  const ids: number[] = [];
  for (let i = 0; i < values.length; i++) {
    let at = ids.length;
    while (at > 0 && values[i]! > values[ids[at - 1]!]!) at--;
    if (at < 5) {
      ids.splice(at, 0, i);
      if (ids.length > 5) ids.pop();
    }
  }
  return ids;
}

function gradDeviation(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): GradDeviation {
  const maxAbs = maxAbsDev(actual, expected, what);
  let worstRatio = 0;
  for (let i = 0; i < expected.length; i++) {
    const r = Math.abs(actual[i]! - expected[i]!) / (TOL.gradAbs + TOL.gradRel * Math.abs(expected[i]!));
    worstRatio = Number.isNaN(r) ? Infinity : Math.max(worstRatio, r);
  }
  return { maxAbs, worstRatio };
}

/**
 * Seq-cls CE gradients vs PyTorch. Returns the per-tensor deviations, the loss's rel deviation and
 * how many word-embedding gradient entries are non-zero for ids absent from the batch.
 */
export async function seqClsGradients(
  model: BertModel,
  fx: FixtureSet,
): Promise<{ grads: Record<string, GradDeviation>; lossRel: number; nonZeroElsewhere: number }> {
  const inputs = fx.inputs('main');
  const labels = tf.tensor1d(fx.json.labels.seqcls, 'int32');
  const { loss, grads } = model.lossAndGrads(() => model.loss(inputs, { kind: 'seq-cls', labels }));
  tf.dispose([...Object.values(inputs), labels]);
  if (grads.size !== model.variables.size)
    throw new Error(`${grads.size} gradients for ${model.variables.size} variables`);
  const names = fx.json.gradients.tensors;
  // HF layout (Linear weights [out, in]); read back asynchronously, see readAll.
  const picked = names.map((name) => {
    const g = grads.get(name);
    if (!g) throw new Error(`no gradient for ${name}`);
    return isLinearWeight(name) ? tf.transpose(g) : g.clone();
  });
  const [lossValue, wordGrad, ...values] = await readAll([loss, grads.get(WORD)!.clone(), ...picked]);
  const shapes = picked.map((t) => t.shape.join());
  tf.dispose([...grads.values()]);
  const out: Record<string, GradDeviation> = {};
  names.forEach((name, i) => {
    const want = fx.out(`grad.${name}`);
    if (shapes[i] !== want.shape.join()) throw new Error(`grad ${name}: shape [${shapes[i]}] vs [${want.shape}]`);
    out[name] = gradDeviation(values[i]!, want.data, `grad ${name}`);
  });
  // Word embeddings: the rows of ids in the batch are compared; every other row must be exactly 0.
  const rowIds = fx.out('grad.word_embeddings.row_ids').data;
  const h = model.config.hidden_size;
  const rows = new Float32Array(rowIds.length * h);
  rowIds.forEach((id, i) => rows.set(wordGrad!.subarray(id * h, id * h + h), i * h));
  out[`${WORD}[row_ids]`] = gradDeviation(rows, fx.out(`grad.${WORD}[row_ids]`).data, 'word grad rows');
  const present = new Set<number>(rowIds);
  let nonZeroElsewhere = 0;
  for (let id = 0; id < model.config.vocab_size; id++) {
    if (present.has(id)) continue;
    for (let k = 0; k < h; k++) if (wordGrad![id * h + k] !== 0) nonZeroElsewhere++;
  }
  const lossRel = relDev(lossValue![0]!, fx.json.losses.seqcls_single_label_ce!);
  return { grads: out, lossRel, nonZeroElsewhere };
}
