// `train --model DIR --train FILE [--valid FILE | --valid-fraction 0.1] --task seq-cls
//  --text-column C [--text-pair-column C2] --label-column L [--multi-label] --epochs E --lr LR
//  --batch-size B --max-length T --freeze none|embeddings|lower:N|encoder [--head linear|mlp]
//  [--mlp-hidden N] [--mlp-activation relu|gelu|tanh] [--class-weights balanced|w1,w2,..]
//  [--warmup-ratio R] [--weight-decay W] [--schedule linear|cosine|constant] [--grad-accum K]
//  [--max-grad-norm N] [--patience P] [--best-metric M] [--seed S] --out DIR`
// The same engine as the browser worker (src/train/loop.ts) on the wasm backend. Prints one JSON
// line per epoch on stdout, progress on stderr, and writes the best model to --out in Hugging
// Face layout. Ctrl-C stops between batches and still writes the best weights.
import { stratifiedSplit } from '../data';
import { nodeFolderSource } from '../model/checkpoint/nodeSource';
import type { ClassWeightSpec } from '../train/classWeights';
import type { Example } from '../train/batches';
import { tableExamples } from '../train/dataset';
import { parseFreeze } from '../train/freeze';
import type { HeadActivation, HeadSpec } from '../train/heads';
import { loadClassifier, readTokenizer } from '../train/loadModel';
import { train, TrainControl, type BestMetric, type TrainEvent } from '../train/loop';
import { metricsToJson } from '../train/report';
import { SCHEDULE_KINDS, type ScheduleKind } from '../train/schedule';
import { numberFlag, parseArgs, requireFlag, type ParsedArgs } from './args';
import { taskOf } from './taskIo';
import { oneLine, readTableFile, requireModelDir, useWasmBackend, writeModelFolder } from './trainIo';

function stringFlag(p: ParsedArgs, name: string, fallback: string): string {
  const v = p.flags.get(name);
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new Error(`--${name} needs a value`);
  return v;
}

