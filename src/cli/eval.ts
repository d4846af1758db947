// `eval --model DIR --data FILE --text-column C [--text-pair-column C2] --label-column L
//  [--max-length T] [--batch-size B]`: metrics of a trained classifier (a folder `train` wrote, or
// any BertForSequenceClassification checkpoint with id2label) on a labelled file, as one JSON line.
import { savedThreshold } from '../io';
import { nodeFolderSource } from '../model/checkpoint/nodeSource';
import { tableExamples } from '../train/dataset';
import { evaluate } from '../train/evaluate';
import type { HeadSpec } from '../train/heads';
import { loadClassifier, readConfig, readTokenizer } from '../train/loadModel';
import { DEFAULT_THRESHOLD } from '../train/multiLabel';
import { metricsToJson } from '../train/report';
import { numberFlag, parseArgs, requireFlag } from './args';
import { taskOf } from './taskIo';
import { oneLine, readTableFile, requireModelDir, useWasmBackend } from './trainIo';

/** The head `train` recorded in config.json (`studio_head`), else HF's linear classifier. */
function headFromConfig(extra: Record<string, unknown>): HeadSpec {
  const h = extra.studio_head as
    { kind?: string; hidden_size?: number; activation?: string; dropout?: number | null } | undefined;
  if (!h || h.kind !== 'mlp') return { kind: 'linear' };
  const activation = h.activation === 'relu' || h.activation === 'tanh' ? h.activation : 'gelu';
  return {
    kind: 'mlp',
    hiddenSize: Number(h.hidden_size),
    activation,
    ...(typeof h.dropout === 'number' ? { dropout: h.dropout } : {}),
  };
}

async function run(args: string[]): Promise<number> {
  const p = parseArgs(args);
  const modelDir = requireFlag(p, 'model');
  const maxLength = numberFlag(p, 'max-length', 128);
  const batchSize = numberFlag(p, 'batch-size', 64);
  await requireModelDir(modelDir);
  await useWasmBackend();
  const source = nodeFolderSource(modelDir);
  const config = await readConfig(source);
  if (!config.id2label) throw new Error(`${modelDir}/config.json has no id2label: not a trained classifier`);
  const labels = Object.keys(config.id2label)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => config.id2label![k]!);
  const multiLabel = config.problem_type === 'multi_label_classification';
  // The threshold the studio tuned on validation and saved with the model; 0.5 without one.
  const threshold = multiLabel ? (savedThreshold(config) ?? DEFAULT_THRESHOLD) : undefined;
  const tokenizer = await readTokenizer(source);
  const cols = {
    textColumn: requireFlag(p, 'text-column'),
    labelColumn: requireFlag(p, 'label-column'),
    multiLabel,
    ...(p.flags.has('text-pair-column') ? { textPairColumn: requireFlag(p, 'text-pair-column') } : {}),
  };
  const { examples, skipped } = tableExamples(
    await readTableFile(requireFlag(p, 'data')),
    cols,
    tokenizer,
    maxLength,
    labels,
  );
  if (examples.length === 0) throw new Error('no labelled rows to evaluate');
  const { model, report } = await loadClassifier(source, {
    labels,
    head: headFromConfig(config.extra),
    multiLabel,
    seed: 0,
  });
  try {
    const fresh = report.initialised.filter((n) => model.params.has(n));
    if (fresh.length > 0)
      process.stderr.write(`warning: ${fresh.join(', ')} missing from the checkpoint and randomly initialised\n`);
    const metrics = await evaluate(model, examples, { batchSize, padId: tokenizer.padId, threshold });
    const out = { rows: examples.length, skipped: skipped.length, ...metricsToJson(metrics, labels, true) };
    process.stdout.write(JSON.stringify(threshold === undefined ? out : { ...out, threshold }) + '\n');
    return 0;
  } finally {
    model.dispose();
  }
}

export async function evalCommand(args: string[]): Promise<number> {
  try {
    const task = taskOf(args); // token-cls and qa have their own commands (trainTokenCls.ts, trainQa.ts)
    if (task === 'token-cls') return await (await import('./trainTokenCls')).evalTokenClsCommand(args);
    if (task === 'qa') return await (await import('./trainQa')).evalQaCommand(args);
    return await run(args);
  } catch (err) {
    process.stderr.write(`error: ${oneLine(err)}\n`);
    return 2;
  }
}
