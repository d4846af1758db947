// `train --task qa --model DIR --train FILE [--valid FILE | --valid-fraction 0.1] --out DIR
//  [--context-column context --question-column question --answer-column answer_text
//   --answer-start-column answer_start --id-column id --answers-column all_answers_json]
//  [--max-length 384] [--doc-stride 128] [--max-answer-length 30] [--n-best 20]
//  [--best-metric f1|exact_match|loss] + the common training flags (taskIo.ts)`
// `eval --task qa --model DIR --data FILE [same column / window flags] [--batch-size B] [--predictions OUT.json]`
// Extractive QA as HF run_qa.py on SQuAD v1.1 JSON or a flat table (the shared SQuAD CSV's column
// names are the defaults; optional columns are used when present). The validation split keeps all
// questions of one context on the same side. Writes BertForQuestionAnswering.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { squadFromJson, squadFromTable, SQUAD_CSV_COLUMNS, type QaColumns, type QaExample } from '../data';
import { nodeFolderSource } from '../model/checkpoint/nodeSource';
import { evaluateQa, QA_METRICS, qaDataset, type QaMetrics } from '../train/tasks/qa';
import { qaFeatures, type QaFeatureOptions } from '../train/tasks/qaFeatures';
import { groupSplit } from '../train/tasks/groupSplit';
import { loadTaskModel } from '../train/tasks/taskModel';
import { numberFlag, parseArgs, requireFlag, type ParsedArgs } from './args';
import { intFlag, readTextFile, stringFlag, taskTrainOptions, trainTaskCli } from './taskIo';
import { readTableFile, requireModelDir, useWasmBackend } from './trainIo';

async function readQa(p: ParsedArgs, file: string): Promise<QaExample[]> {
  if (path.extname(file).toLowerCase() === '.json') {
    const text = await readTextFile(file);
    if (text.trimStart().startsWith('{')) return squadFromJson(text);
  }
  const table = await readTableFile(file);
  const optional = (flag: string, fallback: string | undefined): string | undefined => {
    if (p.flags.has(flag)) return stringFlag(p, flag, '');
    return fallback !== undefined && table.columns.includes(fallback) ? fallback : undefined;
  };
  const cols: QaColumns = {
    contextColumn: stringFlag(p, 'context-column', SQUAD_CSV_COLUMNS.contextColumn),
    questionColumn: stringFlag(p, 'question-column', SQUAD_CSV_COLUMNS.questionColumn),
    answerColumn: stringFlag(p, 'answer-column', SQUAD_CSV_COLUMNS.answerColumn),
  };
  const start = optional('answer-start-column', SQUAD_CSV_COLUMNS.answerStartColumn);
  const id = optional('id-column', SQUAD_CSV_COLUMNS.idColumn);
  const all = optional('answers-column', SQUAD_CSV_COLUMNS.allAnswersColumn);
  return squadFromTable(table, {
    ...cols,
    ...(start !== undefined ? { answerStartColumn: start } : {}),
    ...(id !== undefined ? { idColumn: id } : {}),
    ...(all !== undefined ? { allAnswersColumn: all } : {}),
  });
}

function windowOptions(p: ParsedArgs): QaFeatureOptions {
  return { maxLength: intFlag(p, 'max-length', 384, 8), docStride: intFlag(p, 'doc-stride', 128, 0) };
}

function postOptions(p: ParsedArgs): { nBest: number; maxAnswerLength: number } {
  return { nBest: intFlag(p, 'n-best', 20, 1), maxAnswerLength: intFlag(p, 'max-answer-length', 30, 1) };
}

export function qaMetricsJson(m: QaMetrics): Record<string, unknown> {
  return { exact_match: m.exact_match, f1: m.f1, loss: m.loss, questions: m.total, windows: m.windows };
}

export async function trainQaCommand(args: string[]): Promise<number> {
  const p = parseArgs(args);
  const modelDir = requireFlag(p, 'model');
  const out = requireFlag(p, 'out');
  const options = taskTrainOptions(p, QA_METRICS);
  const win = windowOptions(p);
  await requireModelDir(modelDir);
  let train = await readQa(p, requireFlag(p, 'train'));
  let valid: QaExample[] = [];
  if (p.flags.has('valid')) valid = await readQa(p, requireFlag(p, 'valid'));
  else {
    const fraction = numberFlag(p, 'valid-fraction', 0.1);
    if (fraction > 0) {
      const split = groupSplit(
        train.map((e) => e.context),
        fraction,
        options.seed,
      );
      valid = split.validation.map((i) => train[i]!);
      train = split.train.map((i) => train[i]!);
    }
  }
  await useWasmBackend();
  const { model, tokenizer } = await loadTaskModel(nodeFolderSource(modelDir), { head: 'qa', seed: options.seed });
  return trainTaskCli(
    model,
    () => {
      const trainFeatures = qaFeatures(train, tokenizer, win);
      const validSet = valid.length > 0 ? { examples: valid, features: qaFeatures(valid, tokenizer, win) } : null;
      process.stderr.write(
        `${train.length} training questions (${trainFeatures.length} windows) / ${valid.length} validation questions\n`,
      );
      return qaDataset(trainFeatures, validSet, { padId: tokenizer.padId, evalBatchSize: 64, ...postOptions(p) });
    },
    options,
    qaMetricsJson,
    { dir: out, labels: [], sourceDir: modelDir },
  );
}

export async function evalQaCommand(args: string[]): Promise<number> {
  const p = parseArgs(args);
  const modelDir = requireFlag(p, 'model');
  await requireModelDir(modelDir);
  const examples = await readQa(p, requireFlag(p, 'data'));
  await useWasmBackend();
  const { model, tokenizer, report } = await loadTaskModel(nodeFolderSource(modelDir), { head: 'qa', seed: 0 });
  try {
    if (report.initialised.length + report.mismatched.length > 0)
      process.stderr.write(
        `warning: ${[...report.initialised, ...report.mismatched].join(', ')} randomly initialised\n`,
      );
    const features = qaFeatures(examples, tokenizer, windowOptions(p));
    const { metrics, predictions } = await evaluateQa(model, examples, features, {
      batchSize: intFlag(p, 'batch-size', 64, 1),
      padId: tokenizer.padId,
      ...postOptions(p),
    });
    if (p.flags.has('predictions')) {
      const file = requireFlag(p, 'predictions');
      await writeFile(file, JSON.stringify(Object.fromEntries(predictions.map((x) => [x.id, x.text])), null, 1) + '\n');
    }
    process.stdout.write(JSON.stringify(qaMetricsJson(metrics)) + '\n');
    return 0;
  } finally {
    model.dispose();
  }
}
