// The store's task wiring with the worker replaced by a recorder: a CoNLL file switches the task to
// token-cls and maps tokens / tags, training sends those columns; the embed events fill the map and
// the neighbour list, and an older search answer is ignored.
import { beforeAll, describe, expect, it } from 'vitest';
import { setTrainer, type Trainer } from '../../../src/store/trainer';
import type { DatasetSummary, FromWorker, ModelInfo, ToWorker } from '../../../src/train/protocol';

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
const { useStudio, connectStudio, selectStepInputs, stepAvailable } = await import('../../../src/store');

const CONLL: DatasetSummary = {
  fileName: 'wnut.conll',
  rows: 3,
  columns: ['tokens', 'tags'],
  preview: [['["Empire","State"]', '["B-location","I-location"]']],
  format: 'conll',
  delimiter: '',
  quoting: 'none',
  encoding: 'utf-8',
  hasHeader: true,
  guess: { text: 'tokens', textPair: null, label: 'tags' },
  taskGuess: {
    tokensColumn: 'tokens',
    tagsColumn: 'tags',
    contextColumn: null,
    questionColumn: null,
    answerColumn: null,
    answerStartColumn: null,
  },
  warnings: [],
};

const INFO: ModelInfo = {
  id: 'studio-bert-tiny-mlm',
  architectures: ['BertForMaskedLM'],
  layers: 2,
  hiddenSize: 128,
  heads: 2,
  vocabSize: 30522,
  maxPositions: 512,
  parameters: 4_385_920,
  sizeBytes: 17e6,
  format: 'safetensors',
  task: null,
  labels: null,
  newlyInitialised: [],
};

beforeAll(async () => {
  connectStudio();
  await useStudio.getState().startEngine('cpu', false);
});

describe('studio store: tasks', () => {
  it('maps a CoNLL file for token classification and trains with its columns', () => {
    useStudio.getState().loadDataset(new File(['a\tO\n'], 'wnut.conll'));
    emit({ type: 'datasetLoaded', summary: CONLL });
    const s = useStudio.getState();
    expect(s.model.task).toBe('token-cls');
    expect(s.dataset.mapping).toMatchObject({ tokens: 'tokens', tags: 'tags' });
    useStudio.getState().loadModel({ kind: 'hub', id: INFO.id, hub: 'http://x/hub' }, INFO.id);
    emit({ type: 'modelLoaded', info: INFO });
    // Label counts describe classification data: no stats request for token-cls.
    expect(sent.some((m) => m.type === 'datasetStats')).toBe(false);
    expect(stepAvailable('train', selectStepInputs(useStudio.getState()))).toBe(true);
    useStudio.getState().setMapping({ tags: null });
    expect(stepAvailable('train', selectStepInputs(useStudio.getState()))).toBe(false);
    useStudio.getState().setMapping({ tags: 'tags' });
    useStudio.getState().startTraining();
    const train = sent.at(-1);
    if (train?.type !== 'train') throw new Error('no train message');
    expect(train.settings).toMatchObject({ task: 'token-cls', tokensColumn: 'tokens', tagsColumn: 'tags' });
  });

  it('opens Try for embeddings without training and keeps the latest search', () => {
    useStudio.getState().setTask('embed');
    useStudio.getState().setMapping({ text: 'tokens', label: null });
    expect(stepAvailable('try', selectStepInputs(useStudio.getState()))).toBe(true);
    useStudio.getState().embedDataset();
    expect(sent.at(-1)).toMatchObject({ type: 'embedDataset', textColumn: 'tokens', labelColumn: null });
    expect(useStudio.getState().embed.status).toBe('running');
    emit({ type: 'embedProgress', done: 1, total: 3 });
    expect(useStudio.getState().embed.progress).toEqual({ done: 1, total: 3 });
    emit({
      type: 'embedded',
      points: [
        [0, 1],
        [1, 0],
        [2, 2],
      ],
      labels: null,
      texts: ['a', 'b', 'c'],
      dim: 128,
    });
    expect(useStudio.getState().embed).toMatchObject({ status: 'ready', progress: null, dim: 128 });

    useStudio.getState().findSimilar('first');
    useStudio.getState().findSimilar('second');
    const rows = [{ row: 2, text: 'b', label: null, score: 0.9 }];
    emit({ type: 'similar', requestId: 1, rows: [] });
    expect(useStudio.getState().embed.similar).toBeNull();
    emit({ type: 'similar', requestId: 2, rows });
    expect(useStudio.getState().embed.similar).toEqual({ query: 'second', rows });

    emit({ type: 'error', message: 'boom', during: 'exportEmbeddings' });
    expect(useStudio.getState().ui.errors.try).toBe('boom');
  });
});
