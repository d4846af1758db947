// The multi-label decision threshold tuned on validation survives saving: export.ts writes it to
// config.json (`bert_studio.threshold`), and a model loaded again from the library (IndexedDB, a
// fake one here) or from the exported zip predicts with it, in the try box and in batch prediction,
// instead of 0.5. The model is a real multi-label run on a GoEmotions slice in the worker.
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportConfig, STUDIO_CONFIG_KEY } from '../../../src/io';
import { zipSource } from '../../../src/model/checkpoint';
import type { FromWorker, ModelSource } from '../../../src/train/protocol';
import { loadDataset } from '../../../src/train/worker/dataset';
import { exportZip, saveToLibrary } from '../../../src/train/worker/exporting';
import { loadModel } from '../../../src/train/worker/model';
import { predictFile, predictOne } from '../../../src/train/worker/predict';
import { newState, type WorkerState } from '../../../src/train/worker/state';
import { runTraining } from '../../../src/train/worker/training';
import { installFakeIndexedDb } from '../reliability-train/fakeIdb';
import { useWasm } from '../train/helpers';
import { BASE_SETTINGS, csvSlice, modelFiles } from '../worker/workerFiles';

const BASE = { vocab_size: 10, hidden_size: 4, [STUDIO_CONFIG_KEY]: { threshold: 0.2 } };

describe('the threshold in config.json', () => {
  it('is written for a multi-label export only, replacing one inherited from the base', () => {
    const input = {
      config: BASE,
      weights: new Map(),
      vocabText: '',
      studioVersion: 'test',
      task: 'seq-cls' as const,
      labels: ['a', 'b'],
    };
    const multi = exportConfig({ ...input, problemType: 'multi_label_classification', threshold: 0.35 });
    expect(multi[STUDIO_CONFIG_KEY]).toEqual({ threshold: 0.35 });
    // Untuned (or single-label): no block, not even the base model's.
    expect(exportConfig({ ...input, problemType: 'multi_label_classification' })).not.toHaveProperty(STUDIO_CONFIG_KEY);
    expect(exportConfig({ ...input, threshold: 0.35 })).not.toHaveProperty(STUDIO_CONFIG_KEY);
    expect(() => exportConfig({ ...input, problemType: 'multi_label_classification', threshold: 1.5 })).toThrow(
      /threshold must be in \(0, 1\), got 1.5/,
    );
  });
});

describe('a tuned multi-label model saved and loaded again', () => {
  const text = csvSlice(['goemotions', 'goemotions_train.csv'], 300, ['text', 'labels']);
  const probe = csvSlice(['goemotions', 'goemotions_dev.csv'], 60, ['text']);
  let trained: WorkerState;
  let threshold: number;

  beforeAll(async () => {
    await useWasm();
    installFakeIndexedDb();
    trained = newState();
    const ignore = (): void => undefined;
    await loadModel(trained, { kind: 'files', files: modelFiles() }, ignore);
    await loadDataset(trained, { name: 'goemotions.csv', text }, ignore);
    const settings = { ...BASE_SETTINGS, task: 'multi-label' as const, textColumn: 'text', labelColumn: 'labels' };
    await runTraining(trained, { ...settings, epochs: 1, learningRate: 1e-3, maxLength: 32 }, ignore);
    threshold = trained.trained!.threshold!;
  }, 120_000);

  /** Loads `source` in a fresh worker state and checks the try box and batch prediction use `threshold`. */
  async function predictsAtTunedThreshold(source: ModelSource): Promise<void> {
    const state = newState();
    const events: FromWorker[] = [];
    const info = await loadModel(state, source, (m) => void events.push(m));
    expect(info.task).toBe('seq-cls');
    expect(state.trained!.threshold).toBe(threshold);
    const one = await predictOne(state, 'Thank you so much, I love it!', null);
    expect(one.threshold).toBe(threshold);
    expect(one.predictedLabels).toEqual(one.labels.filter((_, i) => one.probabilities[i]! > threshold));
    expect(one.probabilities).toEqual((await predictOne(trained, 'Thank you so much, I love it!', null)).probabilities);

    const { csv, rows } = await predictFile(state, { name: 'probe.csv', text: probe });
    expect(rows).toBe(60);
    const table = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    let decidedByTuning = 0;
    for (const r of table) {
      const probs = one.labels.map((l) => Number(r[`prob_${l}`]));
      const above = one.labels.filter((_, i) => probs[i]! > threshold);
      expect(r.predicted_labels).toBe(above.join(';'));
      if (probs.some((p) => p > threshold && p <= 0.5)) decidedByTuning++;
    }
    // Rows whose labels differ from 0.5's: the test would fail if 0.5 were used.
    expect(decidedByTuning).toBeGreaterThan(0);
    state.trained!.model.dispose();
  }

  it('trained to a threshold other than 0.5, which the export carries', async () => {
    expect(threshold).toBeGreaterThan(0);
    expect(threshold).not.toBe(0.5);
    const { zip } = await exportZip(trained);
    const json = JSON.parse((await zipSource(zip).readText('config.json'))!) as Record<string, unknown>;
    expect(json[STUDIO_CONFIG_KEY]).toEqual({ threshold });
    expect(json.problem_type).toBe('multi_label_classification');
  });

  it('from the exported zip, predicts at the tuned threshold', { timeout: 60_000 }, async () => {
    const { fileName, zip } = await exportZip(trained);
    await predictsAtTunedThreshold({ kind: 'files', files: [new File([zip.slice()], fileName)] });
  });

  it('from the library, predicts at the tuned threshold', { timeout: 60_000 }, async () => {
    const { id } = await saveToLibrary(trained, 'goemotions tuned');
    await predictsAtTunedThreshold({ kind: 'library', id });
  });
});
