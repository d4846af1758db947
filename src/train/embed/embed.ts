// Sentence embeddings for a whole text column: tokenise once, sort by length (little padding),
// run the encoder in batches and pool as sentence-transformers does (model/heads/sentenceEmbedding:
// models/Pooling.py mean or CLS, optional Normalize). Any BERT checkpoint works: only the encoder
// is used, so pretrained, MLM or fine-tuned classifier folders all give embeddings.
import * as tf from '@tensorflow/tfjs';
import { loadBertFromWeights, sentenceEmbedding, type BertConfig, type BertModel, type LoadReport } from '../../model';
import { loadCheckpoint, type FileSource } from '../../model/checkpoint';
import type { BertTokenizer, TextInput } from '../../tokenizer';
import { readConfig, readTokenizer } from '../loadModel';

export type { Pooling } from '../../model';

export interface EmbedOptions {
  /** 'mean' over real tokens (default) or the [CLS] vector. */
  pooling?: 'mean' | 'cls';
  /** L2-normalise each vector (default false). */
  normalize?: boolean;
  /** Token limit incl. [CLS]/[SEP]; default min(tokenizer model_max_length, max_position_embeddings). */
  maxLength?: number;
  /** Rows per forward pass (default 32). */
  batchSize?: number;
  /** Called between batches so a worker can handle messages. */
  yieldFn?: () => Promise<void>;
  onProgress?: (done: number, total: number) => void;
}

export interface LoadedEmbedder {
  model: BertModel;
  tokenizer: BertTokenizer;
  config: BertConfig;
  report: LoadReport;
}

/** The encoder of any BERT folder (head 'embed': classifier / MLM tensors are ignored). */
export async function loadEmbedder(source: FileSource): Promise<LoadedEmbedder> {
  const config = await readConfig(source);
  const tokenizer = await readTokenizer(source);
  const { weights } = await loadCheckpoint(source);
  const { model, report } = loadBertFromWeights(config, weights, { head: 'embed' });
  return { model, tokenizer, config, report };
}

function defaultMaxLength(model: BertModel, tokenizer: BertTokenizer): number {
  return Math.min(tokenizer.modelMaxLength ?? Infinity, model.config.max_position_embeddings);
}

/** Embeddings [N * H] (row-major, in the order of `texts`). */
export async function embedTexts(
  model: BertModel,
  tokenizer: BertTokenizer,
  texts: ReadonlyArray<TextInput>,
  opts: EmbedOptions = {},
): Promise<Float32Array> {
  const h = model.config.hidden_size;
  const maxLength = opts.maxLength ?? defaultMaxLength(model, tokenizer);
  const batchSize = opts.batchSize ?? 32;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`batch size must be >= 1, got ${batchSize}`);
  const encoded = texts.map((t) =>
    typeof t === 'string'
      ? tokenizer.encode(t, null, { maxLength, truncation: true })
      : tokenizer.encode(t[0], t[1], { maxLength, truncation: true }),
  );
  const order = encoded
    .map((_, i) => i)
    .sort((a, b) => encoded[a]!.inputIds.length - encoded[b]!.inputIds.length || a - b);
  const out = new Float32Array(texts.length * h);
  const embedOpts = { pooling: opts.pooling ?? 'mean', normalize: opts.normalize ?? false };
  for (let s = 0; s < order.length; s += batchSize) {
    const rows = order.slice(s, s + batchSize);
    const t = Math.max(...rows.map((r) => encoded[r]!.inputIds.length));
    const ids = new Int32Array(rows.length * t).fill(tokenizer.padId);
    const types = new Int32Array(rows.length * t);
    const mask = new Int32Array(rows.length * t);
    rows.forEach((r, i) => {
      const e = encoded[r]!;
      ids.set(e.inputIds, i * t);
      types.set(e.tokenTypeIds, i * t);
      mask.fill(1, i * t, i * t + e.inputIds.length);
    });
    const emb = tf.tidy(() => {
      const attentionMask = tf.tensor2d(mask, [rows.length, t], 'int32');
      const inputs = {
        inputIds: tf.tensor2d(ids, [rows.length, t], 'int32'),
        tokenTypeIds: tf.tensor2d(types, [rows.length, t], 'int32'),
        attentionMask,
      };
      return sentenceEmbedding(model.forward(inputs).lastHiddenState, attentionMask, embedOpts); // [B, H]
    });
    const data = (await emb.data()) as Float32Array;
    emb.dispose();
    rows.forEach((r, i) => out.set(data.subarray(i * h, (i + 1) * h), r * h));
    opts.onProgress?.(Math.min(s + batchSize, order.length), order.length);
    if (opts.yieldFn) await opts.yieldFn();
  }
  return out;
}
