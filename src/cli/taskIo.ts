// Shared by the token-cls and qa commands: the training flags every task takes, progress on
// stderr, and writing a trained BertModel as a Hugging Face model folder.
import { readFile } from 'node:fs/promises';
import type { BertModel } from '../model';
import { parseFreeze } from '../train/freeze';
import { SCHEDULE_KINDS, type ScheduleKind } from '../train/schedule';
import { taskModelConfig } from '../train/tasks/taskModel';
import { TrainControl } from '../train/loop';
import {
  trainTask,
  type TaskDataset,
  type TaskTrainEvent,
  type TaskTrainOptions,
  type TaskTrainResult,
} from '../train/tasks/taskLoop';
import { numberFlag, type ParsedArgs } from './args';
import { writeHfFolder } from './trainIo';

export function stringFlag(p: ParsedArgs, name: string, fallback: string): string {
  const v = p.flags.get(name);
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new Error(`--${name} needs a value`);
  return v;
}

export function intFlag(p: ParsedArgs, name: string, fallback: number, min: number): number {
  const v = numberFlag(p, name, fallback);
  if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

export function oneOf<T extends string>(p: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const v = stringFlag(p, name, fallback);
  if (!(allowed as readonly string[]).includes(v))
    throw new Error(`--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** --epochs --lr --batch-size --freeze --warmup-ratio --weight-decay --schedule --grad-accum --max-grad-norm --patience --best-metric --seed. */
export function taskTrainOptions(p: ParsedArgs, metrics: readonly string[]): TaskTrainOptions {
  return {
    epochs: intFlag(p, 'epochs', 3, 1),
    lr: numberFlag(p, 'lr', 5e-5),
    batchSize: intFlag(p, 'batch-size', 16, 1),
    freeze: parseFreeze(stringFlag(p, 'freeze', 'none')),
    warmupRatio: numberFlag(p, 'warmup-ratio', 0),
    warmupSteps: 0,
    weightDecay: numberFlag(p, 'weight-decay', 0.01),
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    schedule: oneOf<ScheduleKind>(p, 'schedule', SCHEDULE_KINDS, 'linear'),
    gradAccumSteps: intFlag(p, 'grad-accum', 1, 1),
    maxGradNorm: numberFlag(p, 'max-grad-norm', 1),
    patience: intFlag(p, 'patience', 0, 0),
    bestMetric: oneOf(p, 'best-metric', metrics, metrics[0]!),
    seed: intFlag(p, 'seed', 42, 0),
    reportIntervalMs: 2000,
  };
}

export function printProgress<M>(e: TaskTrainEvent<M>): void {
  if (e.type === 'step')
    process.stderr.write(
      `step ${e.step}/${e.totalSteps} epoch ${e.epoch.toFixed(2)} loss ${e.loss.toFixed(4)} lr ${e.lr.toExponential(2)} ` +
        `grad_norm ${e.gradNorm.toFixed(3)} ${e.samplesPerSec.toFixed(1)} samples/s eta ${Math.round(e.etaSec)}s\n`,
    );
}

export async function readTextFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** config.json + model.safetensors + the source folder's tokenizer files (defaults where it has none). */
export async function writeTaskModelFolder(
  outDir: string,
  model: BertModel,
  labels: readonly string[],
  sourceDir: string,
): Promise<string[]> {
  const config = taskModelConfig(model, labels);
  return writeHfFolder(outDir, config, await model.exportWeights(), model.config.max_position_embeddings, sourceDir);
}

/** The one stderr line after training: why it ended, what was written, the best checkpoint. */
export function writtenSummary(result: TaskTrainResult<unknown>, files: string[], out: string): string {
  const b = result.best;
  const best = b ? { step: b.step, epoch: b.epoch, [b.metric]: b.value } : null;
  return `${result.reason}: wrote ${files.join(', ')} to ${out} (best ${JSON.stringify(best)})\n`;
}

/**
 * The training part of `train --task token-cls|qa`: Ctrl-C stops at the next step boundary (the
 * best weights are still written), one JSON line per epoch on stdout, progress on stderr, then the
 * model folder and the summary line. `prepare` builds the dataset (its errors also free the model);
 * the model is disposed at the end.
 */
export async function trainTaskCli<M>(
  model: BertModel,
  prepare: () => TaskDataset<M>,
  options: TaskTrainOptions,
  metricsJson: (m: M) => unknown,
  out: { dir: string; labels: readonly string[]; sourceDir: string },
): Promise<number> {
  const control = new TrainControl();
  const onSigint = (): void => control.stop();
  process.once('SIGINT', onSigint);
  try {
    const data = prepare();
    const onEvent = (e: TaskTrainEvent<M>): void => {
      printProgress(e);
      if (e.type === 'epochEnd')
        process.stdout.write(
          JSON.stringify({ epoch: e.epoch, train_loss: e.trainLoss, valid: e.valid ? metricsJson(e.valid) : null }) +
            '\n',
        );
    };
    const result = await trainTask(model, data, options, onEvent, control);
    const files = await writeTaskModelFolder(out.dir, model, out.labels, out.sourceDir);
    process.stderr.write(writtenSummary(result, files, out.dir));
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    model.dispose();
  }
}

/** Which task a train/eval invocation asks for (seq-cls when --task is absent). */
export function taskOf(args: readonly string[]): string {
  const i = args.findIndex((a) => a === '--task' || a.startsWith('--task='));
  if (i < 0) return 'seq-cls';
  const a = args[i]!;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : (args[i + 1] ?? '');
}
