// Real inputs for the training and inference benchmarks: SST-2 sentences (../shared/data) and the
// studio's BERT-Tiny-shaped pretrained model (../shared/models/studio-bert-tiny-mlm).
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { nodeFolderSource } from '../src/model/checkpoint/nodeSource';
import type { Example } from '../src/train/batches';
import { loadClassifier, type LoadedClassifier } from '../src/train/loadModel';
import type { BertTokenizer } from '../src/tokenizer';
import { sharedPath } from '../tests/unit/shared';

export const TINY_MODEL_DIR = sharedPath('models', 'studio-bert-tiny-mlm');

/** The first `n` rows of sst2_train.csv (text, label 0/1). */
export function sst2Rows(n: number): Array<{ text: string; label: number }> {
  const csv = readFileSync(sharedPath('data', 'sst2', 'sst2_train.csv'), 'utf8');
  const parsed = Papa.parse<{ text: string; label: string }>(csv, { header: true, skipEmptyLines: true });
  return parsed.data.slice(0, n).map((r) => ({ text: r.text, label: Number(r.label) }));
}

export function toExamples(
  tok: BertTokenizer,
  rows: Array<{ text: string; label: number }>,
  maxLength = 128,
): Example[] {
  return rows.map((r) => {
    const enc = tok.encode(r.text, null, { maxLength, truncation: true });
    return { inputIds: enc.inputIds, tokenTypeIds: enc.tokenTypeIds, label: r.label };
  });
}

/** studio-bert-tiny-mlm with a fresh 2-label linear head, as the studio loads it for SST-2. */
export function loadTinyClassifier(seed = 1): Promise<LoadedClassifier> {
  return loadClassifier(nodeFolderSource(TINY_MODEL_DIR), {
    labels: ['negative', 'positive'],
    head: { kind: 'linear' },
    multiLabel: false,
    seed,
  });
}
