// The store's side of validation files, split settings and the download cache, with the worker
// replaced by a recorder (no tfjs, no DOM).
import { beforeAll, describe, expect, it } from 'vitest';
import { setTrainer, type Trainer } from '../../../src/store/trainer';
import type { DatasetSummary, FromWorker, ToWorker } from '../../../src/train/protocol';

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

setTrainer(fake);
const { useStudio, connectStudio } = await import('../../../src/store');

const SUMMARY: DatasetSummary = {
  fileName: 'sms.csv',
  rows: 40,
  columns: ['text', 'label', 'split'],
  preview: [['Ok lar...', 'ham', 'train']],
  format: 'csv',
  delimiter: ',',
  quoting: 'rfc4180',
  encoding: 'utf-8',
  hasHeader: true,
  guess: { text: 'text', textPair: null, label: 'label' },
  warnings: [],
};

beforeAll(() => connectStudio());

describe('validation file and split settings in the store', () => {
  it('tracks the validation file through load, error and a new training file', () => {
    const s = useStudio.getState();
    s.loadDataset(new File(['text,label\n'], 'sms.csv'));
    emit({ type: 'datasetLoaded', summary: SUMMARY });
    s.loadValidationFile(new File(['text,label\nhi,ham\n'], 'valid.csv'));
    expect(sent.at(-1)).toMatchObject({ type: 'loadValidation' });
    expect(useStudio.getState().dataset.validation).toEqual({ status: 'loading', fileName: 'valid.csv', rows: 0 });
    emit({ type: 'validationLoaded', fileName: 'valid.csv', rows: 13, columns: ['text', 'label'] });
    expect(useStudio.getState().dataset.validation).toEqual({ status: 'ready', fileName: 'valid.csv', rows: 13 });

    s.loadValidationFile(new File(['x'], 'bad.csv'));
    emit({ type: 'error', message: 'the validation file bad.csv has no data rows', during: 'loadValidation' });
    expect(useStudio.getState().dataset.validation).toBeNull();
    expect(useStudio.getState().ui.errors.data).toMatch(/no data rows/);
    // The training file stays loaded after a failed validation file.
    expect(useStudio.getState().dataset.status).toBe('ready');

    emit({ type: 'validationLoaded', fileName: 'valid.csv', rows: 13, columns: ['text', 'label'] });
    emit({ type: 'datasetLoaded', summary: SUMMARY });
    expect(useStudio.getState().dataset.validation).toBeNull();
  });

  it('sends the chosen validation split with the training settings', () => {
    const s = useStudio.getState();
    expect(s.training.options).toMatchObject({ validationSplit: 'fraction', splitColumn: null });
    s.loadModel({ kind: 'hub', id: 'tiny', hub: '/hub' }, 'tiny');
    emit({
      type: 'modelLoaded',
      info: {
        id: 'tiny',
        architectures: ['BertModel'],
        layers: 2,
        hiddenSize: 128,
        heads: 2,
        vocabSize: 30522,
        maxPositions: 512,
        parameters: 4e6,
        sizeBytes: 1.7e7,
        format: 'safetensors',
        task: null,
        labels: null,
        newlyInitialised: [],
      },
    });
    s.setOption('validationSplit', 'column');
    s.setOption('splitColumn', 'split');
    s.startTraining();
    const train = sent.at(-1);
    expect(train?.type === 'train' && train.settings).toMatchObject({
      validationSplit: 'column',
      splitColumn: 'split',
      textColumn: 'text',
    });
  });
});

describe('download cache in the store', () => {
  it('asks for the listing, shows it, and removes one model or all', () => {
    const s = useStudio.getState();
    s.refreshCache();
    expect(sent.at(-1)).toEqual({ type: 'cacheInfo' });
    const models = [{ id: 'a/tiny', hub: '/hub', sizeBytes: 300 }];
    emit({ type: 'cache', models, totalBytes: 1000 });
    expect(useStudio.getState().model.cache).toEqual({ models, totalBytes: 1000 });
    s.clearModelCache('a/tiny');
    expect(sent.at(-1)).toEqual({ type: 'clearCache', id: 'a/tiny' });
    s.clearModelCache();
    expect(sent.at(-1)).toEqual({ type: 'clearCache' });
    emit({ type: 'error', message: 'the model x is not in the download cache', during: 'clearCache' });
    expect(useStudio.getState().ui.errors.model).toMatch(/not in the download cache/);
  });
});
