// The worker's token-cls and qa handlers in Node (the code the Web Worker runs): a WNUT-17 CoNLL
// slice and a SQuAD CSV slice → model from picked files → training → task report → try → export.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, zipSource } from '../../../src/model/checkpoint';
import { readConfig } from '../../../src/train/loadModel';
import { tokenClsExamples, evaluateTokenCls } from '../../../src/train/tasks/tokenCls';
import { parseConll, stratifiedSplit, tagList } from '../../../src/data';
import type { FromWorker, TrainSettings } from '../../../src/train/protocol';
import { loadDataset } from '../../../src/train/worker/dataset';
import { exportZip } from '../../../src/train/worker/exporting';
import { loadModel } from '../../../src/train/worker/model';
import { predictOne } from '../../../src/train/worker/predict';
import { newState, type WorkerState } from '../../../src/train/worker/state';
import { looksLikeConll } from '../../../src/train/worker/taskData';
import { runTraining } from '../../../src/train/worker/training';
import { useWasm } from '../train/helpers';
import { BASE_SETTINGS, csvSlice, doneWithReport, modelFiles, wnutSlice } from './workerFiles';

const WNUT_TYPES = ['corporation', 'creative-work', 'group', 'location', 'person', 'product'];

async function freshState(events: FromWorker[]): Promise<WorkerState> {
  const state = newState();
  await loadModel(state, { kind: 'files', files: modelFiles() }, (m) => void events.push(m));
  return state;
}

describe('worker: token classification', () => {
  const events: FromWorker[] = [];
  const post = (m: FromWorker) => void events.push(m);
  let state: WorkerState;
  const conll = wnutSlice(120);
  const settings: TrainSettings = {
    ...BASE_SETTINGS,
    task: 'token-cls',
    tokensColumn: 'tokens',
    tagsColumn: 'tags',
    epochs: 2,
    learningRate: 1e-3,
  };

  beforeAll(async () => {
    await useWasm();
    state = await freshState(events);
  });

  it('detects CoNLL text and loads it as tokens / tags columns', async () => {
    expect(looksLikeConll(conll)).toBe(true);
    expect(looksLikeConll('text\tlabel\nhello there\tpos\nbad film\tneg\n')).toBe(false);
    // A .txt in CoNLL layout is detected too.
    await loadDataset(state, { name: 'wnut.txt', text: conll }, post);
    const loaded = events.find((e) => e.type === 'datasetLoaded');
    if (loaded?.type !== 'datasetLoaded') throw new Error('no datasetLoaded');
    expect(loaded.summary).toMatchObject({ format: 'conll', rows: 120, columns: ['tokens', 'tags'] });
    expect(loaded.summary.taskGuess).toMatchObject({ tokensColumn: 'tokens', tagsColumn: 'tags' });
    const first = parseConll(conll)[0]!;
    expect(JSON.parse(loaded.summary.preview[0]![0]!)).toEqual(first.tokens);
    expect(JSON.parse(loaded.summary.preview[0]![1]!)).toEqual(first.tags);
  });

  it('trains, reports entity types with seqeval metrics, predicts spans and exports', async () => {
    events.length = 0;
    await runTraining(state, settings, post);
    expect(events.filter((e) => e.type === 'step').length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'epochEnd')).toHaveLength(2);
    const report = doneWithReport(events).report;
    expect(report.kind).toBe('entities');
    expect(report.confusion).toEqual([]);
    for (const t of report.labels) expect(WNUT_TYPES).toContain(t);
    // The report is the trained model's own validation metrics: recompute them independently.
    const sentences = parseConll(conll);
    const split = stratifiedSplit(
      sentences.map(() => ''),
      { validation: 0.2, seed: settings.seed },
    );
    const tags = tagList(sentences);
    const valid = tokenClsExamples(
      split.validation.map((i) => sentences[i]!),
      state.trainedTask!.tokenizer,
      tags,
      settings.maxLength,
    );
    const m = await evaluateTokenCls(state.trainedTask!.model, valid, tags, { batchSize: 8, padId: 0 });
    expect(report.extra!.sentences).toBe(24);
    expect(report.accuracy).toBeCloseTo(m.accuracy, 6);
    expect(report.loss).toBeCloseTo(m.loss, 4);
    expect(report.extra!.micro_f1).toBeCloseTo(m.micro.f1, 6);
    const support = report.perClass.reduce((s, c) => s + c.support, 0);
    expect(support).toBe(m.micro.support);
    // Most WNUT tokens are O: after two epochs the model at least learns that.
    expect(report.accuracy).toBeGreaterThan(0.8);

    const text = 'I flew to   New York with Barack Obama yesterday';
    const p = await predictOne(state, text, null);
    expect(p.entities).toBeDefined();
    for (const e of p.entities!) {
      expect(text.slice(e.start, e.end)).toBe(e.text);
      expect(WNUT_TYPES).toContain(e.type);
    }

    const { zip } = await exportZip(state);
    const source = zipSource(zip);
    const config = await readConfig(source);
    expect(config.architectures).toEqual(['BertForTokenClassification']);
    expect(Object.values(config.id2label ?? {})).toEqual(tags);
    const { weights } = await loadCheckpoint(source);
    expect(weights.get('classifier.weight')!.shape).toEqual([tags.length, 128]);
  });

  it('frees the previous model when another run starts', async () => {
    const before = tf.memory().numTensors;
    await runTraining(state, { ...settings, epochs: 1 }, post);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 2);
    state.trainedTask?.model.dispose();
  });
});

