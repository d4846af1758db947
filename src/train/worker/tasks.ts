// The 'train' message for token classification and extractive QA: the table's tokens/tags or
// context/question/answer columns → task examples → split → BertModel task head → trainTask, as
// the CLI's train --task token-cls / qa does, with every loop event turned into a protocol event.
import { dropRows, squadFromTable, taggedSentencesFromTable, type QaExample } from '../../data';
import type { ParsedTable, TaggedSentence } from '../../data';
import { yieldToEventLoop } from '../../lib/yieldTask';
import type { BertModel } from '../../model';
import { TrainControl } from '../loop';
import type { EvalReport, TrainSettings } from '../protocol';
import { qaDataset } from '../tasks/qa';
import { qaFeatures, type QaFeatureOptions } from '../tasks/qaFeatures';
import { trainTask, type TaskDataset, type TaskTrainEvent } from '../tasks/taskLoop';
import { loadTaskModel } from '../tasks/taskModel';
import { tokenClsDataset, tokenClsExamples } from '../tasks/tokenCls';
import { reportIfDeviceLost } from './faults';
import { resumeTaskState, taskCheckpointHook, type RunCheckpoints, type RunFacts } from './resume';
import { dropTrained, type Post, type WorkerState } from './state';
import { stepMessage } from './report';
import { entityReport, qaReport } from './taskReport';
import { contextSplit, sentenceSplit, taskParts, taskSplitInput, taskTags, type TaskSplitInput } from './taskSplits';

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
  /** The held-out test rows' evaluation, run once after training; null without a test set. */
  test: TaskDataset<M>['evaluate'];
}

async function prepareTokenCls(state: WorkerState, input: TaskSplitInput, s: TrainSettings, post: Post) {
  const parts = taskParts(input, s, (t) => taskSentences(t, s), sentenceSplit(s));
  const { labels, unseen } = taskTags(parts);
  if (unseen) post({ type: 'warning', message: unseen, during: 'train' });
  if (labels.length < 2) throw new Error(`the tags column has only one tag (${labels[0] ?? 'none'})`);
  const { model, tokenizer } = await loadTaskModel(state.base!.source, { head: 'token-cls', labels, seed: s.seed });
  const pick = (sentences: TaggedSentence[]) => tokenClsExamples(sentences, tokenizer, labels, s.maxLength);
  const o = { padId: tokenizer.padId, evalBatchSize: 64 };
  const data = tokenClsDataset(pick(parts.train), pick(parts.validation), labels, o);
  const test = tokenClsDataset([], pick(parts.test), labels, o).evaluate;
  return { data, labels, trainRows: parts.train.length, toReport: entityReport, model, test };
}

async function prepareQa(state: WorkerState, input: TaskSplitInput, s: TrainSettings) {
  const parts = taskParts(input, s, (t) => taskQaExamples(t, s), contextSplit(s));
  const { model, tokenizer } = await loadTaskModel(state.base!.source, { head: 'qa', seed: s.seed });
  const win = qaWindows(s.maxLength);
  const evalSet = (examples: QaExample[]) =>
    examples.length > 0 ? { examples, features: qaFeatures(examples, tokenizer, win) } : null;
  const o = { padId: tokenizer.padId, evalBatchSize: 32 };
  const data = qaDataset(qaFeatures(parts.train, tokenizer, win), evalSet(parts.validation), o);
  const test = qaDataset([], evalSet(parts.test), o).evaluate;
  return { data, labels: [] as string[], trainRows: parts.train.length, toReport: qaReport, model, test };
}

/**
 * Trains a token-cls or qa model on the loaded dataset and model. With `checkpoints`, as runTraining
 * does for classification: the resumable state is saved at each epoch end (and every `everyMs`), and
 * `checkpoints.resume` continues the run from its last one.
 */
export async function runTaskTraining(
  state: WorkerState,
  s: TrainSettings,
  post: Post,
  checkpoints?: RunCheckpoints,
): Promise<void> {
  if (!state.table) throw new Error('load a dataset before training');
  if (!state.base) throw new Error('load a model before training');
  const kind = s.task as TaskKindOf;
  const table = s.dropRows.length ? dropRows(state.table, s.dropRows) : state.table;
  const input = taskSplitInput(state, table, s.dropRows);
  const p = kind === 'qa' ? await prepareQa(state, input, s) : await prepareTokenCls(state, input, s, post);
  await trainPrepared(state, s, kind, p as Prepared<unknown>, post, checkpoints);
}

/** The state to resume from (or none, dropping older runs' checkpoints); frees the new model when refused. */
async function startFrom<M>(p: Prepared<M>, c: RunCheckpoints | undefined, facts: RunFacts) {
  try {
    if (c?.resume) return await resumeTaskState<M>(c, facts);
    if (c) await c.store.deleteAllBut(c.runId);
    return undefined;
  } catch (err) {
    p.model.dispose();
    throw err;
  }
}

async function trainPrepared<M>(
  state: WorkerState,
  s: TrainSettings,
  kind: TaskKindOf,
  p: Prepared<M>,
  post: Post,
  checkpoints: RunCheckpoints | undefined,
) {
  const base = state.base!;
  const facts = { settings: s, labels: p.labels, modelId: base.info.id };
  const resumeFrom = await startFrom(p, checkpoints, facts);
  const hooks = checkpoints
    ? { onCheckpoint: taskCheckpointHook(checkpoints, facts, post, p.toReport), checkpointEveryMs: checkpoints.everyMs }
    : {};
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
      resumeFrom,
      hooks,
    );
    // The model holds the best epoch's weights, so its validation metrics are the report.
    report = result.best ? p.toReport(result.best.valid) : (last ?? lastOf(result.history, p.toReport));
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
  // A finished run needs no checkpoint; a stopped one keeps its last, so it can be continued.
  if (checkpoints && !control.stopRequested) await checkpoints.store.delete(checkpoints.runId);
  // Once, with the weights training ended with (the best epoch's): test rows never steer training.
  const test = p.test ? p.toReport(await p.test(p.model, yieldToEventLoop)) : null;
  post({
    type: 'done',
    stopped: control.stopRequested,
    bestEpoch,
    report,
    misclassified: [],
    labels: p.labels,
    ...(test ? { test } : {}),
  });
}

/** A resumed run that trained no epoch of its own still has the checkpoint's last evaluation. */
function lastOf<M>(history: { valid: M | null }[], toReport: (m: M) => EvalReport): EvalReport | null {
  const v = history.at(-1)?.valid;
  return v ? toReport(v) : null;
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
