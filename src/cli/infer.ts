// `infer --model DIR --head base|seq-cls|token-cls|qa|mlm|embed [--max-length N] [--batch-size N]
//  [--backend wasm|cpu] [--pooling mean|cls] [--normalize]`
// Reads JSON lines ({"text"} or {"text", "text_pair"}) from stdin and writes one JSON line per
// input with the head's outputs at full float32 precision, for the input's own tokens (no padding).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import * as tf from '@tensorflow/tfjs';
import { parseArgs, numberFlag, requireFlag } from './args';
import { savedThreshold } from '../io';
import { DEFAULT_THRESHOLD, sigmoidProbabilities } from '../train/multiLabel';
import { loadCheckpoint } from '../model/checkpoint';
import { nodeFolderSource } from '../model/checkpoint/nodeSource';
import {
  HEAD_KINDS,
  loadBertFromWeights,
  parseBertConfig,
  type BertModel,
  type HeadKind,
  type HeadOutput,
} from '../model';
import { selectBackend, isBackendName } from '../model/backend';
import { loadBertTokenizer, type BatchEncoding, type BertTokenizer, type TextInput } from '../tokenizer';

interface InputLine {
  text: string;
  text_pair?: string;
}

async function readOptional(dir: string, name: string): Promise<string | undefined> {
  try {
    return await readFile(path.join(dir, name), 'utf8');
  } catch {
    return undefined;
  }
}

function parseLine(line: string, n: number): TextInput {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new Error(`stdin line ${n}: not valid JSON`);
  }
  const o = v as Partial<InputLine> | null;
  if (!o || typeof o.text !== 'string')
    throw new Error(`stdin line ${n}: expected {"text": string, "text_pair"?: string}`);
  if (o.text_pair === undefined || o.text_pair === null) return o.text;
  if (typeof o.text_pair !== 'string') throw new Error(`stdin line ${n}: text_pair must be a string`);
  return [o.text, o.text_pair];
}

/** [B, T, ...] data -> row r's first `len` tokens as nested arrays. */
function rows(data: Float32Array, r: number, t: number, len: number, width: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < len; i++) {
    const start = (r * t + i) * width;
    out.push(Array.from(data.subarray(start, start + width)));
  }
  return out;
}

function formatBatch(o: HeadOutput, enc: BatchEncoding, model: BertModel): Array<Record<string, unknown>> {
  const [b, t] = enc.shape;
  const h = model.config.hidden_size;
  const lens = enc.encodings.map((e) => e.attentionMask.reduce((s, m) => s + m, 0));
  const f32 = (x: tf.Tensor): Float32Array => x.dataSync() as Float32Array;
  const result: Array<Record<string, unknown>> = [];
  for (let r = 0; r < b; r++) {
    const len = lens[r]!;
    const tokens = enc.encodings[r]!.tokens.slice(0, len);
    switch (o.kind) {
      case 'base':
        result.push({
          tokens,
          last_hidden_state: rows(f32(o.lastHiddenState), r, t, len, h),
          pooler_output: rows(f32(o.pooledOutput), r, 1, 1, h)[0],
        });
        break;
      case 'seq-cls': {
        const logits = rows(f32(o.logits), r, 1, 1, model.numLabels)[0]!;
        const name = (i: number) => model.config.id2label?.[String(i)] ?? `LABEL_${i}`;
        if (model.config.problem_type === 'multi_label_classification') {
          // Every label above the threshold the studio saved with the model (0.5 without one).
          const threshold = savedThreshold(model.config) ?? DEFAULT_THRESHOLD;
          const probabilities = Array.from(sigmoidProbabilities(logits));
          const labels = probabilities.flatMap((p, i) => (p > threshold ? [name(i)] : []));
          result.push({ logits, probabilities, labels, threshold });
          break;
        }
        const best = logits.indexOf(Math.max(...logits));
        result.push({ logits, label: name(best) });
        break;
      }
      case 'token-cls':
        result.push({ tokens, logits: rows(f32(o.logits), r, t, len, model.numLabels) });
        break;
      case 'qa':
        result.push({
          tokens,
          start_logits: rows(f32(o.startLogits), r, t, len, 1).map((x) => x[0]),
          end_logits: rows(f32(o.endLogits), r, t, len, 1).map((x) => x[0]),
        });
        break;
      case 'mlm':
        result.push({ tokens, logits: rows(f32(o.logits), r, t, len, model.config.vocab_size) });
        break;
      case 'embed':
        result.push({ embedding: rows(f32(o.embedding), r, 1, 1, h)[0] });
        break;
    }
  }
  return result;
}

