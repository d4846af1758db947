// The test split, driven through the worker's handlers in Node: a test share of a random stratified
// split, a split column's test rows and a separate test file. The 'done' event's test report counts
// exactly the test rows, comes from the final weights, and the test rows change nothing about
// training, the best epoch or the validation report.
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvalReport, FromWorker, TrainSettings } from '../../../src/train/protocol';
import { loadDataset, loadValidation } from '../../../src/train/worker/dataset';
import { loadModel } from '../../../src/train/worker/model';
import { predictOne } from '../../../src/train/worker/predict';
import { newState } from '../../../src/train/worker/state';
import { runTraining } from '../../../src/train/worker/training';
import { BASE_SETTINGS, csvText, doneWithReport, modelFiles, smsRows } from '../worker/workerFiles';
import { useWasm } from './helpers';

const total = (r: EvalReport) => r.confusion.flat().reduce((a, b) => a + b, 0);
const rowSums = (r: EvalReport) => r.confusion.map((row) => row.reduce((a, b) => a + b, 0));

const SETTINGS: TrainSettings = {
  ...BASE_SETTINGS,
  textColumn: 'text',
  labelColumn: 'label',
  maxLength: 32,
  epochs: 2,
  learningRate: 3e-4,
};

describe('test split in the worker', () => {
  const state = newState();
  const events: FromWorker[] = [];
  const post = (m: FromWorker) => void events.push(m);
  const run = async (s: TrainSettings) => {
    events.length = 0;
    await runTraining(state, s, post);
    return doneWithReport(events);
  };

  beforeAll(async () => {
    await useWasm();
    await loadModel(state, { kind: 'files', files: modelFiles() }, post);
  });

  it('a test share of the random split: stratified counts, and no test report without one', async () => {
    await loadDataset(state, { name: 'sms.csv', text: csvText(['text', 'label'], smsRows(40, 20)) }, post);
    const d = await run({ ...SETTINGS, epochs: 1, validFraction: 0.2, testFraction: 0.25 });
    // Per class: round(n * 0.2) validate, round(n * 0.25) test (ham 40 → 8 / 10, spam 20 → 4 / 5).
    expect(rowSums(d.report!)).toEqual([8, 4]);
    expect(d.test).toBeDefined();
    expect(rowSums(d.test!)).toEqual([10, 5]);
    expect(d.test!.labels).toEqual(['ham', 'spam']);
    const none = await run({ ...SETTINGS, epochs: 1, validFraction: 0.2 });
    expect(none.test).toBeUndefined();
    await expect(run({ ...SETTINGS, validFraction: 0.5, testFraction: 0.5 })).rejects.toThrow(/leave rows to train/);
  });

  it('split column test rows: evaluated once with the final weights, never steering training', async () => {
    // Rows 0-29 ham, 30-39 spam: every 4th validates, every 5th (not validating) is test.
    const rows = smsRows(30, 10).map((r, i) => [...r, i % 4 === 0 ? 'dev' : i % 5 === 0 ? 'test' : 'train']);
    const testRows = rows.filter((r) => r[2] === 'test');
    await loadDataset(state, { name: 'split.csv', text: csvText(['text', 'label', 'split'], rows) }, post);
    const s: TrainSettings = { ...SETTINGS, validationSplit: 'column', splitColumn: 'split' };
    const d = await run(s);
    expect(total(d.test!)).toBe(testRows.length);
    expect(rowSums(d.test!)).toEqual([
      testRows.filter((r) => r[1] === 'ham').length,
      testRows.filter((r) => r[1] === 'spam').length,
    ]);
    // The report is the trained model's: its accuracy is what predicting each test row gives.
    let right = 0;
    for (const [text, label] of testRows) if ((await predictOne(state, text!, null)).predicted === label) right++;
    expect(d.test!.accuracy).toBeCloseTo(right / testRows.length, 10);

    // Without the test rows at all, training, the best epoch and the validation report are the same.
    const without = rows.filter((r) => r[2] !== 'test');
    await loadDataset(state, { name: 'no-test.csv', text: csvText(['text', 'label', 'split'], without) }, post);
    const d2 = await run(s);
    expect(d2.test).toBeUndefined();
    expect(d2.bestEpoch).toBe(d.bestEpoch);
    expect(d2.report!.confusion).toEqual(d.report!.confusion);
    expect(d2.report!.loss).toBeCloseTo(d.report!.loss, 6);
  });

  it('a separate test file beside the validation file; a label only it has is reported with its rows', async () => {
    await loadDataset(state, { name: 'train.csv', text: csvText(['text', 'label'], smsRows(30, 10)) }, post);
    await loadValidation(state, { name: 'valid.csv', text: csvText(['text', 'label'], smsRows(6, 3, 30)) }, post);
    const test = smsRows(7, 5, 40);
    await loadValidation(state, { name: 'test.csv', text: csvText(['text', 'label'], test) }, post, { role: 'test' });
    // The reply says which file it was, so the page does not take it for the validation file.
    expect(events.at(-1)).toEqual({
      type: 'validationLoaded',
      fileName: 'test.csv',
      rows: 12,
      columns: ['text', 'label'],
      role: 'test',
    });
    const s: TrainSettings = { ...SETTINGS, epochs: 1, validationSplit: 'file' };
    const d = await run(s);
    expect(rowSums(d.report!)).toEqual([6, 3]);
    expect(rowSums(d.test!)).toEqual([7, 5]);

    test[2]![1] = 'promo';
    test[9]![1] = 'promo';
    await loadValidation(state, { name: 'test.csv', text: csvText(['text', 'label'], test) }, post, { role: 'test' });
    await expect(run(s)).rejects.toThrow(/test file has a label the training data does not: "promo" \(rows 3, 10\)/);
    // A new training file forgets both files.
    await loadDataset(state, { name: 'train.csv', text: csvText(['text', 'label'], smsRows(10, 5)) }, post);
    expect([state.validTable, state.testTable]).toEqual([null, null]);
  });

  it('refuses a class that only validation or test rows of a split column have', async () => {
    const rows = smsRows(20, 6).map((r, i) => [...r, i >= 20 ? (i % 2 ? 'test' : 'validation') : 'train']);
    await loadDataset(state, { name: 'split.csv', text: csvText(['text', 'label', 'split'], rows) }, post);
    await expect(run({ ...SETTINGS, validationSplit: 'column', splitColumn: 'split' })).rejects.toThrow(
      /no training row has the label "spam"/,
    );
  });
});
