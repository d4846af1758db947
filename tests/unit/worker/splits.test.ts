// Validation splits driven through the worker's handlers in Node: a split column (train /
// validation / test names) and a separate validation file. Which rows validated is read back from
// the 'done' report: its confusion matrix counts exactly the validation rows.
import { beforeAll, describe, expect, it } from 'vitest';
import type { FromWorker, TrainSettings } from '../../../src/train/protocol';
import { loadDataset, loadValidation } from '../../../src/train/worker/dataset';
import { loadModel } from '../../../src/train/worker/model';
import { newState } from '../../../src/train/worker/state';
import { runTraining } from '../../../src/train/worker/training';
import { useWasm } from '../train/helpers';
import { BASE_SETTINGS, csvText, doneWithReport, modelFiles, smsRows } from './workerFiles';

const SETTINGS: TrainSettings = {
  ...BASE_SETTINGS,
  textColumn: 'text',
  labelColumn: 'label',
  maxLength: 32,
  learningRate: 3e-4,
};

describe('validation splits in the worker', () => {
  const state = newState();
  const events: FromWorker[] = [];
  const post = (m: FromWorker) => void events.push(m);
  // Row r (0-based) of the split-column file: every 4th validates, every 10th is test.
  const splitOf = (r: number) => (r % 10 === 9 ? 'test' : r % 4 === 0 ? (r % 8 === 0 ? 'dev' : 'validation') : 'train');

  beforeAll(async () => {
    await useWasm();
    await loadModel(state, { kind: 'files', files: modelFiles() }, post);
  });

  it('validates on exactly the rows the split column names validation / dev', async () => {
    const rows = smsRows(30, 10).map((r, i) => [...r, splitOf(i)]);
    await loadDataset(state, { name: 'split.csv', text: csvText(['text', 'label', 'split'], rows) }, post);
    events.length = 0;
    await runTraining(state, { ...SETTINGS, validationSplit: 'column', splitColumn: 'split' }, post);
    const done = doneWithReport(events);
    const validRows = rows.flatMap((r, i) => (r[2] === 'validation' || r[2] === 'dev' ? [i + 1] : []));
    expect(validRows.length).toBe(10);
    expect(done.report!.confusion.flat().reduce((a, b) => a + b, 0)).toBe(validRows.length);
    // Per-class support counts the validation rows' true labels.
    const spam = validRows.filter((r) => rows[r - 1]![1] === 'spam').length;
    expect(done.report!.perClass.find((c) => c.label === 'spam')!.support).toBe(spam);
    for (const m of done.misclassified) {
      expect(validRows).toContain(m.row);
      expect(m.text).toBe(rows[m.row - 1]![0]);
    }
  });

  it('names the rows whose split value is unknown, counting rows as in the file after drops', async () => {
    const rows = smsRows(30, 10).map((r, i) => [...r, i === 4 ? 'holdout2' : i === 12 ? '' : splitOf(i)]);
    await loadDataset(state, { name: 'bad-split.csv', text: csvText(['text', 'label', 'split'], rows) }, post);
    const s: TrainSettings = { ...SETTINGS, validationSplit: 'column', splitColumn: 'split' };
    await expect(runTraining(state, s, post)).rejects.toThrow(
      /values other than train \/ validation \/ test in rows 5, 13$/,
    );
    await expect(runTraining(state, { ...s, dropRows: [2] }, post)).rejects.toThrow(/in rows 5, 13$/);
    await expect(runTraining(state, { ...s, splitColumn: 'nope' }, post)).rejects.toThrow(
      /split column "nope" not found/,
    );
  });

  it('validates on a separate file with the training labels and its own row numbers', async () => {
    const train = smsRows(30, 10);
    const valid = smsRows(9, 4, 30);
    await loadDataset(state, { name: 'train.csv', text: csvText(['text', 'label'], train) }, post);
    const s: TrainSettings = { ...SETTINGS, validationSplit: 'file' };
    await expect(runTraining(state, s, post)).rejects.toThrow(/load a validation file/);
    await loadValidation(state, { name: 'valid.csv', text: csvText(['text', 'label'], valid) }, post);
    expect(events.at(-1)).toEqual({
      type: 'validationLoaded',
      fileName: 'valid.csv',
      rows: 13,
      columns: ['text', 'label'],
    });
    events.length = 0;
    await runTraining(state, s, post);
    const done = doneWithReport(events);
    expect(done.labels).toEqual(['ham', 'spam']);
    expect(done.report!.confusion.flat().reduce((a, b) => a + b, 0)).toBe(13);
    expect(done.report!.confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([9, 4]);
    for (const m of done.misclassified) expect(m.text).toBe(valid[m.row - 1]![0]);
  });

  it('refuses a validation label the training data lacks, naming it and its rows', async () => {
    const valid = smsRows(3, 2, 30);
    valid[1]![1] = 'promo';
    valid[4]![1] = 'promo';
    await loadValidation(state, { name: 'valid.csv', text: csvText(['text', 'label'], valid) }, post);
    await expect(runTraining(state, { ...SETTINGS, validationSplit: 'file' }, post)).rejects.toThrow(
      /label the training data does not: "promo" \(rows 2, 5\)/,
    );
    // A new training file forgets the validation file.
    await loadDataset(state, { name: 'train.csv', text: csvText(['text', 'label'], smsRows(10, 5)) }, post);
    expect(state.validTable).toBeNull();
  });
});
