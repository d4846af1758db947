// Shared by the worker handler tests: the tiny model as picked files, and small slices of the
// shared datasets.
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { EvalReport, FromWorker, TrainSettings } from '../../../src/train/protocol';
import { sharedPath } from '../shared';

export const MODEL_DIR = sharedPath('models', 'studio-bert-tiny-mlm');

export function modelFiles(): File[] {
  return fs.readdirSync(MODEL_DIR).map((name) => new File([fs.readFileSync(path.join(MODEL_DIR, name))], name));
}

/** The first `n` sentences of the WNUT-17 training CoNLL file, as the file's own text. */
export function wnutSlice(n: number): string {
  const text = fs.readFileSync(sharedPath('data', 'wnut17', 'wnut17train.conll'), 'utf8');
  return (
    text
      .split(/\r?\n\s*\r?\n/)
      .slice(0, n)
      .join('\n\n') + '\n'
  );
}

/** The first `n` rows of a shared CSV, re-written (quoting kept right by papaparse). */
export function csvSlice(parts: string[], n: number, columns?: string[]): string {
  const parsed = Papa.parse<Record<string, string>>(fs.readFileSync(sharedPath('data', ...parts), 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  return Papa.unparse(parsed.data.slice(0, n), { newline: '\n', ...(columns ? { columns } : {}) });
}

/** `ham` ham rows then `spam` spam rows of the SMS spam file (after `skip` of each), as [text, label]. */
export function smsRows(ham: number, spam: number, skip = 0): string[][] {
  const parsed = Papa.parse<Record<string, string>>(
    fs.readFileSync(sharedPath('data', 'sms_spam', 'sms_spam.csv'), 'utf8'),
    { header: true, skipEmptyLines: true },
  );
  const of = (l: string, n: number) =>
    parsed.data
      .filter((r) => r.label === l)
      .slice(skip, skip + n)
      .map((r) => [r.text ?? '', l]);
  return [...of('ham', ham), ...of('spam', spam)];
}

/** A header and rows as CSV text. */
export const csvText = (columns: string[], rows: string[][]): string =>
  Papa.unparse([columns, ...rows], { newline: '\n' });

/** The run's 'done' event; fails unless it carries a validation report. */
export function doneWithReport(events: FromWorker[]): Extract<FromWorker, { type: 'done' }> & { report: EvalReport } {
  const d = events.find((e) => e.type === 'done');
  if (d?.type !== 'done' || !d.report) throw new Error('no done event with a report');
  return { ...d, report: d.report };
}

export const BASE_SETTINGS: TrainSettings = {
  task: 'seq-cls',
  textColumn: '',
  textPairColumn: null,
  labelColumn: '',
  epochs: 1,
  learningRate: 3e-4,
  batchSize: 16,
  maxLength: 64,
  freeze: 'none',
  frozenLayers: 0,
  head: 'linear',
  mlpHidden: 64,
  warmupRatio: 0,
  weightDecay: 0.01,
  classWeights: 'none',
  seed: 7,
  validFraction: 0.2,
  dropRows: [],
};
