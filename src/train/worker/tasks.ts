// The 'train' message for token classification and extractive QA: the table's tokens/tags or
// context/question/answer columns → task examples → split → BertModel task head → trainTask, as
// the CLI's train --task token-cls / qa does, with every loop event turned into a protocol event.
import {
  dropRows,
  squadFromTable,
  stratifiedSplit,
  tagList,
  taggedSentencesFromTable,
  type QaExample,
} from '../../data';
import type { ParsedTable, TaggedSentence } from '../../data';
import type { BertModel } from '../../model';
import { TrainControl } from '../loop';
import type { EvalReport, TrainSettings } from '../protocol';
import { groupSplit } from '../tasks/groupSplit';
import { qaDataset } from '../tasks/qa';
import { qaFeatures, type QaFeatureOptions } from '../tasks/qaFeatures';
import { trainTask, type TaskDataset, type TaskTrainEvent } from '../tasks/taskLoop';
import { loadTaskModel } from '../tasks/taskModel';
import { tokenClsDataset, tokenClsExamples } from '../tasks/tokenCls';
import { reportIfDeviceLost } from './faults';
import { dropTrained, type Post, type WorkerState } from './state';
import { stepMessage } from './report';
import { entityReport, qaReport } from './taskReport';

export type TaskKindOf = 'token-cls' | 'qa';

function column(table: ParsedTable, name: string | null | undefined, what: string): string {
  if (!name) throw new Error(`choose the ${what} column in the Data step`);
  if (!table.columns.includes(name)) throw new Error(`the file has no column "${name}"`);
  return name;
}

export function taskSentences(table: ParsedTable, s: TrainSettings): TaggedSentence[] {
  return taggedSentencesFromTable(table, column(table, s.tokensColumn, 'tokens'), column(table, s.tagsColumn, 'tags'));
}

export function taskQaExamples(table: ParsedTable, s: TrainSettings): QaExample[] {
  const all = table.columns.includes('all_answers_json') ? { allAnswersColumn: 'all_answers_json' } : {};
  const id = table.columns.includes('id') ? { idColumn: 'id' } : {};
  return squadFromTable(table, {
    contextColumn: column(table, s.contextColumn, 'context'),
    questionColumn: column(table, s.questionColumn, 'question'),
    answerColumn: column(table, s.answerColumn, 'answer'),
    ...(s.answerStartColumn ? { answerStartColumn: column(table, s.answerStartColumn, 'answer start') } : {}),
    ...id,
    ...all,
  });
}

/** HF run_qa uses 384 tokens with a 128-token stride; shorter windows keep the same 1/3 overlap. */
export function qaWindows(maxLength: number): QaFeatureOptions {
  return { maxLength, docStride: Math.min(128, Math.floor(maxLength / 3)) };
}

interface Prepared<M> {
  data: TaskDataset<M>;
  labels: string[];
  trainRows: number;
  toReport: (m: M) => EvalReport;
  model: BertModel;
}

async function prepareTokenCls(state: WorkerState, table: ParsedTable, s: TrainSettings) {
  const sentences = taskSentences(table, s);
  const split = stratifiedSplit(
    sentences.map(() => ''),
    { validation: s.validFraction, seed: s.seed },
  );
  const labels = tagList(sentences);
  if (labels.length < 2) throw new Error(`the tags column has only one tag (${labels[0] ?? 'none'})`);
  const { model, tokenizer } = await loadTaskModel(state.base!.source, { head: 'token-cls', labels, seed: s.seed });
  const pick = (rows: number[]) =>
    tokenClsExamples(
      rows.map((i) => sentences[i]!),
      tokenizer,
      labels,
      s.maxLength,
    );
  const data = tokenClsDataset(pick(split.train), pick(split.validation), labels, {
    padId: tokenizer.padId,
    evalBatchSize: 64,
  });
  return { data, labels, trainRows: split.train.length, toReport: entityReport, model };
}

