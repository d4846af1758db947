// The embed task: mean-pooled sentence embeddings of one column with the loaded model's encoder,
// a PCA map of them, cosine neighbours of a typed query, and the vectors as CSV or .npy.
import { yieldToEventLoop } from '../../lib/yieldTask';
import { embedTexts, loadEmbedder, pca2d, toCsv, toNpy, topKSimilar } from '../embed';
import type { FromWorker, SimilarRow, ToWorker } from '../protocol';
import type { Embedded, Post, WorkerState } from './state';

const DEFAULT_MAX_LENGTH = 128;
/** Characters of each row's text sent with the map (tooltips), not the whole text. */
const TEXT_PREVIEW = 200;
export const SIMILAR_K = 10;
const PROGRESS_MS = 150;

/** The loaded model's encoder, built once per loaded model. */
async function encoder(state: WorkerState) {
  const base = state.base;
  if (!base) throw new Error('load a model before computing embeddings');
  if (state.embedder?.base !== base) {
    state.embedder?.model.dispose();
    state.embedder = null;
    const { model } = await loadEmbedder(base.source);
    state.embedder = { base, model };
  }
  return { model: state.embedder.model, tokenizer: base.tokenizer };
}

export async function embedDataset(
  state: WorkerState,
  msg: Extract<ToWorker, { type: 'embedDataset' }>,
  post: Post,
): Promise<Extract<FromWorker, { type: 'embedded' }>> {
  const table = state.table;
  if (!table) throw new Error('load a dataset before computing embeddings');
  const col = (name: string) => {
    const i = table.columns.indexOf(name);
    if (i < 0) throw new Error(`the file has no column "${name}"`);
    return i;
  };
  const ti = col(msg.textColumn);
  const li = msg.labelColumn ? col(msg.labelColumn) : -1;
  if (table.rows.length < 2) throw new Error('embedding needs at least two rows');
  const { model, tokenizer } = await encoder(state);
  const texts = table.rows.map((r) => r[ti] ?? '');
  const maxLength = Math.min(msg.maxLength ?? DEFAULT_MAX_LENGTH, model.config.max_position_embeddings);
  let lastPost = 0;
  const vectors = await embedTexts(model, tokenizer, texts, {
    maxLength,
    yieldFn: yieldToEventLoop,
    onProgress: (done, total) => {
      const now = Date.now();
      if (now - lastPost < PROGRESS_MS && done < total) return;
      lastPost = now;
      post({ type: 'embedProgress', done, total });
    },
  });
  const n = texts.length;
  const dim = model.config.hidden_size;
  const labels = li >= 0 ? table.rows.map((r) => r[li] ?? '') : null;
  state.embedded = { vectors, n, dim, texts, labels, maxLength };
  const xy = pca2d(vectors, n, dim);
  return {
    type: 'embedded',
    points: Array.from({ length: n }, (_, i): [number, number] => [xy[2 * i]!, xy[2 * i + 1]!]),
    labels,
    texts: texts.map((t) => (t.length > TEXT_PREVIEW ? `${t.slice(0, TEXT_PREVIEW)}…` : t)),
    dim,
  };
}

function requireEmbedded(state: WorkerState): Embedded {
  if (!state.embedded) throw new Error('compute the embeddings of the dataset first');
  return state.embedded;
}

/** The SIMILAR_K rows whose embeddings are most cosine-similar to the query's. */
export async function similarRows(state: WorkerState, text: string): Promise<SimilarRow[]> {
  const e = requireEmbedded(state);
  const { model, tokenizer } = await encoder(state);
  const query = await embedTexts(model, tokenizer, [text], { maxLength: e.maxLength });
  return topKSimilar(e.vectors, e.n, e.dim, query, SIMILAR_K).map((nb) => ({
    row: nb.index + 1,
    text: e.texts[nb.index]!,
    label: e.labels?.[nb.index] ?? null,
    score: nb.score,
  }));
}

/** The vectors as `id,dim_0,...` CSV (id = 1-based data row) or a float32 .npy [n, dim]. */
export function exportEmbeddings(state: WorkerState, format: 'csv' | 'npy'): { fileName: string; bytes: Uint8Array } {
  const e = requireEmbedded(state);
  const stem = (state.fileName.replace(/\.[^.]*$/, '') || 'dataset').replace(/[^A-Za-z0-9_.-]+/g, '-');
  if (format === 'npy') return { fileName: `${stem}-embeddings.npy`, bytes: toNpy(e.vectors, e.n, e.dim) };
  const ids = Array.from({ length: e.n }, (_, i) => String(i + 1));
  return {
    fileName: `${stem}-embeddings.csv`,
    bytes: new TextEncoder().encode(toCsv(e.vectors, e.n, e.dim, ids)),
  };
}
