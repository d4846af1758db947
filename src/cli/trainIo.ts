// Node-side helpers shared by the `train` and `eval` commands: wasm backend with the training
// kernels, reading a table file, writing a trained classifier as a Hugging Face model folder.
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseTable, type ParsedTable } from '../data';
import { registerTrainingKernels } from '../model';
import { selectBackend } from '../model/backend';
import { writeSafetensors, type WeightMap } from '../model/checkpoint';
import type { SequenceClassifier } from '../train/classifier';

export async function useWasmBackend(): Promise<string> {
  registerTrainingKernels();
  const choice = await selectBackend({ preferred: 'wasm', wasmThreads: false });
  return choice.backend;
}

export async function requireModelDir(dir: string): Promise<void> {
  const s = await stat(dir).catch(() => null);
  if (!s?.isDirectory()) throw new Error(`model folder ${dir} does not exist`);
}

export async function readTableFile(file: string): Promise<ParsedTable> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseTable(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    fileName: path.basename(file),
  });
}

const TOKENIZER_FILES = ['vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    () => false,
  );
}

/** config.json + model.safetensors + the source model's tokenizer files (defaults written where it has none). */
export async function writeModelFolder(
  outDir: string,
  model: SequenceClassifier,
  sourceDir: string,
): Promise<string[]> {
  return writeHfFolder(
    outDir,
    model.exportConfig(),
    await model.exportWeights(),
    model.bert.config.max_position_embeddings,
    sourceDir,
  );
}

/** A Hugging Face model folder: config, weights, and the tokenizer files of the source model. */
export async function writeHfFolder(
  outDir: string,
  config: Record<string, unknown>,
  weights: WeightMap,
  maxPositions: number,
  sourceDir: string,
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written = ['config.json', 'model.safetensors'];
  await writeFile(path.join(outDir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  await writeFile(path.join(outDir, 'model.safetensors'), writeSafetensors(weights, { format: 'pt' }));
  for (const name of TOKENIZER_FILES) {
    if (await exists(path.join(sourceDir, name))) {
      await copyFile(path.join(sourceDir, name), path.join(outDir, name));
      written.push(name);
    }
  }
  // What transformers' BertTokenizer.save_pretrained writes when the source lacked them.
  const defaults: Record<string, unknown> = {
    'tokenizer_config.json': { do_lower_case: true, tokenizer_class: 'BertTokenizer', model_max_length: maxPositions },
    'special_tokens_map.json': {
      unk_token: '[UNK]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      cls_token: '[CLS]',
      mask_token: '[MASK]',
    },
  };
  for (const [name, json] of Object.entries(defaults)) {
    if (written.includes(name)) continue;
    await writeFile(path.join(outDir, name), JSON.stringify(json, null, 2) + '\n');
    written.push(name);
  }
  return written;
}

/** One line for stderr: errors from deep inside (data, checkpoint) may span lines. */
export function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
}