describe('worker: question answering', () => {
  const events: FromWorker[] = [];
  const post = (m: FromWorker) => void events.push(m);
  let state: WorkerState;

  beforeAll(async () => {
    await useWasm();
    state = await freshState(events);
  });

  it('guesses the SQuAD columns, trains, reports EM / F1, answers from the context and exports', async () => {
    await loadDataset(
      state,
      { name: 'squad.csv', text: csvSlice(['squad', 'squad_v1.1_dev_rebuilt_minus_xquad.csv'], 40) },
      post,
    );
    const loaded = events.find((e) => e.type === 'datasetLoaded');
    if (loaded?.type !== 'datasetLoaded') throw new Error('no datasetLoaded');
    const g = loaded.summary.taskGuess!;
    expect(g).toMatchObject({
      contextColumn: 'context',
      questionColumn: 'question',
      answerColumn: 'answer_text',
      answerStartColumn: 'answer_start',
    });
    events.length = 0;
    await runTraining(
      state,
      { ...BASE_SETTINGS, task: 'qa', ...g, maxLength: 128, batchSize: 8, validFraction: 0.25 },
      post,
    );
    const report = doneWithReport(events).report;
    expect(report.kind).toBe('qa');
    const { exact_match: em, f1, questions } = report.extra!;
    expect(questions).toBeGreaterThanOrEqual(10);
    expect(em).toBeGreaterThanOrEqual(0);
    expect(f1).toBeGreaterThanOrEqual(em!);
    expect(f1).toBeLessThanOrEqual(100);
    expect(report.accuracy).toBeCloseTo(em! / 100, 12);

    const context = 'The Eiffel Tower was completed in 1889 and stands in Paris, France.';
    const p = await predictOne(state, 'When was the Eiffel Tower completed?', context);
    const a = p.answer!;
    expect(a.end).toBeGreaterThan(a.start);
    expect(context.slice(a.start, a.end)).toBe(a.text);
    expect(Number.isFinite(a.score)).toBe(true);
    await expect(predictOne(state, 'Where?', null)).rejects.toThrow(/context/);

    const { zip } = await exportZip(state);
    const source = zipSource(zip);
    expect((await readConfig(source)).architectures).toEqual(['BertForQuestionAnswering']);
    const { weights } = await loadCheckpoint(source);
    expect(weights.get('qa_outputs.weight')!.shape).toEqual([2, 128]);
    state.trainedTask?.model.dispose();
  });

  it('loads SQuAD JSON as the same columns', async () => {
    const json = JSON.stringify({
      data: [
        {
          title: 't',
          paragraphs: [
            {
              context: 'Ada Lovelace wrote the first program.',
              qas: [{ id: 'q1', question: 'Who wrote it?', answers: [{ text: 'Ada Lovelace', answer_start: 0 }] }],
            },
          ],
        },
      ],
    });
    events.length = 0;
    await loadDataset(state, { name: 'dev.json', text: json }, post);
    const loaded = events.find((e) => e.type === 'datasetLoaded');
    if (loaded?.type !== 'datasetLoaded') throw new Error('no datasetLoaded');
    expect(loaded.summary.format).toBe('squad-json');
    expect(loaded.summary.columns).toEqual([
      'id',
      'context',
      'question',
      'answer_text',
      'answer_start',
      'all_answers_json',
    ]);
    expect(loaded.summary.preview[0]).toEqual([
      'q1',
      'Ada Lovelace wrote the first program.',
      'Who wrote it?',
      'Ada Lovelace',
      '0',
      '["Ada Lovelace"]',
    ]);
  });
});
