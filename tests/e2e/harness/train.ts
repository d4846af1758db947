// Training in the browser through the studio's own engine: the fixture's 3 AdamW steps on
// bert-seqcls (loadClassifier over HTTP, lossAndGrads, AdamW with the HF grouping, eval mode,
// batch `main`, labels.seqcls; the browser half of tests/unit/train/adamw.fixture.test.ts), and a
// few steps of train() (loop.ts) with its step events, evaluation, checkpoints and the
// frozen-encoder feature cache. Every read-back is asynchronous, as in the engine: WebGPU's
// synchronous one returns zeros and loses the device under SwiftShader.
import * as tf from '@tensorflow/tfjs';
import { urlSource } from '../../../src/model/checkpoint';
import type { Example } from '../../../src/train/batches';
import type { SequenceClassifier, TensorBatch } from '../../../src/train/classifier';
import { loadClassifier } from '../../../src/train/loadModel';
import { train, type TrainEvent, type TrainOptions, type TrainState } from '../../../src/train/loop';
import { AdamW, decayApplies, disposeMap } from '../../../src/train/optimizer';
import { computeLoss, lossAndGrads, type StepInput } from '../../../src/train/step';
import { maxAbsDev, relDev, type FixtureSet } from './fixtures';
import type { HarnessBackend, TrainLoopReport, TrainLoopRun, TrainParityReport } from './types';

const LABELS = ['negative', 'neutral', 'positive'];
const LR = 1e-3; // fixture.json adamw: torch.optim.AdamW(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, wd 0.01)
const AFTER3 = 'adamw.after3.';
const PROBE = '[probe_row_ids]';

async function loadSeqCls(): Promise<{ model: SequenceClassifier; padId: number }> {
  const source = urlSource(`${globalThis.location.origin}/bert-parity/bert-seqcls`);
  const { model, tokenizer } = await loadClassifier(source, {
    labels: LABELS,
    head: { kind: 'linear' },
    multiLabel: false,
    seed: 0,
  });
  return { model, padId: tokenizer.padId };
}

async function readScalar(t: tf.Tensor): Promise<number> {
  try {
    return (await t.data())[0]!;
  } finally {
    t.dispose();
  }
}

/** Same-set comparison of the optimizer's grouping with the fixture's decay / no-decay lists. */
function groupingMatches(names: string[], fx: FixtureSet): boolean {
  const sorted = (a: string[]): string => [...a].sort().join('\n');
  const { decay_params: decay, no_decay_params: noDecay } = fx.json.adamw;
  return (
    sorted(names.filter(decayApplies)) === sorted(decay) &&
    sorted(names.filter((n) => !decayApplies(n))) === sorted(noDecay)
  );
}

/** Max |actual - expected| of every `adamw.after3.*` tensor of the fixture, keyed by its name. */
async function paramDeviations(model: SequenceClassifier, fx: FixtureSet): Promise<Record<string, number>> {
  const exported = await model.exportWeights();
  const probe = fx.out('adamw.word_embeddings.probe_row_ids').data;
  const out: Record<string, number> = {};
  for (const key of fx.names(AFTER3)) {
    const name = key.slice(AFTER3.length);
    const want = fx.out(key);
    const got = exported.get(name.replace(PROBE, ''));
    if (!got) throw new Error(`the exported model has no ${name.replace(PROBE, '')}`);
    if (name.endsWith(PROBE)) {
      const h = got.shape[1]!;
      const rows = Array.from(probe).flatMap((r) => Array.from(got.data.subarray(r * h, (r + 1) * h)));
      out[name] = maxAbsDev(rows, want.data, name);
    } else {
      if (got.shape.join() !== want.shape.join())
        throw new Error(`${name}: shape [${got.shape.join(', ')}], the fixture's is [${want.shape.join(', ')}]`);
      out[name] = maxAbsDev(got.data, want.data, name);
    }
  }
  return out;
}

