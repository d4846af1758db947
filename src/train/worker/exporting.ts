// Export and the browser library: HF-layout zip (safetensors + model card + tfjs) built from the
// trained classifier; the library stores the same files, verified before the record is written.
import { buildHfExport, openModelLibrary, zipHfExport, type ExportFile } from '../../io';
import type { LibraryEntry } from '../protocol';
import type { TrainedModel, TrainedTaskModel, WorkerState } from './state';

export const STUDIO_VERSION = '0.1.0';

function requireModel(state: WorkerState): TrainedModel {
  if (!state.trained) throw new Error('there is no trained model to save yet');
  return state.trained;
}

function freezingText(t: TrainedModel): string | null {
  const s = t.settings;
  if (!s) return null;
  switch (s.freeze) {
    case 'none':
      return 'none (full fine-tuning)';
    case 'embeddings':
      return 'embeddings frozen';
    case 'lower':
      return `embeddings + lower ${s.frozenLayers} encoder layers frozen`;
    case 'encoder':
      return 'encoder frozen, head trained on cached features';
  }
}

function metrics(t: TrainedModel): Record<string, number> {
  const r = t.report;
  if (!r) return {};
  const out = { accuracy: r.accuracy, macro_f1: r.macro.f1, weighted_f1: r.weighted.f1, loss: r.loss };
  return t.threshold === undefined ? out : { ...out, threshold: t.threshold };
}

/** What exportZip and saveToLibrary need, from the classifier or the token-cls / qa model. */
interface Exportable {
  baseId: string;
  task: string;
  labels: string[];
  metrics: Record<string, number>;
  files: (name: string) => Promise<ExportFile[]>;
}

function exportable(state: WorkerState): Exportable {
  if (state.trainedTask) return taskExportable(state, state.trainedTask);
  const t = requireModel(state);
  return {
    baseId: t.baseId,
    task: t.settings?.task ?? 'seq-cls',
    labels: t.labels,
    metrics: metrics(t),
    files: (name) => files(state, t, name),
  };
}

function taskMetrics(t: TrainedTaskModel): Record<string, number> {
  const r = t.report;
  if (!r) return {};
  const x = r.extra ?? {};
  return t.kind === 'qa'
    ? { exact_match: x.exact_match ?? 0, f1: x.f1 ?? 0, loss: r.loss }
    : {
        f1: x.micro_f1 ?? 0,
        precision: x.micro_precision ?? 0,
        recall: x.micro_recall ?? 0,
        accuracy: r.accuracy,
        loss: r.loss,
      };
}

function taskExportable(state: WorkerState, t: TrainedTaskModel): Exportable {
  const m = taskMetrics(t);
  return {
    baseId: t.baseId,
    task: t.kind,
    labels: t.labels,
    metrics: m,
    files: async (name) =>
      buildHfExport({
        config: t.model.exportConfig(),
        weights: await t.model.exportWeights(),
        vocabText: (await state.base?.source.readText('vocab.txt')) ?? t.tokenizer.vocab.idToToken.join('\n') + '\n',
        task: t.kind,
        labels: t.labels,
        metrics: m,
        hyperparameters: t.settings ? { ...t.settings, dropRows: t.settings.dropRows.length } : {},
        dataset: t.datasetName ? { name: t.datasetName, rows: t.trainRows } : null,
        studioVersion: STUDIO_VERSION,
        baseModel: t.baseId,
        modelName: name,
      }),
  };
}

async function files(state: WorkerState, t: TrainedModel, name: string): Promise<ExportFile[]> {
  const vocabText = (await state.base?.source.readText('vocab.txt')) ?? t.tokenizer.vocab.idToToken.join('\n') + '\n';
  const settings = t.settings;
  return buildHfExport({
    config: t.model.exportConfig(),
    weights: await t.model.exportWeights(),
    vocabText,
    task: 'seq-cls',
    problemType: t.model.multiLabel ? 'multi_label_classification' : 'single_label_classification',
    threshold: t.threshold ?? null,
    labels: t.labels,
    metrics: metrics(t),
    hyperparameters: settings ? { ...settings, dropRows: settings.dropRows.length } : {},
    freezing: freezingText(t),
    dataset: t.datasetName ? { name: t.datasetName, rows: t.trainRows } : null,
    studioVersion: STUDIO_VERSION,
    baseModel: t.baseId,
    modelName: name,
  });
}

export async function exportZip(state: WorkerState): Promise<{ fileName: string; zip: Uint8Array }> {
  const t = exportable(state);
  const name = `${t.baseId.replace(/[^A-Za-z0-9_.-]+/g, '-')}-finetuned`;
  return { fileName: `${name}.zip`, zip: zipHfExport(await t.files(name), name) };
}

export async function saveToLibrary(state: WorkerState, name: string): Promise<{ id: string; name: string }> {
  const t = exportable(state);
  const record = await openModelLibrary().save({
    name,
    baseModel: t.baseId,
    task: t.task,
    labels: t.labels,
    metrics: t.metrics,
    files: (await t.files(name)).filter((f) => !f.name.startsWith('tfjs/')),
  });
  return { id: record.id, name: record.name };
}

export async function listLibrary(): Promise<LibraryEntry[]> {
  const lib = openModelLibrary();
  await lib.sweepOrphans();
  return (await lib.list()).map(({ files: _files, ...r }) => r);
}

export async function deleteFromLibrary(id: string): Promise<void> {
  await openModelLibrary().delete(id);
}

export async function renameInLibrary(id: string, name: string): Promise<void> {
  await openModelLibrary().rename(id, name);
}
