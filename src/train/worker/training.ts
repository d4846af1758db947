// The 'train' message: table → examples → split → classifier → train loop, with every loop event
// turned into a protocol event for the page.
import { dropRows } from '../../data';
import type { Example } from '../batches';
import { tableExamples } from '../dataset';
import { predictLogits, metricsFromLogits } from '../evaluate';
import type { FreezeSpec } from '../freeze';
import type { HeadSpec } from '../heads';
import { loadClassifier } from '../loadModel';
import { train, TrainControl, type TrainEvent, type TrainState } from '../loop';
import type { Misclassified, TrainSettings } from '../protocol';
import { reportIfDeviceLost } from './faults';
import { probabilities, stepMessage, toReport } from './report';
import { checkpointHook, resumeState, type RunCheckpoints } from './resume';
import { dropTrained, type Post, type WorkerState } from './state';
import { splitExamples } from './splits';
import { runTaskTraining } from './tasks';
import { evaluateTestSet } from './testEval';
import { tuneMultiLabel } from './thresholds';

const MAX_MISCLASSIFIED = 500;

function freezeSpec(s: TrainSettings): FreezeSpec {
  switch (s.freeze) {
    case 'lower':
      return { lower: s.frozenLayers };
    default:
      return s.freeze;
  }
}

function headSpec(s: TrainSettings): HeadSpec {
  return s.head === 'mlp' ? { kind: 'mlp', hiddenSize: s.mlpHidden, activation: 'relu' } : { kind: 'linear' };
}

interface Prepared {
  train: Example[];
  valid: Example[];
  validRows: number[];
  labels: string[];
  texts: string[];
  pairs: string[] | null;
  /** Held-out rows: evaluated once at the end, never used to stop, pick weights or tune thresholds. */
  test: Example[];
}

function prepare(state: WorkerState, s: TrainSettings): Prepared {
  if (!state.table) throw new Error('load a dataset before training');
  if (!state.base) throw new Error('load a model before training');
  if (s.task !== 'seq-cls' && s.task !== 'pair-cls' && s.task !== 'multi-label') {
    throw new Error(`the task "${s.task}" needs no training: compute the embeddings in the Try step`);
  }
  const table = s.dropRows.length ? dropRows(state.table, s.dropRows) : state.table;
  const cols = {
    textColumn: s.textColumn,
    labelColumn: s.labelColumn,
    multiLabel: s.task === 'multi-label',
    ...(s.textPairColumn ? { textPairColumn: s.textPairColumn } : {}),
  };
  const { examples, labels, skipped } = tableExamples(table, cols, state.base.tokenizer, s.maxLength);
  if (skipped.length) {
    const list = skipped.slice(0, 10).join(', ');
    throw new Error(
      `${skipped.length} ${skipped.length === 1 ? 'row has' : 'rows have'} no label (rows ${list}${skipped.length > 10 ? ', …' : ''}): drop them in the Data step or fix the file`,
    );
  }
  if (labels.length < 2)
    throw new Error(
      `the label column "${s.labelColumn}" has only one class (${labels[0] ?? 'none'}): a classifier needs at least two`,
    );
  // Keep the original row numbers (1-based, in the file) for the misclassified table.
  const kept = s.dropRows.length ? keptRows(state.table.rows.length, s.dropRows) : null;
  const input = {
    table,
    examples,
    labels,
    kept,
    cols,
    tokenizer: state.base.tokenizer,
    validTable: state.validTable,
    testTable: state.testTable ?? null,
  };
  return { ...splitExamples(input, s), labels };
}

function keptRows(total: number, dropped: number[]): number[] {
  const d = new Set(dropped);
  const out: number[] = [];
  for (let r = 1; r <= total; r++) if (!d.has(r)) out.push(r);
  return out;
}

/**
 * Trains on the loaded dataset and model. With `checkpoints`, the run's resumable state is saved at
 * each epoch end (and every `everyMs`), and `checkpoints.resume` continues the run from its last one.
 */