/** The fixture's AdamW recipe through the engine; `backend` must already be active. */
export async function trainParity(backend: HarnessBackend, fx: FixtureSet): Promise<TrainParityReport> {
  const t0 = performance.now();
  const { model } = await loadSeqCls();
  const numTensorsBefore = tf.memory().numTensors;
  const inputs = fx.inputs('main');
  const batch: TensorBatch = {
    inputIds: inputs.inputIds as tf.Tensor2D,
    tokenTypeIds: inputs.tokenTypeIds as tf.Tensor2D,
    attentionMask: inputs.attentionMask as tf.Tensor2D,
  };
  const input: StepInput = { kind: 'tokens', batch };
  const labels = tf.tensor1d(fx.json.labels.seqcls, 'int32');
  const lossOptions = { multiLabel: false, classWeights: null };
  const opt = new AdamW(model.params, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
  try {
    const losses: number[] = [];
    for (let step = 0; step < 3; step++) {
      // Eval mode (training = false): the fixture switched dropout off.
      const { loss, grads } = lossAndGrads(model, model.params, input, labels, lossOptions, false, 0);
      opt.step(grads, LR);
      disposeMap(grads);
      losses.push(await readScalar(loss));
    }
    losses.push(await readScalar(computeLoss(model, input, labels, lossOptions, false, 0)));
    const expectedLosses = fx.json.adamw.loss_before_step_1_2_3_and_after_3;
    const params = await paramDeviations(model, fx);
    // Before counting tensors (the finally's second dispose is then a no-op).
    opt.dispose();
    tf.dispose([...Object.values(inputs), labels]);
    return {
      requested: backend,
      active: tf.getBackend(),
      decayGroupingMatches: groupingMatches([...model.params.keys()], fx),
      losses,
      expectedLosses,
      lossRel: losses.map((l, i) => relDev(l, expectedLosses[i]!)),
      params,
      numTensorsBefore,
      numTensorsAfter: tf.memory().numTensors,
      ms: Math.round(performance.now() - t0),
    };
  } finally {
    opt.dispose();
    tf.dispose([...Object.values(inputs), labels]);
    model.dispose();
  }
}

/** The fixture's 11 rows (batch `main` without padding) with labels.seqcls. */
function fixtureExamples(fx: FixtureSet): Example[] {
  const ids = fx.out('main.input_ids');
  const types = fx.out('main.token_type_ids').data;
  const mask = fx.out('main.attention_mask').data;
  const [b, t] = ids.shape as [number, number];
  return Array.from({ length: b }, (_, r) => {
    let len = 0;
    while (len < t && mask[r * t + len] === 1) len++;
    return {
      inputIds: Array.from(ids.data.subarray(r * t, r * t + len)),
      tokenTypeIds: Array.from(types.subarray(r * t, r * t + len)),
      label: fx.json.labels.seqcls[r]!,
    };
  });
}

const absSum = (w: Record<string, Float32Array>): number =>
  Object.values(w).reduce((s, a) => a.reduce((t, x) => t + Math.abs(x), s), 0);

/** One train() run; reports what its events and checkpoints carried. */
async function runLoop(fx: FixtureSet, options: Partial<TrainOptions>): Promise<TrainLoopRun> {
  const { model, padId } = await loadSeqCls();
  const examples = fixtureExamples(fx);
  const run: TrainLoopRun = {
    steps: [],
    epochs: [],
    phaseDone: null,
    checkpoints: [],
    done: null,
    errors: [],
    finalWeightsAbsSum: 0,
  };
  const onEvent = (e: TrainEvent): void => {
    if (e.type === 'step') run.steps.push({ step: e.step, loss: e.loss, gradNorm: e.gradNorm, lr: e.lr });
    else if (e.type === 'epochEnd')
      run.epochs.push({ epoch: e.epoch, trainLoss: e.trainLoss, validLoss: e.valid?.loss ?? Number.NaN });
    else if (e.type === 'phase') run.phaseDone = [e.done, e.total];
    else if (e.type === 'done') run.done = { reason: e.reason, steps: e.steps, totalSteps: e.totalSteps };
    else if (e.type === 'error') run.errors.push(`${e.kind}: ${e.message}`);
  };
  const onCheckpoint = (s: TrainState): void => {
    const moments = Object.values(s.optimizer.params).map((p) => ({ m: p.m, v: p.v }));
    run.checkpoints.push({
      step: s.globalStep,
      weightsAbsSum: absSum(s.weights),
      momentsAbsSum: moments.reduce((acc, p) => acc + absSum({ m: p.m }) + absSum({ v: p.v }), 0),
    });
  };
  try {
    // Validation on the training rows: evaluate() (predictLogits) runs on the backend too.
    const result = await train(
      model,
      { train: examples, valid: examples, padId },
      { evalBatchSize: 8, reportIntervalMs: 0, ...options },
      onEvent,
      undefined,
      undefined,
      { onCheckpoint, checkpointEveryMs: 1 },
    );
    run.finalWeightsAbsSum = absSum(result.state.weights);
  } finally {
    model.dispose();
  }
  return run;
}

/**
 * train() on the fixture rows: 2 epochs of 3 updates (batch 4, dropout on, seeded), then 1 epoch
 * with the encoder frozen (cached [CLS] features, head only).
 */
export async function trainLoop(backend: HarnessBackend, fx: FixtureSet): Promise<TrainLoopReport> {
  const t0 = performance.now();
  const numTensorsBefore = tf.memory().numTensors;
  const base: Partial<TrainOptions> = { batchSize: 4, lr: 1e-3, seed: 7, schedule: 'constant' };
  const full = await runLoop(fx, { ...base, epochs: 2 });
  const frozen = await runLoop(fx, { ...base, epochs: 1, freeze: 'encoder', lr: 1e-2 });
  return {
    requested: backend,
    active: tf.getBackend(),
    full,
    frozen,
    numTensorsBefore,
    numTensorsAfter: tf.memory().numTensors,
    ms: Math.round(performance.now() - t0),
  };
}
