// Builds a SequenceClassifier from a Hugging Face model folder (any FileSource: Node folder,
// browser files, URL, zip), as BertForSequenceClassification.from_pretrained(num_labels=...,
// ignore_mismatched_sizes=True) does: missing pooler/classifier tensors are freshly initialised.
import { loadBertFromWeights, parseBertConfig, type BertConfig, type LoadReport } from '../model';
import { CheckpointError, loadCheckpoint, type FileSource } from '../model/checkpoint';
import { loadBertTokenizer, type BertTokenizer } from '../tokenizer';
import { SequenceClassifier } from './classifier';
import type { HeadSpec } from './heads';

export interface ClassifierOptions {
  labels: string[];
  head: HeadSpec;
  multiLabel: boolean;
  /** Seed for freshly initialised pooler/head weights. */
  seed: number;
}

export interface LoadedClassifier {
  model: SequenceClassifier;
  tokenizer: BertTokenizer;
  config: BertConfig;
  report: LoadReport;
}

export async function readConfig(source: FileSource): Promise<BertConfig> {
  const text = await source.readText('config.json');
  if (text === null) throw new CheckpointError('model folder has no config.json');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`config.json is not valid JSON: ${(e as Error).message}`);
  }
  return parseBertConfig(json);
}

export async function readTokenizer(source: FileSource): Promise<BertTokenizer> {
  const [vocabTxt, tokenizerJson, tokenizerConfigJson, specialTokensMapJson] = await Promise.all(
    ['vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'].map((n) => source.readText(n)),
  );
  if (vocabTxt === null && tokenizerJson === null)
    throw new CheckpointError('model folder has neither vocab.txt nor tokenizer.json');
  return loadBertTokenizer({
    ...(vocabTxt !== null ? { vocabTxt } : {}),
    ...(tokenizerJson !== null ? { tokenizerJson } : {}),
    ...(tokenizerConfigJson !== null ? { tokenizerConfigJson } : {}),
    ...(specialTokensMapJson !== null ? { specialTokensMapJson } : {}),
  });
}

export async function loadClassifier(source: FileSource, o: ClassifierOptions): Promise<LoadedClassifier> {
  const config = await readConfig(source);
  const tokenizer = await readTokenizer(source);
  const { weights } = await loadCheckpoint(source);
  const { model: bert, report } = loadBertFromWeights(config, weights, {
    head: 'seq-cls',
    numLabels: o.labels.length,
    seed: o.seed,
    ignoreMismatchedHead: true,
  });
  const model = new SequenceClassifier(bert, o.head, o.labels, o.multiLabel, o.seed + 1);
  if (o.head.kind === 'mlp' && weights.has('classifier.dense.weight')) model.loadHeadWeights(weights);
  return { model, tokenizer, config, report };
}