function intFlag(p: ParsedArgs, name: string, fallback: number, min: number): number {
  const v = numberFlag(p, name, fallback);
  if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

function oneOf<T extends string>(p: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const v = stringFlag(p, name, fallback);
  if (!(allowed as readonly string[]).includes(v))
    throw new Error(`--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

function headSpec(p: ParsedArgs): HeadSpec {
  if (oneOf(p, 'head', ['linear', 'mlp'], 'linear') === 'linear') return { kind: 'linear' };
  const activation = oneOf<HeadActivation>(p, 'mlp-activation', ['relu', 'gelu', 'tanh'], 'gelu');
  const dropout = p.flags.has('mlp-dropout') ? numberFlag(p, 'mlp-dropout', 0.1) : undefined;
  return {
    kind: 'mlp',
    hiddenSize: intFlag(p, 'mlp-hidden', 256, 1),
    activation,
    ...(dropout !== undefined ? { dropout } : {}),
  };
}

function classWeights(p: ParsedArgs): ClassWeightSpec {
  const v = stringFlag(p, 'class-weights', 'none');
  if (v === 'none' || v === 'balanced') return v;
  const w = v.split(',').map(Number);
  if (w.some((x) => !Number.isFinite(x)))
    throw new Error(`--class-weights must be none, balanced or comma-separated numbers, got ${JSON.stringify(v)}`);
  return w;
}

const METRICS = ['loss', 'accuracy', 'macro_f1', 'weighted_f1', 'micro_f1'];

/** loss | accuracy | macro_f1 | weighted_f1 | micro_f1 | f1:<label name or id>. */
function parseBestMetric(v: string, labels: string[]): BestMetric {
  if (METRICS.includes(v)) return v as BestMetric;
  if (v.startsWith('f1:')) {
    const name = v.slice(3);
    const id = labels.includes(name) ? labels.indexOf(name) : /^\d+$/.test(name) ? Number(name) : -1;
    if (id >= 0 && id < labels.length) return `f1:${id}`;
  }
  throw new Error(
    `--best-metric must be one of ${METRICS.join(', ')} or f1:<label> (labels: ${labels.join(', ')}), got ${JSON.stringify(v)}`,
  );
}

function progress(e: TrainEvent): void {
  if (e.type === 'step') {
    process.stderr.write(
      `step ${e.step}/${e.totalSteps} epoch ${e.epoch.toFixed(2)} loss ${e.loss.toFixed(4)} lr ${e.lr.toExponential(2)} ` +
        `grad_norm ${e.gradNorm.toFixed(3)} ${e.samplesPerSec.toFixed(1)} samples/s eta ${Math.round(e.etaSec)}s\n`,
    );
  } else if (e.type === 'phase') process.stderr.write(`caching encoder features ${e.done}/${e.total}\n`);
}

async function run(args: string[]): Promise<number> {
  const p = parseArgs(args);
  const modelDir = requireFlag(p, 'model');
  const out = requireFlag(p, 'out');
  const task = stringFlag(p, 'task', 'seq-cls');
  if (task !== 'seq-cls') throw new Error(`--task ${task} is not supported (seq-cls, token-cls, qa)`);
  const maxLength = intFlag(p, 'max-length', 128, 3);
  const seed = intFlag(p, 'seed', 42, 0);
  const multiLabel = p.flags.get('multi-label') === true;
  const cols = {
    textColumn: requireFlag(p, 'text-column'),
    labelColumn: requireFlag(p, 'label-column'),
    multiLabel,
    ...(p.flags.has('text-pair-column') ? { textPairColumn: requireFlag(p, 'text-pair-column') } : {}),
  };
  const options = {
    epochs: intFlag(p, 'epochs', 3, 1),
    lr: numberFlag(p, 'lr', 5e-5),
    batchSize: intFlag(p, 'batch-size', 32, 1),
    freeze: parseFreeze(stringFlag(p, 'freeze', 'none')),
    classWeights: classWeights(p),
    warmupRatio: numberFlag(p, 'warmup-ratio', 0),
    weightDecay: numberFlag(p, 'weight-decay', 0.01),
    schedule: oneOf<ScheduleKind>(p, 'schedule', SCHEDULE_KINDS, 'linear'),
    gradAccumSteps: intFlag(p, 'grad-accum', 1, 1),
    maxGradNorm: numberFlag(p, 'max-grad-norm', 1),
    patience: intFlag(p, 'patience', 0, 0),
    reportIntervalMs: 2000,
    seed,
  };
  const head = headSpec(p);

  await requireModelDir(modelDir);
  await useWasmBackend();
  const source = nodeFolderSource(modelDir);
  const tokenizer = await readTokenizer(source);
  const trainSet = tableExamples(await readTableFile(requireFlag(p, 'train')), cols, tokenizer, maxLength);
  let trainRows = trainSet.examples;
  let validRows: Example[] = [];
  if (p.flags.has('valid')) {
    validRows = tableExamples(
      await readTableFile(requireFlag(p, 'valid')),
      cols,
      tokenizer,
      maxLength,
      trainSet.labels,
    ).examples;
  } else {
    const fraction = numberFlag(p, 'valid-fraction', 0.1);
    if (fraction > 0) {
      const keys = trainRows.map((e) => JSON.stringify(e.label));
      const split = stratifiedSplit(keys, { validation: fraction, seed });
      validRows = split.validation.map((i) => trainRows[i]!);
      trainRows = split.train.map((i) => trainRows[i]!);
    }
  }
  if (trainSet.skipped.length > 0)
    process.stderr.write(`skipped ${trainSet.skipped.length} training rows without a label\n`);
  const bestMetric = parseBestMetric(stringFlag(p, 'best-metric', 'macro_f1'), trainSet.labels);
  const { model } = await loadClassifier(source, { labels: trainSet.labels, head, multiLabel, seed });
  const control = new TrainControl();
  const onSigint = (): void => control.stop();
  process.once('SIGINT', onSigint);
  try {
    const result = await train(
      model,
      { train: trainRows, valid: validRows, padId: tokenizer.padId },
      { ...options, bestMetric },
      (e) => {
        progress(e);
        if (e.type === 'epochEnd') {
          process.stdout.write(
            JSON.stringify({
              epoch: e.epoch,
              train_loss: e.trainLoss,
              valid: e.valid ? metricsToJson(e.valid, trainSet.labels) : null,
            }) + '\n',
          );
        }
      },
      control,
    );
    const files = await writeModelFolder(out, model, modelDir);
    const best = result.best
      ? { step: result.best.step, epoch: result.best.epoch, [bestMetric]: result.best.value }
      : null;
    process.stderr.write(`${result.reason}: wrote ${files.join(', ')} to ${out} (best ${JSON.stringify(best)})\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    model.dispose();
  }
}

export async function trainCommand(args: string[]): Promise<number> {
  try {
    const task = taskOf(args); // token-cls and qa have their own commands (trainTokenCls.ts, trainQa.ts)
    if (task === 'token-cls') return await (await import('./trainTokenCls')).trainTokenClsCommand(args);
    if (task === 'qa') return await (await import('./trainQa')).trainQaCommand(args);
    return await run(args);
  } catch (err) {
    process.stderr.write(`error: ${oneLine(err)}\n`);
    return 2;
  }
}
