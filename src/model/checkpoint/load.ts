// Finds and reads the weights of a model folder, trying files in the order HF transformers'
// `from_pretrained` does (modeling_utils.py: SAFE_WEIGHTS_NAME, SAFE_WEIGHTS_INDEX_NAME,
// WEIGHTS_NAME, WEIGHTS_INDEX_NAME), then a TF.js model.json.
import { readPytorchBin } from './pytorch';
import { readSafetensors } from './safetensors';
import { checkRelativePath, type FileSource } from './sources';
import { readTfjsModel } from './tfjs';
import { CheckpointError, type WeightMap } from './types';

export type CheckpointFormat = 'safetensors' | 'safetensors-sharded' | 'pytorch' | 'pytorch-sharded' | 'tfjs';

export interface LoadedCheckpoint {
  weights: WeightMap;
  format: CheckpointFormat;
  /** Files read, in order. */
  files: string[];
}

export const CHECKPOINT_FILES = [
  'model.safetensors',
  'model.safetensors.index.json',
  'pytorch_model.bin',
  'pytorch_model.bin.index.json',
  'model.json',
] as const;

export async function loadCheckpoint(source: FileSource): Promise<LoadedCheckpoint> {
  const single = await source.read('model.safetensors');
  if (single) return { weights: readSafetensors(single), format: 'safetensors', files: ['model.safetensors'] };
  const stIndex = await loadSharded(source, 'model.safetensors.index.json', readSafetensors);
  if (stIndex) return { ...stIndex, format: 'safetensors-sharded' };
  const bin = await source.read('pytorch_model.bin');
  if (bin) return { weights: readPytorchBin(bin), format: 'pytorch', files: ['pytorch_model.bin'] };
  const binIndex = await loadSharded(source, 'pytorch_model.bin.index.json', readPytorchBin);
  if (binIndex) return { ...binIndex, format: 'pytorch-sharded' };
  const tfjs = await readTfjsModel(source, 'model.json');
  if (tfjs) return { weights: tfjs.weights, format: 'tfjs', files: tfjs.files };
  throw new CheckpointError(`no weights found: looked for ${CHECKPOINT_FILES.join(', ')}`);
}

/**
 * Reads `{"weight_map": {name: shard}}` and merges the shards (each read once, in order of first
 * mention). Every listed tensor must be in its shard; a tensor in two shards is an error.
 */
export async function loadSharded(
  source: FileSource,
  indexName: string,
  readShard: (bytes: Uint8Array) => WeightMap,
): Promise<{ weights: WeightMap; files: string[] } | null> {
  const text = await source.readText(indexName);
  if (text === null) return null;
  const weightMap = parseIndex(text, indexName);
  const shards = [...new Set(Object.values(weightMap))];
  const weights: WeightMap = new Map();
  const owner = new Map<string, string>();
  for (const shard of shards) {
    checkRelativePath(shard, 'shard');
    const bytes = await source.read(shard);
    if (bytes === null) throw new CheckpointError(`${indexName} lists shard ${shard}, which is missing`);
    let part: WeightMap;
    try {
      part = readShard(bytes);
    } catch (err) {
      if (err instanceof CheckpointError) throw new CheckpointError(`${shard}: ${err.message}`);
      throw err;
    }
    for (const [name, t] of part) {
      const prev = owner.get(name);
      if (prev !== undefined) throw new CheckpointError(`tensor ${name} is in both ${prev} and ${shard}`);
      owner.set(name, shard);
      weights.set(name, t);
    }
  }
  for (const [name, shard] of Object.entries(weightMap)) {
    if (owner.get(name) !== shard)
      throw new CheckpointError(`${indexName} puts ${name} in ${shard}, but it is not there`);
  }
  return { weights, files: [indexName, ...shards] };
}

function parseIndex(text: string, indexName: string): Record<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CheckpointError(`${indexName} is not valid JSON`);
  }
  const wm = (json as { weight_map?: unknown } | null)?.weight_map;
  if (!wm || typeof wm !== 'object' || Array.isArray(wm) || !Object.values(wm).every((v) => typeof v === 'string')) {
    throw new CheckpointError(`${indexName} has no weight_map of tensor name -> shard file`);
  }
  return wm as Record<string, string>;
}
