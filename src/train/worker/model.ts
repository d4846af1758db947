// Model messages: fetch a checkpoint (hub, picked files/zip, or the library), check it fully,
// and describe it to the page.
import { countParameters, loadBertFromWeights } from '../../model';
import { fileListSource, loadCheckpoint, zipSource, type FileSource } from '../../model/checkpoint';
import { downloadModel, openModelLibrary, savedThreshold } from '../../io';
import { loadClassifier, readConfig, readTokenizer } from '../loadModel';
import type { HeadSpec } from '../heads';
import type { ModelInfo, ModelSource, TaskKind } from '../protocol';
import { loadTaskModel } from '../tasks/taskModel';
import { dropTrained, type LoadedBase, type Post, type WorkerState } from './state';

const HEAD_ACTIVATIONS = ['relu', 'gelu', 'tanh'] as const;

/** The MLP head a studio export describes in config.json (`studio_head`), else HF's linear head. */
function savedHead(v: unknown): HeadSpec {
  const h = v as { kind?: unknown; hidden_size?: unknown; activation?: unknown; dropout?: unknown } | undefined;
  if (h?.kind !== 'mlp' || typeof h.hidden_size !== 'number') return { kind: 'linear' };
  const activation = HEAD_ACTIVATIONS.find((a) => a === h.activation) ?? 'relu';
  return {
    kind: 'mlp',
    hiddenSize: h.hidden_size,
    activation,
    ...(typeof h.dropout === 'number' ? { dropout: h.dropout } : {}),
  };
}

async function openSource(
  source: ModelSource,
  post: Post,
): Promise<{ id: string; files: FileSource; sizeBytes: number }> {
  switch (source.kind) {
    case 'hub': {
      const m = await downloadModel(source.id, {
        hub: source.hub,
        onProgress: (p) => post({ type: 'modelProgress', file: p.file, loaded: p.loaded, total: p.total ?? null }),
      });
      return { id: m.id, files: m, sizeBytes: m.sizeBytes };
    }
    case 'files': {
      const size = source.files.reduce((s, f) => s + f.size, 0);
      const zip = source.files.length === 1 && source.files[0]!.name.toLowerCase().endsWith('.zip');
      if (zip) {
        const f = source.files[0]!;
        return {
          id: f.name.replace(/\.zip$/i, ''),
          files: zipSource(new Uint8Array(await f.arrayBuffer())),
          sizeBytes: size,
        };
      }
      const top = (source.files[0]?.webkitRelativePath ?? '').split('/')[0] || 'local model';
      return { id: top, files: fileListSource(source.files), sizeBytes: size };
    }
    case 'library': {
      const m = await openModelLibrary().load(source.id);
      return { id: m.record.name, files: m, sizeBytes: m.record.sizeBytes };
    }
  }
}

const TASK_BY_ARCH: Record<string, TaskKind> = {
  BertForSequenceClassification: 'seq-cls',
  BertForTokenClassification: 'token-cls',
  BertForQuestionAnswering: 'qa',
};

export async function loadModel(state: WorkerState, source: ModelSource, post: Post): Promise<ModelInfo> {
  const opened = await openSource(source, post);
  const config = await readConfig(opened.files);
  const tokenizer = await readTokenizer(opened.files);
  if (tokenizer.vocabSize > config.vocab_size) {
    throw new Error(`vocab.txt has ${tokenizer.vocabSize} tokens but config.json says vocab_size ${config.vocab_size}`);
  }
  const { weights, format } = await loadCheckpoint(opened.files);
  // Build the encoder once to check every name and shape now, not when training starts.
  const { model, report } = loadBertFromWeights(config, weights, { head: 'base' });
  model.dispose();
  const arch = config.architectures ?? [];
  const task = arch.map((a) => TASK_BY_ARCH[a]).find((t) => t !== undefined) ?? null;
  const labels = config.id2label
    ? Object.keys(config.id2label)
        .sort((a, b) => Number(a) - Number(b))
        .map((k) => config.id2label![k]!)
    : null;
  const info: ModelInfo = {
    id: opened.id,
    architectures: arch,
    layers: config.num_hidden_layers,
    hiddenSize: config.hidden_size,
    heads: config.num_attention_heads,
    vocabSize: config.vocab_size,
    maxPositions: config.max_position_embeddings,
    parameters: countParameters(config),
    sizeBytes: opened.sizeBytes,
    format,
    task,
    labels: task ? labels : null,
    newlyInitialised: report.initialised,
  };
  const base: LoadedBase = { source: opened.files, info, config, tokenizer };
  state.base = base;
  // Vectors from another model's encoder cannot be searched with this one's.
  state.embedded = null;
  // A fine-tuned model from the library or from picked files (an exported zip) predicts right away.
  const adopt = source.kind !== 'hub';
  if (adopt && task === 'seq-cls' && labels) await adoptFineTuned(state, base, labels);
  if (adopt && (task === 'token-cls' || task === 'qa')) await adoptTaskModel(state, base, task);
  return info;
}

/** A token-cls or qa model from the library predicts right away (Try) and exports again. */
async function adoptTaskModel(state: WorkerState, base: LoadedBase, kind: 'token-cls' | 'qa') {
  const loaded = await loadTaskModel(base.source, { head: kind, seed: 0 });
  dropTrained(state);
  state.trainedTask = {
    kind,
    model: loaded.model,
    tokenizer: base.tokenizer,
    labels: loaded.labels,
    settings: null,
    maxLength: Math.min(kind === 'qa' ? 384 : 128, base.config.max_position_embeddings),
    baseId: base.info.id,
    report: null,
    datasetName: '',
    trainRows: 0,
  };
}

/** A fine-tuned classifier from the library is ready to predict and export right away. */
async function adoptFineTuned(state: WorkerState, base: LoadedBase, labels: string[]) {
  const multiLabel = base.config.problem_type === 'multi_label_classification';
  const head = savedHead(base.config.extra['studio_head']);
  const { model } = await loadClassifier(base.source, { labels, head, multiLabel, seed: 0 });
  // Multi-label: the threshold tuned when it was trained (config.json), not 0.5.
  const threshold = multiLabel ? savedThreshold(base.config) : undefined;
  dropTrained(state);
  state.trained = {
    model,
    tokenizer: base.tokenizer,
    labels,
    settings: null,
    baseId: base.info.id,
    report: null,
    datasetName: '',
    trainRows: 0,
    ...(threshold !== undefined ? { threshold } : {}),
  };
}
