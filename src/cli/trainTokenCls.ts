// `train --task token-cls --model DIR --train FILE [--valid FILE | --valid-fraction 0.1] --out DIR
//  [--tokens-column tokens --tags-column ner_tags] [--format conll|table] [--max-length 128]
//  [--best-metric f1|precision|recall|accuracy|loss] + the common training flags (taskIo.ts)`
// `eval --task token-cls --model DIR --data FILE [--tokens-column C --tags-column C] [--max-length T]
//  [--batch-size B]`
// NER as HF run_ner.py: CoNLL files (token ... tag per line) or tables with token and tag lists;
// one JSON line per epoch with seqeval metrics; the best model written as BertForTokenClassification.
import path from 'node:path';
import { parseConll, stratifiedSplit, tagList, taggedSentencesFromTable, type TaggedSentence } from '../data';
import { nodeFolderSource } from '../model/checkpoint/nodeSource';
import { labelsFromConfig, loadTaskModel } from '../train/tasks/taskModel';
import {
  evaluateTokenCls,
  TOKEN_CLS_METRICS,
  tokenClsDataset,
  tokenClsExamples,
  type TokenClsMetrics,
} from '../train/tasks/tokenCls';
import { readConfig } from '../train/loadModel';
import { parseArgs, requireFlag, type ParsedArgs } from './args';
import { intFlag, oneOf, readTextFile, stringFlag, taskTrainOptions, trainTaskCli } from './taskIo';
import { readTableFile, requireModelDir, useWasmBackend } from './trainIo';

const TABLE_EXTENSIONS = ['.csv', '.tsv', '.json', '.jsonl', '.txt'];

/** CoNLL unless --format table, a tokens column is named, or the extension says table (.tsv/.txt only with --tokens-column). */
async function readSentences(p: ParsedArgs, file: string): Promise<TaggedSentence[]> {
  const ext = path.extname(file).toLowerCase();
  const byName = p.flags.has('tokens-column')
    ? TABLE_EXTENSIONS.includes(ext)
    : ['.csv', '.json', '.jsonl'].includes(ext);
  const format = oneOf(p, 'format', ['conll', 'table'], byName ? 'table' : 'conll');
  if (format === 'conll') return parseConll(await readTextFile(file));
  return taggedSentencesFromTable(
    await readTableFile(file),
    stringFlag(p, 'tokens-column', 'tokens'),
    stringFlag(p, 'tags-column', 'ner_tags'),
  );
}

/** The metrics as one JSON object: micro averages at the top, per entity type below (HF seqeval names). */
export function tokenClsMetricsJson(m: TokenClsMetrics): Record<string, unknown> {
  return {
    loss: m.loss,
    precision: m.micro.precision,
    recall: m.micro.recall,
    f1: m.micro.f1,
    accuracy: m.accuracy,
    entities: Object.fromEntries(
      Object.entries(m.perType).map(([t, s]) => [
        t,
        { precision: s.precision, recall: s.recall, f1: s.f1, number: s.support },
      ]),
    ),
    macro_f1: m.macro.f1,
    weighted_f1: m.weighted.f1,
    predicted_entities: m.predicted,
    sentences: m.sentences,
  };
}

export async function trainTokenClsCommand(args: string[]): Promise<number> {
  const p = parseArgs(args);
  const modelDir = requireFlag(p, 'model');
  const out = requireFlag(p, 'out');
  const maxLength = intFlag(p, 'max-length', 128, 3);
  const options = taskTrainOptions(p, TOKEN_CLS_METRICS);
  await requireModelDir(modelDir);
  let train = await readSentences(p, requireFlag(p, 'train'));
  let valid: TaggedSentence[] = [];
  if (p.flags.has('valid')) valid = await readSentences(p, requireFlag(p, 'valid'));
  else {
    const fraction = Number(stringFlag(p, 'valid-fraction', '0.1'));
    if (fraction > 0) {
      const split = stratifiedSplit(
        train.map(() => ''),
        { validation: fraction, seed: options.seed },
      );
      valid = split.validation.map((i) => train[i]!);
      train = split.train.map((i) => train[i]!);
    }
  }
  const labels = tagList([...train, ...valid]);
  await useWasmBackend();
  const source = nodeFolderSource(modelDir);
  const { model, tokenizer } = await loadTaskModel(source, { head: 'token-cls', labels, seed: options.seed });
  return trainTaskCli(
    model,
    () => {
      const data = tokenClsDataset(
        tokenClsExamples(train, tokenizer, labels, maxLength),
        tokenClsExamples(valid, tokenizer, labels, maxLength),
        labels,
        { padId: tokenizer.padId, evalBatchSize: 64 },
      );
      process.stderr.write(`${train.length} training / ${valid.length} validation sentences, ${labels.length} tags\n`);
      return data;
    },
    options,
    tokenClsMetricsJson,
    { dir: out, labels, sourceDir: modelDir },
  );
}

export async function evalTokenClsCommand(args: string[]): Promise<number> {
  const p = parseArgs(args);
  const modelDir = requireFlag(p, 'model');
  await requireModelDir(modelDir);
  const source = nodeFolderSource(modelDir);
  const labels = labelsFromConfig(await readConfig(source));
  if (!labels) throw new Error(`${modelDir}/config.json has no id2label: not a trained token classifier`);
  const sentences = await readSentences(p, requireFlag(p, 'data'));
  await useWasmBackend();
  const { model, tokenizer, report } = await loadTaskModel(source, { head: 'token-cls', labels, seed: 0 });
  try {
    if (report.initialised.length + report.mismatched.length > 0)
      process.stderr.write(
        `warning: ${[...report.initialised, ...report.mismatched].join(', ')} not in the checkpoint: randomly initialised\n`,
      );
    const examples = tokenClsExamples(sentences, tokenizer, labels, intFlag(p, 'max-length', 128, 3));
    const m = await evaluateTokenCls(model, examples, labels, {
      batchSize: intFlag(p, 'batch-size', 64, 1),
      padId: tokenizer.padId,
    });
    process.stdout.write(JSON.stringify(tokenClsMetricsJson(m)) + '\n');
    return 0;
  } finally {
    model.dispose();
  }
}
