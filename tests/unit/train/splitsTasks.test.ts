// Token classification and QA honour the split settings: a split column (train / validation /
// test) trains exactly as the same rows given as separate validation and test files would, the
// random QA split keeps every context (so all windows of a question) in one part, and a tag only
// the test rows have is reported.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTokenList, squadFromTable, type ParsedTable } from '../../../src/data';
import type { FromWorker, TrainSettings } from '../../../src/train/protocol';
import { groupSplit } from '../../../src/train/tasks/groupSplit';
import { loadDataset, loadValidation } from '../../../src/train/worker/dataset';
import { loadModel } from '../../../src/train/worker/model';
import { newState } from '../../../src/train/worker/state';
import { conllTable } from '../../../src/train/worker/taskData';
import { contextSplit } from '../../../src/train/worker/taskSplits';
import { runTraining } from '../../../src/train/worker/training';
import { BASE_SETTINGS, csvSlice, csvText, doneWithReport, modelFiles, wnutSlice } from '../worker/workerFiles';
import { useWasm } from './helpers';

const csv = (t: { columns: string[]; rows: string[][] }): string => csvText(t.columns, t.rows);
const partOf = (i: number) => (i % 5 === 1 ? 'validation' : i % 5 === 3 ? 'test' : 'train');

describe('token-cls and qa splits in the worker', () => {
  const state = newState();
  const events: FromWorker[] = [];
  const post = (m: FromWorker) => void events.push(m);
  const run = async (s: TrainSettings) => {
    events.length = 0;
    await runTraining(state, s, post);
    return doneWithReport(events);
  };
  /** Trains with a split column, then with the same parts as three files; returns both results. */
  async function columnVsFiles(table: ParsedTable, s: TrainSettings) {
    const withSplit = { columns: [...table.columns, 'split'], rows: table.rows.map((r, i) => [...r, partOf(i)]) };
    await loadDataset(state, { name: 'split.csv', text: csv(withSplit) }, post);
    const byColumn = await run({ ...s, validationSplit: 'column', splitColumn: 'split' });
    const part = (p: string) => ({ columns: table.columns, rows: table.rows.filter((_, i) => partOf(i) === p) });
    await loadDataset(state, { name: 'train.csv', text: csv(part('train')) }, post);
    await loadValidation(state, { name: 'valid.csv', text: csv(part('validation')) }, post);
    await loadValidation(state, { name: 'test.csv', text: csv(part('test')) }, post, { role: 'test' });
    const byFiles = await run({ ...s, validationSplit: 'file' });
    return { byColumn, byFiles, parts: { validation: part('validation'), test: part('test') } };
  }

  beforeAll(async () => {
    await useWasm();
    await loadModel(state, { kind: 'files', files: modelFiles() }, post);
  });

  it('token-cls: a split column equals separate files, and the test rows get their own report', async () => {
    const table = conllTable(wnutSlice(40));
    const s: TrainSettings = {
      ...BASE_SETTINGS,
      task: 'token-cls',
      tokensColumn: 'tokens',
      tagsColumn: 'tags',
      learningRate: 1e-3,
      maxLength: 48,
    };
    const { byColumn, byFiles, parts } = await columnVsFiles(table, s);
    expect(byColumn.report.extra!.sentences).toBe(parts.validation.rows.length);
    expect(byColumn.test!.extra!.sentences).toBe(parts.test.rows.length);
    expect(byColumn.test!.kind).toBe('entities');
    // Every entity of the test rows (a B- tag starts one in WNUT's BIO) is counted once.
    const entities = parts.test.rows.flatMap((r) => parseTokenList(r[1]!)).filter((t) => t.startsWith('B-')).length;
    expect(byColumn.test!.perClass.reduce((a, c) => a + c.support, 0)).toBe(entities);
    expect(byFiles.report).toEqual(byColumn.report);
    expect(byFiles.test).toEqual(byColumn.test);
  });

  it('token-cls: a tag only the test file has is reported and still scored', async () => {
    const table = conllTable(wnutSlice(30));
    await loadDataset(state, { name: 'train.csv', text: csv(table) }, post);
    await loadValidation(state, { name: 'valid.csv', text: csv(table) }, post);
    const test = { columns: table.columns, rows: [['["Acme","rocks"]', '["B-brand","O"]']] };
    await loadValidation(state, { name: 'test.csv', text: csv(test) }, post, { role: 'test' });
    const s = { ...BASE_SETTINGS, task: 'token-cls', tokensColumn: 'tokens', tagsColumn: 'tags' } as const;
    const d = await run({ ...s, validationSplit: 'file' });
    expect(events.filter((e) => e.type === 'warning')).toEqual([
      {
        type: 'warning',
        during: 'train',
        message: 'no training row has the tag(s) B-brand (test rows): the model cannot learn them, so they score zero',
      },
    ]);
    expect(d.test!.perClass.find((c) => c.label === 'brand')).toMatchObject({ support: 1, recall: 0 });
  });

  it('qa: a split column equals separate files; the test report counts its questions', async () => {
    const text = csvSlice(['squad', 'squad_v1.1_dev_rebuilt_minus_xquad.csv'], 20);
    await loadDataset(state, { name: 'squad.csv', text }, post);
    const table = state.table!;
    const g = state.table!.columns;
    const s: TrainSettings = {
      ...BASE_SETTINGS,
      task: 'qa',
      contextColumn: 'context',
      questionColumn: 'question',
      answerColumn: g.includes('answer_text') ? 'answer_text' : 'answer',
      answerStartColumn: g.includes('answer_start') ? 'answer_start' : null,
      maxLength: 64,
      batchSize: 8,
    };
    const { byColumn, byFiles, parts } = await columnVsFiles(table, s);
    expect(byColumn.report.extra!.questions).toBe(parts.validation.rows.length);
    expect(byColumn.test!.extra!.questions).toBe(parts.test.rows.length);
    expect(byFiles.report).toEqual(byColumn.report);
    expect(byFiles.test).toEqual(byColumn.test);
  });

  it('qa random split: contexts never shared between parts; validation as before a test share existed', async () => {
    const text = csvSlice(['squad', 'squad_v1.1_dev_rebuilt_minus_xquad.csv'], 400);
    await loadDataset(state, { name: 'squad.csv', text }, post);
    const t = state.table!;
    const ans = t.columns.includes('answer_text') ? 'answer_text' : 'answer';
    const examples = squadFromTable(t, {
      contextColumn: 'context',
      questionColumn: 'question',
      answerColumn: ans,
      ...(t.columns.includes('answer_start') ? { answerStartColumn: 'answer_start' } : {}),
    });
    const s = { ...BASE_SETTINGS, validFraction: 0.2, testFraction: 0.25, seed: 3 };
    const split = contextSplit(s)(examples);
    const ctx = (rows: number[]) => new Set(rows.map((i) => examples[i]!.context));
    const [tr, va, te] = [ctx(split.train), ctx(split.validation), ctx(split.test)];
    for (const c of va) expect(tr.has(c) || te.has(c)).toBe(false);
    for (const c of te) expect(tr.has(c)).toBe(false);
    expect(split.train.length + split.validation.length + split.test.length).toBe(examples.length);
    expect(split.validation).toEqual(
      groupSplit(
        examples.map((e) => e.context),
        0.2,
        3,
      ).validation,
    );
    // Whole contexts overshoot the wanted share by less than one context's questions.
    const biggest = Math.max(...[...te].map((c) => examples.filter((e) => e.context === c).length));
    expect(split.test.length).toBeGreaterThanOrEqual(Math.round(0.25 * examples.length) - 1);
    expect(split.test.length).toBeLessThan(Math.round(0.25 * examples.length) + biggest + 1);
  });
});
