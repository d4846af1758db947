// Shared inputs for the checkpoint tests: a whole-record slice of SMS spam and the tiny MLM model
// as picked files, as the worker receives them in the browser.
import fs from 'node:fs';
import path from 'node:path';
import type { TrainSettings } from '../../../src/train/protocol';
import { sharedPath } from '../shared';

export const MODEL_DIR = sharedPath('models', 'studio-bert-tiny-mlm');

/** `perClass` spam rows and three times as many ham rows, whole one-line records only. */
export function smsSlice(perClass: number): string {
  const lines = fs.readFileSync(sharedPath('data', 'sms_spam', 'sms_spam.csv'), 'utf8').split('\n');
  const rows = lines.slice(1).filter((l) => /,(ham|spam)$/.test(l));
  const ham = rows.filter((l) => l.endsWith(',ham')).slice(0, perClass * 3);
  const spam = rows.filter((l) => l.endsWith(',spam')).slice(0, perClass);
  return [lines[0]!, ...ham, ...spam].join('\n') + '\n';
}

export function modelFiles(): File[] {
  return fs.readdirSync(MODEL_DIR).map((name) => new File([fs.readFileSync(path.join(MODEL_DIR, name))], name));
}

export const SETTINGS: TrainSettings = {
  task: 'seq-cls',
  textColumn: 'text',
  textPairColumn: null,
  labelColumn: 'label',
  epochs: 2,
  learningRate: 3e-4,
  batchSize: 16,
  maxLength: 32,
  freeze: 'none',
  frozenLayers: 0,
  head: 'linear',
  mlpHidden: 64,
  warmupRatio: 0.1,
  weightDecay: 0.01,
  classWeights: 'none',
  seed: 11,
  validFraction: 0.2,
  dropRows: [],
};

export function sameWeights(a: Record<string, Float32Array>, b: Record<string, Float32Array>): string[] {
  const diff = Object.keys(a).filter((k) => !b[k] || !a[k]!.every((x, i) => Object.is(x, b[k]![i])));
  if (Object.keys(a).length !== Object.keys(b).length) diff.push('<key count>');
  return diff;
}
