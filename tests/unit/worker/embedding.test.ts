// The worker's embed handlers in Node: 50 SST-2 rows → vectors + PCA map → nearest rows of a typed
// query → CSV / .npy downloads that hold the same numbers; and multi-label threshold tuning on a
// GoEmotions slice.
import { beforeAll, describe, expect, it } from 'vitest';
import { embedTexts, pca2d } from '../../../src/train/embed';
import { THRESHOLD_GRID } from '../../../src/train/multiLabel';
import type { FromWorker } from '../../../src/train/protocol';
import { loadDataset } from '../../../src/train/worker/dataset';
import { embedDataset, exportEmbeddings, similarRows } from '../../../src/train/worker/embedding';
import { loadModel } from '../../../src/train/worker/model';
import { predictOne } from '../../../src/train/worker/predict';
import { newState } from '../../../src/train/worker/state';
import { runTraining } from '../../../src/train/worker/training';
import { useWasm } from '../train/helpers';
import { BASE_SETTINGS, csvSlice, modelFiles } from './workerFiles';

describe('worker: sentence embeddings', () => {
  const state = newState();
  const events: FromWorker[] = [];
  const post = (m: FromWorker) => void events.push(m);

  beforeAll(async () => {
    await useWasm();
    await loadModel(state, { kind: 'files', files: modelFiles() }, post);
    await loadDataset(state, { name: 'sst2.csv', text: csvSlice(['sst2', 'sst2_train.csv'], 50) }, post);
  });

  it('embeds the column, maps it to 2-d and finds a row as its own nearest neighbour', async () => {
    const embedded = await embedDataset(
      state,
      { type: 'embedDataset', textColumn: 'text', labelColumn: 'label' },
      post,
    );
    const progress = events.filter((e) => e.type === 'embedProgress');
    expect(progress.at(-1)).toEqual({ type: 'embedProgress', done: 50, total: 50 });
    expect(embedded.points).toHaveLength(50);
    expect(embedded.dim).toBe(128);
    expect(new Set(embedded.labels)).toEqual(new Set(['0', '1']));
    // The map is the PCA of the very vectors the worker keeps.
    const e = state.embedded!;
    const xy = pca2d(e.vectors, 50, 128);
    expect(embedded.points[7]![0]).toBeCloseTo(xy[14]!, 5);
    expect(embedded.points[7]![1]).toBeCloseTo(xy[15]!, 5);
    const spread = (k: 0 | 1) => embedded.points.reduce((s, p) => s + p[k] ** 2, 0);
    expect(spread(0)).toBeGreaterThanOrEqual(spread(1));

    // Querying with a row's own text finds that row first with cosine ~1 (padding differs only).
    const query = e.texts[12]!;
    const rows = await similarRows(state, query);
    expect(rows).toHaveLength(10);
    expect(rows[0]).toMatchObject({ row: 13, text: query, label: e.labels![12] });
    expect(rows[0]!.score).toBeCloseTo(1, 5);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.score).toBeLessThanOrEqual(rows[i - 1]!.score);
    // Same numbers as embedding the query alone.
    const alone = await embedTexts(state.embedder!.model, state.base!.tokenizer, [e.texts[3]!], { maxLength: 128 });
    for (let j = 0; j < 128; j += 17) expect(e.vectors[3 * 128 + j]).toBeCloseTo(alone[j]!, 4);
  });

  it('downloads the vectors as CSV and .npy', () => {
    const e = state.embedded!;
    const csv = exportEmbeddings(state, 'csv');
    expect(csv.fileName).toBe('sst2-embeddings.csv');
    const lines = new TextDecoder().decode(csv.bytes).trimEnd().split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[0]!.split(',')).toHaveLength(129);
    const row5 = lines[5]!.split(',');
    expect(row5[0]).toBe('5');
    expect(Math.fround(Number(row5[10]))).toBe(e.vectors[4 * 128 + 9]);

    const npy = exportEmbeddings(state, 'npy');
    const headerLen = new DataView(npy.bytes.buffer, npy.bytes.byteOffset).getUint16(8, true);
    const header = new TextDecoder().decode(npy.bytes.subarray(10, 10 + headerLen));
    expect(header).toContain("'shape': (50, 128)");
    const data = new Float32Array(npy.bytes.slice(10 + headerLen).buffer);
    expect(data).toEqual(e.vectors);
  });

  it('asks for embeddings before a search', async () => {
    const empty = newState();
    empty.base = state.base;
    await expect(similarRows(empty, 'x')).rejects.toThrow(/compute the embeddings/);
  });
});

describe('worker: multi-label threshold', () => {
  it('tunes one threshold on validation and predicts every label above it', async () => {
    await useWasm();
    const state = newState();
    const post = (m: FromWorker) => void events.push(m);
    const events: FromWorker[] = [];
    await loadModel(state, { kind: 'files', files: modelFiles() }, post);
    const text = csvSlice(['goemotions', 'goemotions_train.csv'], 300, ['text', 'labels']);
    await loadDataset(state, { name: 'goemotions.csv', text }, post);
    const settings = { ...BASE_SETTINGS, task: 'multi-label' as const, textColumn: 'text', labelColumn: 'labels' };
    await runTraining(state, { ...settings, epochs: 1, learningRate: 1e-3, maxLength: 32 }, post);
    const done = events.find((e) => e.type === 'done');
    if (done?.type !== 'done' || !done.report) throw new Error('no report');
    const r = done.report;
    expect(r.kind).toBe('multi-label');
    const t = r.extra!.threshold!;
    expect([0.5, ...THRESHOLD_GRID]).toContain(t);
    expect(state.trained!.threshold).toBe(t);
    expect(r.accuracy).toBeCloseTo(r.extra!.subset_accuracy!, 12);
    expect(r.macro.f1).toBeCloseTo(r.extra!.macro_f1!, 12);
    const p = await predictOne(state, 'I love this so much, thank you!', null);
    expect(p.threshold).toBe(t);
    expect(p.predictedLabels).toEqual(p.labels.filter((_, i) => p.probabilities[i]! > t));
    state.trained!.model.dispose();
  });
});
