// Predictions from the trained (or library) classifier: one text for the try box, or a whole file.
import Papa from 'papaparse';
import { guessColumns, parseTable } from '../../data';
import { yieldToEventLoop } from '../../lib/yieldTask';
import type { Example } from '../batches';
import { predictLogits } from '../evaluate';
import type { Prediction } from '../protocol';
import { probabilities } from './report';
import type { TrainedModel, WorkerState } from './state';
import { predictTask, predictTaskFile } from './taskPredict';

const DEFAULT_MAX_LENGTH = 128;

function requireModel(state: WorkerState): TrainedModel {
  if (!state.trained) throw new Error('train a model or load a saved one before predicting');
  return state.trained;
}

function maxLength(t: TrainedModel): number {
  return t.settings?.maxLength ?? Math.min(DEFAULT_MAX_LENGTH, t.model.bert.config.max_position_embeddings);
}

function toExamples(t: TrainedModel, texts: string[], pairs: string[] | null): Example[] {
  const maxLen = maxLength(t);
  return texts.map((text, i) => {
    const enc = t.tokenizer.encode(text, pairs ? (pairs[i] ?? '') : null, { maxLength: maxLen, truncation: true });
    return { inputIds: enc.inputIds, tokenTypeIds: enc.tokenTypeIds, label: 0 };
  });
}

function toPrediction(t: TrainedModel, logits: Float32Array, row: number): Prediction {
  const L = t.labels.length;
  const probs = probabilities(logits, row * L, L, t.model.multiLabel);
  const predicted = t.labels[probs.indexOf(Math.max(...probs))]!;
  if (!t.model.multiLabel) return { labels: t.labels, probabilities: probs, predicted };
  // Multi-label: every label above the threshold tuned on validation (0.5 for a library model).
  const threshold = t.threshold ?? 0.5;
  const predictedLabels = t.labels.filter((_, i) => probs[i]! > threshold);
  return { labels: t.labels, probabilities: probs, predicted, predictedLabels, threshold };
}

export async function predictOne(state: WorkerState, text: string, textPair: string | null): Promise<Prediction> {
  if (state.trainedTask) return predictTask(state.trainedTask, text, textPair);
  const t = requireModel(state);
  const examples = toExamples(t, [text], textPair === null ? null : [textPair]);
  const logits = await predictLogits(t.model, examples, { batchSize: 1, padId: t.tokenizer.padId });
  return toPrediction(t, logits, 0);
}

/**
 * The uploaded file with `predicted_label` and one probability column per class appended; for a
 * multi-label model also `predicted_labels`, every label above its threshold (";"-separated).
 */
export async function predictFile(
  state: WorkerState,
  file: File | { name: string; text: string },
): Promise<{ csv: string; rows: number }> {
  if (state.trainedTask) return predictTaskFile(state.trainedTask, file);
  const t = requireModel(state);
  const table = await parseTable(file instanceof Blob ? file : file.text, { fileName: file.name });
  const wanted = t.settings?.textColumn;
  const textCol = wanted && table.columns.includes(wanted) ? wanted : guessColumns(table).text;
  if (!textCol) throw new Error(`no text column found in ${file.name}; columns: ${table.columns.join(', ')}`);
  const pairCol = t.settings?.textPairColumn ?? null;
  if (pairCol && !table.columns.includes(pairCol))
    throw new Error(`${file.name} lacks the second text column "${pairCol}"`);
  const ti = table.columns.indexOf(textCol);
  const pi = pairCol ? table.columns.indexOf(pairCol) : -1;
  const texts = table.rows.map((r) => r[ti] ?? '');
  const pairs = pi >= 0 ? table.rows.map((r) => r[pi] ?? '') : null;
  const logits = await predictLogits(t.model, toExamples(t, texts, pairs), {
    batchSize: 64,
    padId: t.tokenizer.padId,
    yieldFn: yieldToEventLoop,
  });
  const multi = t.model.multiLabel ? ['predicted_labels'] : [];
  const header = [...table.columns, 'predicted_label', ...multi, ...t.labels.map((l) => `prob_${l}`)];
  const rows = table.rows.map((r, i) => {
    const p = toPrediction(t, logits, i);
    const above = p.predictedLabels ? [p.predictedLabels.join(';')] : [];
    return [...r, p.predicted, ...above, ...p.probabilities.map((x) => x.toPrecision(6))];
  });
  return { csv: Papa.unparse({ fields: header, data: rows }), rows: rows.length };
}
