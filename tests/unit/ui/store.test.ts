// The store's handling of worker events, with the worker replaced by a recorder (no tfjs, no DOM).
import { beforeAll, describe, expect, it } from 'vitest';
import { setTrainer, type Trainer } from '../../../src/store/trainer';
import type { DatasetSummary, EvalReport, FromWorker, StepEvent, ToWorker } from '../../../src/train/protocol';

const sent: ToWorker[] = [];
const listeners = new Set<(m: FromWorker) => void>();
const fake: Trainer = {
  on: (l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  send: (m) => void sent.push(m),
  init: async () => ({ type: 'ready', backend: 'cpu', skipped: [], notes: [] }),
};
const emit = (m: FromWorker) => listeners.forEach((l) => l(m));
const lastSent = () => sent.at(-1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

setTrainer(fake);
const { useStudio, connectStudio, currentRun } = await import('../../../src/store');

const SUMMARY: DatasetSummary = {
  fileName: 'sms_slice.csv',
  rows: 300,
  columns: ['text', 'label'],
  preview: [['Ok lar... Joking wif u oni...', 'ham']],
  format: 'csv',
  delimiter: ',',
  quoting: 'rfc4180',
  encoding: 'utf-8',
  hasHeader: true,
  guess: { text: 'text', textPair: null, label: 'label' },
  warnings: [{ code: 'empty-text', message: 'Empty text', count: 2, rows: [17, 42] }],
};

const report = (acc: number): EvalReport => ({
  loss: 0.3,
  accuracy: acc,
  perClass: [],
  macro: { precision: 0.8, recall: 0.7, f1: 0.75, support: 30 },
  weighted: { precision: 0.9, recall: 0.9, f1: 0.9, support: 30 },
  confusion: [
    [25, 1],
    [2, 2],
  ],
  labels: ['ham', 'spam'],
});

const stepEvent = (step: number): StepEvent => ({
  type: 'step',
  step,
  totalSteps: 17,
  epoch: 1,
  loss: 0.7 - step * 0.01,
  learningRate: 5e-5,
  gradNorm: 1,
  samplesPerSec: 50,
  elapsedSec: step / 3,
  etaSec: (17 - step) / 3,
  memoryBytes: 1e6,
});

beforeAll(async () => {
  connectStudio();
  await useStudio.getState().startEngine('cpu', false);
});

describe('studio store', () => {
  it('takes the guessed mapping, waits for a model before asking for stats, then applies suggestions', () => {
    useStudio.getState().loadDataset(new File(['text,label\nhi,ham\n'], 'sms_slice.csv'));
    expect(lastSent()?.type).toBe('loadDataset');
    expect(useStudio.getState().dataset.status).toBe('parsing');

    emit({ type: 'datasetLoaded', summary: SUMMARY });
    const d = useStudio.getState().dataset;
    expect(d.mapping).toEqual({
      text: 'text',
      textPair: null,
      label: 'label',
      // A summary without task guesses leaves the token-cls / qa columns unmapped.
      tokens: null,
      tags: null,
      context: null,
      question: null,
      answer: null,
      answerStart: null,
    });
    expect(d.warningsDecision).toBe('pending');
    expect(lastSent()?.type).toBe('loadDataset'); // no tokenizer yet, so no stats request

    useStudio.getState().decideWarnings('drop');
    expect(useStudio.getState().dataset.dropRows).toEqual([17, 42]);

    useStudio
      .getState()
      .loadModel({ kind: 'hub', id: 'studio-bert-tiny-mlm', hub: 'http://x/hub' }, 'studio-bert-tiny-mlm');
    emit({ type: 'modelProgress', file: 'model.safetensors', loaded: 50, total: 100 });
    expect(useStudio.getState().model.progress['model.safetensors']).toEqual({ loaded: 50, total: 100 });
    emit({
      type: 'modelLoaded',
      info: {
        id: 'studio-bert-tiny-mlm',
        architectures: ['BertForMaskedLM'],
        layers: 2,
        hiddenSize: 128,
        heads: 2,
        vocabSize: 30522,
        maxPositions: 512,
        parameters: 4_385_920,
        sizeBytes: 17_563_648,
        format: 'safetensors',
        task: null,
        labels: null,
        newlyInitialised: [],
      },
    });
    expect(lastSent()).toEqual({
      type: 'datasetStats',
      textColumn: 'text',
      textPairColumn: null,
      labelColumn: 'label',
    });

    emit({
      type: 'datasetStats',
      stats: {
        labels: [
          { name: 'ham', count: 260 },
          { name: 'spam', count: 40 },
        ],
        tokenLengths: { p50: 18, p90: 40, p95: 46, p99: 70, max: 120, suggestedMaxLength: 48 },
        histogram: [],
        warnings: [],
      },
    });
    const o = useStudio.getState().training.options;
    expect(o.maxLength).toBe(48);
    expect(o.classWeights).toBe('balanced');
  });

  it('never overwrites a setting the user chose, and follows the freezing strategy for the learning rate', () => {
    const s = useStudio.getState();
    s.setOption('freeze', 'encoder');
    expect(useStudio.getState().training.options.learningRate).toBe(1e-3);
    s.setOption('freeze', 'none');
    expect(useStudio.getState().training.options.learningRate).toBe(5e-5);
    s.setOption('maxLength', 32);
    s.applyStatsSuggestions(useStudio.getState().dataset.stats!);
    expect(useStudio.getState().training.options.maxLength).toBe(32);
  });

  it('batches step events into few store updates and records the run', async () => {
    useStudio.getState().setOption('epochs', 1);
    useStudio.getState().startTraining();
    const train = lastSent();
    expect(train?.type).toBe('train');
    if (train?.type !== 'train') return;
    expect(train.settings).toMatchObject({
      task: 'seq-cls',
      textColumn: 'text',
      labelColumn: 'label',
      maxLength: 32,
      epochs: 1,
      dropRows: [17, 42],
    });

    let updates = 0;
    const off = useStudio.subscribe(() => updates++);
    for (let i = 1; i <= 17; i++) emit(stepEvent(i));
    expect(currentRun(useStudio.getState().project)?.steps).toHaveLength(0); // not yet flushed
    await sleep(150);
    off();
    expect(updates).toBeLessThanOrEqual(2); // one run update + one progress update, not 17
    const run = currentRun(useStudio.getState().project)!;
    expect(run.steps.map((p) => p.step)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(useStudio.getState().training.status).toBe('running');
    expect(useStudio.getState().training.last?.step).toBe(17);

    emit({ type: 'epochEnd', epoch: 1, trainLoss: 0.5, valid: report(0.9) });
    emit({ type: 'best', epoch: 1, metric: 'macroF1', value: 0.75 });
    emit({
      type: 'done',
      stopped: false,
      bestEpoch: 0, // a worker that does not track the best epoch: the 'best' event's epoch stands
      report: report(0.9),
      misclassified: [],
      labels: ['ham', 'spam'],
    });
    const after = useStudio.getState();
    expect(after.training.status).toBe('done');
    expect(after.model.predicts).toBe(true);
    expect(after.results.reportFrom).toBe('final');
    const done = currentRun(after.project)!;
    expect(done.status).toBe('done');
    expect(done.epochs).toEqual([{ epoch: 1, trainLoss: 0.5, validLoss: 0.3, accuracy: 0.9, macroF1: 0.75 }]);
    expect(done.best).toEqual({ metric: 'macroF1', value: 0.75 });
    expect(done.bestEpoch).toBe(1);
    expect(after.results.bestEpoch).toBe(1);
  });

  it('ignores a prediction overtaken by a newer request', () => {
    const s = useStudio.getState();
    s.predict('free prize', null);
    s.predict('free prize now', null);
    const prediction = { labels: ['ham', 'spam'], probabilities: [0.2, 0.8], predicted: 'spam' };
    emit({ type: 'prediction', requestId: 1, prediction: { ...prediction, predicted: 'ham' } });
    expect(useStudio.getState().results.prediction).toBeNull();
    emit({ type: 'prediction', requestId: 2, prediction });
    expect(useStudio.getState().results.prediction?.prediction.predicted).toBe('spam');
  });

  it('puts errors next to their step and stops waiting', () => {
    useStudio.getState().loadModel({ kind: 'hub', id: 'nope/missing', hub: 'http://x/hub' }, 'nope/missing');
    emit({ type: 'error', message: 'config.json: 404', during: 'loadModel' });
    const s = useStudio.getState();
    expect(s.ui.errors.model).toBe('config.json: 404');
    expect(s.model.status).toBe('idle');
    s.saveModel('x');
    emit({ type: 'saved', id: 'm1', name: 'x' });
    expect(lastSent()).toEqual({ type: 'listLibrary' });
    expect(useStudio.getState().results.saving).toBe(false);
  });
});
