// `embed --model DIR --data FILE --text-column C [--text-pair-column C2] [--id-column C]
//  [--pooling mean|cls] [--normalize] [--max-length N] [--batch-size N] [--format csv|npy] --out FILE`:
// sentence embeddings of one column of a table file, written as CSV (id + one column per
// dimension) or NumPy .npy (float32 [N, H]); the format defaults from the --out extension.
import { writeFile } from 'node:fs/promises';
import { nodeFolderSource } from '../model/checkpoint/nodeSource';
import { embedTexts, loadEmbedder, toCsv, toNpy } from '../train/embed';
import type { TextInput } from '../tokenizer';
import { numberFlag, parseArgs, requireFlag, type ParsedArgs } from './args';
import { oneLine, readTableFile, requireModelDir, useWasmBackend } from './trainIo';

function choice<T extends string>(p: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const v = p.flags.get(name);
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw new Error(`--${name} must be one of ${allowed.join(', ')}, got ${String(v)}`);
  return v as T;
}

function column(columns: string[], name: string, what: string): number {
  const i = columns.indexOf(name);
  if (i < 0) throw new Error(`${what} column "${name}" not found; the file has: ${columns.join(', ')}`);
  return i;
}

async function run(args: string[]): Promise<number> {
  const p = parseArgs(args);
  const modelDir = requireFlag(p, 'model');
  const out = requireFlag(p, 'out');
  const format = choice(p, 'format', ['csv', 'npy'] as const, out.toLowerCase().endsWith('.npy') ? 'npy' : 'csv');
  const pooling = choice(p, 'pooling', ['mean', 'cls'] as const, 'mean');
  await requireModelDir(modelDir);
  const table = await readTableFile(requireFlag(p, 'data'));
  const ti = column(table.columns, requireFlag(p, 'text-column'), 'text');
  const pi = p.flags.has('text-pair-column')
    ? column(table.columns, requireFlag(p, 'text-pair-column'), 'text pair')
    : -1;
  const ii = p.flags.has('id-column') ? column(table.columns, requireFlag(p, 'id-column'), 'id') : -1;
  const texts: TextInput[] = table.rows.map((r) => (pi >= 0 ? [r[ti] ?? '', r[pi] ?? ''] : (r[ti] ?? '')));
  if (texts.length === 0) throw new Error('the file has no data rows');

  const backend = await useWasmBackend();
  const { model, tokenizer, report } = await loadEmbedder(nodeFolderSource(modelDir));
  try {
    // The pooler is never used for embeddings, so only missing encoder tensors are worth a warning.
    const fresh = report.initialised.filter((n) => !n.includes('pooler.'));
    if (fresh.length > 0) process.stderr.write(`warning: ${fresh.join(', ')} missing from the checkpoint\n`);
    const maxLength = numberFlag(
      p,
      'max-length',
      Math.min(tokenizer.modelMaxLength ?? Infinity, model.config.max_position_embeddings),
    );
    const t0 = performance.now();
    const vectors = await embedTexts(model, tokenizer, texts, {
      pooling,
      normalize: p.flags.get('normalize') === true,
      maxLength,
      batchSize: numberFlag(p, 'batch-size', 32),
    });
    const h = model.config.hidden_size;
    const ids = ii >= 0 ? table.rows.map((r) => r[ii] ?? '') : undefined;
    await writeFile(out, format === 'npy' ? toNpy(vectors, texts.length, h) : toCsv(vectors, texts.length, h, ids));
    const seconds = (performance.now() - t0) / 1000;
    process.stderr.write(
      `embed: ${texts.length} rows x ${h} dims (${pooling} pooling, ${backend}) in ${seconds.toFixed(1)} s -> ${out}\n`,
    );
    return 0;
  } finally {
    model.dispose();
  }
}

export async function embedCommand(args: string[]): Promise<number> {
  try {
    return await run(args);
  } catch (err) {
    process.stderr.write(`error: ${oneLine(err)}\n`);
    return 2; // as train / eval: bad input or a failed run
  }
}
