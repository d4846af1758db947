// TF.js weight files: `model.json` with a `weightsManifest` ([{paths, weights: [{name, shape,
// dtype, quantization?}]}]) plus binary shards. Each group's shards are concatenated and the
// weights laid end to end, as tfjs-core's io/weights_loader.ts and io_utils.ts decode them.
import { decodeElements, halfToFloat, isValidShape, numel, toLittleEndianBytes } from './dtypes';
import { checkTensor } from './safetensors';
import { checkRelativePath, type FileSource } from './sources';
import { CheckpointError, type RawTensor, type WeightMap } from './types';

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

export interface TfjsManifestGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
}

export interface TfjsModelJson {
  weightsManifest: TfjsManifestGroup[];
  [key: string]: unknown;
}

export interface TfjsWriteOptions {
  /** Bytes per shard file (tfjs' default is 4 MiB). */
  shardBytes?: number;
  /** Extra top-level fields for model.json (format, config, …). */
  extra?: Record<string, unknown>;
}

export interface TfjsModelFiles {
  modelJson: TfjsModelJson;
  shards: { name: string; data: Uint8Array }[];
}

const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;

export function writeTfjsModel(weights: WeightMap, options: TfjsWriteOptions = {}): TfjsModelFiles {
  const shardBytes = options.shardBytes ?? DEFAULT_SHARD_BYTES;
  if (!Number.isSafeInteger(shardBytes) || shardBytes <= 0)
    throw new CheckpointError(`shardBytes must be a positive integer, got ${shardBytes}`);
  const specs: TfjsWeightSpec[] = [];
  let total = 0;
  for (const [name, t] of weights) {
    checkTensor(name, t);
    specs.push({ name, shape: [...t.shape], dtype: t.dtype });
    total += t.data.byteLength;
  }
  // One buffer cut into equal shards, weights may straddle shard boundaries (as tfjs does).
  const all = new Uint8Array(total);
  let p = 0;
  for (const t of weights.values()) {
    all.set(toLittleEndianBytes(t.data), p);
    p += t.data.byteLength;
  }
  const n = Math.max(1, Math.ceil(total / shardBytes));
  const shards = Array.from({ length: n }, (_, i) => ({
    name: `group1-shard${i + 1}of${n}.bin`,
    data: all.slice(i * shardBytes, Math.min(total, (i + 1) * shardBytes)),
  }));
  const modelJson: TfjsModelJson = {
    format: 'weights',
    generatedBy: 'bert-studio',
    ...options.extra,
    weightsManifest: [{ paths: shards.map((s) => s.name), weights: specs }],
  };
  return { modelJson, shards };
}

/** Reads model.json (or `modelJsonName`) and its shards from a source; null when model.json is absent. */
export async function readTfjsModel(
  source: FileSource,
  modelJsonName = 'model.json',
): Promise<{ weights: WeightMap; modelJson: TfjsModelJson; files: string[] } | null> {
  const text = await source.readText(modelJsonName);
  if (text === null) return null;
  const modelJson = parseModelJson(text, modelJsonName);
  const dir = modelJsonName.includes('/') ? modelJsonName.slice(0, modelJsonName.lastIndexOf('/') + 1) : '';
  const weights: WeightMap = new Map();
  const files = [modelJsonName];
  for (const group of modelJson.weightsManifest) {
    const parts: Uint8Array[] = [];
    for (const path of group.paths) {
      checkRelativePath(path, 'weight shard');
      const data = await source.read(dir + path);
      if (data === null) throw new CheckpointError(`${modelJsonName}: weight shard ${path} is missing`);
      parts.push(data);
      files.push(dir + path);
    }
    decodeGroup(group, concat(parts), weights);
  }
  return { weights, modelJson, files };
}

function parseModelJson(text: string, name: string): TfjsModelJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CheckpointError(`${name} is not valid JSON`);
  }
  const m = json as { weightsManifest?: unknown };
  if (!m || typeof m !== 'object' || !Array.isArray(m.weightsManifest))
    throw new CheckpointError(`${name} has no weightsManifest array`);
  for (const g of m.weightsManifest as unknown[]) {
    const group = g as Partial<TfjsManifestGroup>;
    const okPaths = Array.isArray(group?.paths) && group.paths.every((p) => typeof p === 'string');
    if (!okPaths || !Array.isArray(group.weights))
      throw new CheckpointError(`${name}: a weightsManifest entry lacks paths or weights`);
  }
  return json as TfjsModelJson;
}

function decodeGroup(group: TfjsManifestGroup, bytes: Uint8Array, out: WeightMap): void {
  let offset = 0;
  for (const spec of group.weights) {
    const name = typeof spec?.name === 'string' ? spec.name : '?';
    if (!isValidShape(spec?.shape)) throw new CheckpointError(`tfjs weight ${name}: invalid shape`);
    if (out.has(name)) throw new CheckpointError(`tfjs weight ${name} appears twice`);
    const count = numel(spec.shape);
    const q = spec.quantization;
    const width = q
      ? q.dtype === 'uint8'
        ? 1
        : q.dtype === 'uint16' || q.dtype === 'float16'
          ? 2
          : 0
      : spec.dtype === 'bool'
        ? 1
        : spec.dtype === 'float32' || spec.dtype === 'int32'
          ? 4
          : 0;
    if (!width)
      throw new CheckpointError(`tfjs weight ${name}: unsupported dtype ${JSON.stringify(q ? q.dtype : spec.dtype)}`);
    const size = count * width;
    if (offset + size > bytes.byteLength) {
      throw new CheckpointError(
        `tfjs weight ${name}: needs bytes [${offset}, ${offset + size}], shards hold ${bytes.byteLength}`,
      );
    }
    out.set(name, decodeWeight(spec, bytes.subarray(offset, offset + size), count));
    offset += size;
  }
}

function decodeWeight(spec: TfjsWeightSpec, bytes: Uint8Array, count: number): RawTensor {
  const dtype = spec.dtype === 'float32' ? 'float32' : 'int32';
  const q = spec.quantization;
  if (!q) {
    const src = spec.dtype === 'float32' ? 'F32' : spec.dtype === 'int32' ? 'I32' : 'U8';
    return { dtype, shape: [...spec.shape], data: decodeElements(bytes, src, count) };
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = dtype === 'float32' ? new Float32Array(count) : new Int32Array(count);
  if (q.dtype === 'float16') {
    for (let i = 0; i < count; i++) data[i] = halfToFloat(dv.getUint16(i * 2, true));
  } else {
    // Affine quantisation: value = q * scale + min (tfjs io_utils.ts).
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    for (let i = 0; i < count; i++) {
      const v = (q.dtype === 'uint8' ? dv.getUint8(i) : dv.getUint16(i * 2, true)) * scale + min;
      data[i] = dtype === 'int32' ? Math.round(v) : v;
    }
  }
  return { dtype, shape: [...spec.shape], data };
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.byteLength;
  }
  return out;
}