export async function runTraining(
  state: WorkerState,
  s: TrainSettings,
  post: Post,
  checkpoints?: RunCheckpoints,
): Promise<void> {
  if (s.task === 'token-cls' || s.task === 'qa') return runTaskTraining(state, s, post, checkpoints);
  const p = prepare(state, s);
  const base = state.base!;
  const multiLabel = s.task === 'multi-label';
  const facts = { settings: s, labels: p.labels, modelId: base.info.id };
  let resumeFrom: TrainState | undefined;
  if (checkpoints?.resume) resumeFrom = await resumeState(checkpoints, facts);
  else if (checkpoints) await checkpoints.store.deleteAllBut(checkpoints.runId);
  const { model } = await loadClassifier(base.source, {
    labels: p.labels,
    head: headSpec(s),
    multiLabel,
    seed: s.seed,
  });
  dropTrained(state);
  const control = new TrainControl();
  state.control = control;
  const t0 = performance.now();
  let bestEpoch = 0;
  const onEvent = (e: TrainEvent): void => {
    if (e.type === 'best') bestEpoch = e.epoch;
    forward(e, p.labels, t0, post);
  };
  const hooks = checkpoints
    ? { onCheckpoint: checkpointHook(checkpoints, facts, post), checkpointEveryMs: checkpoints.everyMs }
    : {};
  try {
    await train(
      model,
      { train: p.train, valid: p.valid, padId: base.tokenizer.padId },
      {
        epochs: s.epochs,
        batchSize: s.batchSize,
        lr: s.learningRate,
        weightDecay: s.weightDecay,
        warmupRatio: s.warmupRatio,
        seed: s.seed,
        gradAccumSteps: s.gradAccumSteps ?? 1,
        freeze: freezeSpec(s),
        classWeights: s.classWeights === 'balanced' ? 'balanced' : 'none',
        bestMetric: multiLabel ? 'macro_f1' : 'macro_f1',
        groupByLength: true,
      },
      onEvent,
      control,
      resumeFrom,
      hooks,
    );
  } catch (err) {
    // The loop already reported the error (and kept the best weights); keep the model usable.
    state.trained = {
      model,
      tokenizer: base.tokenizer,
      labels: p.labels,
      settings: s,
      baseId: base.info.id,
      report: null,
      datasetName: state.fileName,
      trainRows: p.train.length,
    };
    state.control = null;
    throw Object.assign(err instanceof Error ? err : new Error(String(err)), { reported: true });
  }
  state.control = null;
  // A finished run needs no checkpoint; a stopped one keeps its last, so it can be continued.
  if (checkpoints && !control.stopRequested) await checkpoints.store.delete(checkpoints.runId);
  const logits = await predictLogits(model, p.valid, { batchSize: 64, padId: base.tokenizer.padId });
  // Multi-label: one threshold for every label, tuned on validation, decides predictions from now on.
  const tuned = multiLabel && p.valid.length ? tuneMultiLabel(logits, p.valid, p.labels) : null;
  const report = tuned
    ? tuned.report
    : p.valid.length
      ? toReport(metricsFromLogits(logits, p.valid, p.labels.length, multiLabel), p.labels)
      : null;
  const test = await evaluateTestSet(model, p.test, {
    labels: p.labels,
    padId: base.tokenizer.padId,
    multiLabel,
    ...(tuned ? { threshold: tuned.threshold } : {}),
  });
  state.trained = {
    model,
    tokenizer: base.tokenizer,
    labels: p.labels,
    settings: s,
    baseId: base.info.id,
    report,
    datasetName: state.fileName,
    trainRows: p.train.length,
    ...(tuned ? { threshold: tuned.threshold } : {}),
  };
  post({
    type: 'done',
    stopped: control.stopRequested,
    bestEpoch,
    report,
    misclassified: multiLabel ? [] : misclassified(p, logits),
    labels: p.labels,
    ...(p.test.length ? { test } : {}),
  });
}

function misclassified(p: Prepared, logits: Float32Array): Misclassified[] {
  const L = p.labels.length;
  const out: Misclassified[] = [];
  p.valid.forEach((e, i) => {
    const probs = probabilities(logits, i * L, L, false);
    const pred = probs.indexOf(Math.max(...probs));
    if (pred === e.label || out.length >= MAX_MISCLASSIFIED) return;
    out.push({
      row: p.validRows[i]!,
      text: p.texts[i]!,
      textPair: p.pairs?.[i] ?? null,
      trueLabel: p.labels[e.label as number]!,
      predictedLabel: p.labels[pred]!,
      probabilities: probs,
    });
  });
  return out;
}

function forward(e: TrainEvent, labels: string[], t0: number, post: Post): void {
  switch (e.type) {
    case 'step':
      post(stepMessage(e, t0));
      return;
    case 'epochEnd':
      if (e.valid) post({ type: 'epochEnd', epoch: e.epoch, trainLoss: e.trainLoss, valid: toReport(e.valid, labels) });
      return;
    case 'best':
      post({ type: 'best', epoch: e.epoch, metric: e.metric, value: e.value });
      return;
    case 'error':
      post({ type: 'error', message: e.message, during: 'train', kind: e.kind });
      reportIfDeviceLost(e.message, post);
      return;
    case 'phase':
    case 'eval':
    case 'done':
      return;
  }
}