async function prepareQa(state: WorkerState, table: ParsedTable, s: TrainSettings) {
  const examples = taskQaExamples(table, s);
  const split = groupSplit(
    examples.map((e) => e.context),
    s.validFraction,
    s.seed,
  );
  const { model, tokenizer } = await loadTaskModel(state.base!.source, { head: 'qa', seed: s.seed });
  const win = qaWindows(s.maxLength);
  const valid = split.validation.map((i) => examples[i]!);
  const data = qaDataset(
    qaFeatures(
      split.train.map((i) => examples[i]!),
      tokenizer,
      win,
    ),
    valid.length > 0 ? { examples: valid, features: qaFeatures(valid, tokenizer, win) } : null,
    { padId: tokenizer.padId, evalBatchSize: 32 },
  );
  return { data, labels: [] as string[], trainRows: split.train.length, toReport: qaReport, model };
}

/** Trains a token-cls or qa model on the loaded dataset and model (no checkpoints for these tasks yet). */
export async function runTaskTraining(state: WorkerState, s: TrainSettings, post: Post): Promise<void> {
  if (!state.table) throw new Error('load a dataset before training');
  if (!state.base) throw new Error('load a model before training');
  const kind = s.task as TaskKindOf;
  const table = s.dropRows.length ? dropRows(state.table, s.dropRows) : state.table;
  const p = kind === 'qa' ? await prepareQa(state, table, s) : await prepareTokenCls(state, table, s);
  await trainPrepared(state, s, kind, p as Prepared<unknown>, post);
}

async function trainPrepared<M>(state: WorkerState, s: TrainSettings, kind: TaskKindOf, p: Prepared<M>, post: Post) {
  const base = state.base!;
  dropTrained(state);
  const control = new TrainControl();
  state.control = control;
  const t0 = performance.now();
  let bestEpoch = 0;
  let last: EvalReport | null = null;
  const onEvent = (e: TaskTrainEvent<M>): void => {
    if (e.type === 'epochEnd' && e.valid !== null) last = p.toReport(e.valid);
    forward(e, p.toReport, t0, post);
    if (e.type === 'done' && e.best) bestEpoch = e.best.epoch;
  };
  let report: EvalReport | null = null;
  try {
    const result = await trainTask(
      p.model,
      p.data,
      {
        epochs: s.epochs,
        batchSize: s.batchSize,
        lr: s.learningRate,
        weightDecay: s.weightDecay,
        warmupRatio: s.warmupRatio,
        seed: s.seed,
        gradAccumSteps: s.gradAccumSteps ?? 1,
        freeze: s.freeze === 'lower' ? { lower: s.frozenLayers } : s.freeze,
        bestMetric: 'f1',
      },
      onEvent,
      control,
    );
    // The model holds the best epoch's weights, so its validation metrics are the report.
    report = result.best ? p.toReport(result.best.valid) : last;
  } catch (err) {
    // The loop already posted the error (and kept the best weights); the model stays usable.
    throw Object.assign(err instanceof Error ? err : new Error(String(err)), { reported: true });
  } finally {
    state.control = null;
    state.trainedTask = {
      kind,
      model: p.model,
      tokenizer: base.tokenizer,
      labels: p.labels,
      settings: s,
      maxLength: s.maxLength,
      baseId: base.info.id,
      report,
      datasetName: state.fileName,
      trainRows: p.trainRows,
    };
  }
  post({ type: 'done', stopped: control.stopRequested, bestEpoch, report, misclassified: [], labels: p.labels });
}

function forward<M>(e: TaskTrainEvent<M>, toReport: (m: M) => EvalReport, t0: number, post: Post): void {
  switch (e.type) {
    case 'step':
      post(stepMessage(e, t0));
      return;
    case 'epochEnd':
      if (e.valid !== null)
        post({ type: 'epochEnd', epoch: e.epoch, trainLoss: e.trainLoss, valid: toReport(e.valid) });
      return;
    case 'done':
      if (e.best) post({ type: 'best', epoch: e.best.epoch, metric: e.best.metric, value: e.best.value });
      return;
    case 'error':
      post({ type: 'error', message: e.message, during: 'train', kind: e.kind });
      reportIfDeviceLost(e.message, post);
      return;
  }
}