function runBatch(
  model: BertModel,
  tokenizer: BertTokenizer,
  inputs: TextInput[],
  maxLength: number,
  embedOpts: { pooling: 'mean' | 'cls'; normalize: boolean },
): string {
  const enc = tokenizer.encodeBatch(inputs, { maxLength, truncation: true, padding: 'longest' });
  return tf.tidy(() => {
    const feed = {
      inputIds: tf.tensor2d(enc.inputIds, enc.shape, 'int32'),
      tokenTypeIds: tf.tensor2d(enc.tokenTypeIds, enc.shape, 'int32'),
      attentionMask: tf.tensor2d(enc.attentionMask, enc.shape, 'int32'),
    };
    const o = model.headForward(feed, { embedding: embedOpts });
    return formatBatch(o, enc, model)
      .map((r) => JSON.stringify(r) + '\n')
      .join('');
  });
}

export async function infer(args: string[]): Promise<number> {
  const p = parseArgs(args);
  const dir = requireFlag(p, 'model');
  const head = requireFlag(p, 'head') as HeadKind;
  if (!HEAD_KINDS.includes(head)) throw new Error(`--head must be one of ${HEAD_KINDS.join(', ')}`);
  const backendFlag = p.flags.get('backend');
  const preferred = typeof backendFlag === 'string' ? backendFlag : 'wasm';
  if (!isBackendName(preferred)) throw new Error(`unknown --backend ${preferred}`);
  const choice = await selectBackend({ preferred });
  process.stderr.write(`infer: tfjs backend ${choice.backend}\n`);

  const configText = await readOptional(dir, 'config.json');
  if (configText === undefined) throw new Error(`${dir}/config.json not found`);
  const config = parseBertConfig(JSON.parse(configText));
  const tokenizer = loadBertTokenizer({
    vocabTxt: await readOptional(dir, 'vocab.txt'),
    tokenizerJson: await readOptional(dir, 'tokenizer.json'),
    tokenizerConfigJson: await readOptional(dir, 'tokenizer_config.json'),
    specialTokensMapJson: await readOptional(dir, 'special_tokens_map.json'),
  });
  const { weights, files } = await loadCheckpoint(nodeFolderSource(dir));
  const { model, report } = loadBertFromWeights(config, weights, { head });
  if (report.initialised.length > 0)
    process.stderr.write(
      `infer: warning: newly initialised (not in ${files.join(', ')}): ${report.initialised.join(', ')}\n`,
    );
  const maxLength = numberFlag(
    p,
    'max-length',
    Math.min(tokenizer.modelMaxLength ?? Infinity, config.max_position_embeddings),
  );
  const batchSize = numberFlag(p, 'batch-size', 16);
  const pooling = p.flags.get('pooling') === 'cls' ? 'cls' : 'mean';
  const embedOpts = { pooling, normalize: p.flags.get('normalize') === true } as const;

  let pending: TextInput[] = [];
  let n = 0;
  // Wait for each write: main.ts calls process.exit, which drops output still queued for a pipe.
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const text = runBatch(model, tokenizer, pending, maxLength, embedOpts);
    pending = [];
    await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
  };
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    n++;
    if (line.trim() === '') continue;
    pending.push(parseLine(line, n));
    if (pending.length >= batchSize) await flush();
  }
  await flush();
  model.dispose();
  return 0;
}
