// Reader for pytorch_model.bin as torch.save writes it since torch 1.6 (torch/serialization.py
// `_save` / `_load`): a zip holding `<top>/data.pkl` (the state dict, pickled) and one raw
// little-endian file per storage, `<top>/data/<key>`. `<top>` is the file stem with torch 1.13
// and "archive" with newer versions, so it is discovered, not assumed.
import { BYTES_PER, decodeElements, numel, targetDType } from './dtypes';
import { unpickle } from './pickle';
import { TORCH_STATE_DICT_POLICY } from './pickleTorch';
import { PickleDict, TensorRef, type PickleValue, type StorageRef } from './pickleValues';
import { CheckpointError, type RawTensor, type WeightMap } from './types';
import { ZipReader } from './zip';

export function readPytorchBin(bytes: Uint8Array): WeightMap {
  if (bytes.byteLength < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new CheckpointError(
      'pytorch_model.bin is not a zip archive: the legacy (torch < 1.6) format is not supported; re-save it with a newer torch or convert it to safetensors',
    );
  }
  const zip = new ZipReader(bytes);
  const pkls = zip.names().filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pkls.length !== 1)
    throw new CheckpointError(`pytorch_model.bin: expected one <folder>/data.pkl, found ${pkls.length}`);
  const top = pkls[0]!.slice(0, -'data.pkl'.length);
  const root = unpickle(zip.read(pkls[0]!)!, TORCH_STATE_DICT_POLICY);
  const dict = stateDict(root);
  const storages = new Map<string, { ref: StorageRef; bytes: Uint8Array }>();
  const out: WeightMap = new Map();
  for (const [name, value] of dict.map) {
    if (!(value instanceof TensorRef)) continue; // e.g. a stray integer entry: not a weight
    const key = String(name);
    out.set(key, materialize(key, value, storageBytes(zip, top, value.storage, storages)));
  }
  return out;
}

// HF saves the state dict itself; some training scripts wrap it as {"state_dict": ...}.
function stateDict(root: PickleValue): PickleDict {
  if (!(root instanceof PickleDict))
    throw new CheckpointError('pytorch_model.bin does not contain a state dict (top-level object is not a dict)');
  for (const k of ['state_dict', 'model']) {
    const inner = root.map.get(k);
    if (inner instanceof PickleDict && ![...root.map.values()].some((v) => v instanceof TensorRef)) return inner;
  }
  return root;
}

function storageBytes(
  zip: ZipReader,
  top: string,
  ref: StorageRef,
  cache: Map<string, { ref: StorageRef; bytes: Uint8Array }>,
): Uint8Array {
  const hit = cache.get(ref.key);
  if (hit) {
    if (hit.ref.dtype !== ref.dtype) throw new CheckpointError(`storage ${ref.key} is used with two dtypes`);
    return hit.bytes;
  }
  const bytes = zip.read(`${top}data/${ref.key}`);
  if (!bytes) throw new CheckpointError(`storage file ${top}data/${ref.key} is missing from the archive`);
  if (bytes.byteLength < ref.numel * BYTES_PER[ref.dtype]) {
    throw new CheckpointError(
      `storage ${ref.key}: ${bytes.byteLength} bytes, needs ${ref.numel * BYTES_PER[ref.dtype]}`,
    );
  }
  cache.set(ref.key, { ref, bytes });
  return bytes;
}

/** Copies a (possibly strided, offset) view out of its storage into a dense row-major tensor. */
function materialize(name: string, t: TensorRef, storage: Uint8Array): RawTensor {
  const { shape, stride, offset } = t;
  const count = numel(shape);
  let last = offset;
  for (let d = 0; d < shape.length; d++) last += (shape[d]! - 1) * stride[d]!;
  if (count > 0 && last >= t.storage.numel) {
    throw new CheckpointError(
      `tensor ${name}: view (offset ${offset}, shape ${JSON.stringify(shape)}, stride ${JSON.stringify(stride)}) reaches past its storage of ${t.storage.numel} elements`,
    );
  }
  const w = BYTES_PER[t.storage.dtype];
  const dtype = targetDType(t.storage.dtype);
  const what = `tensor ${name}`;
  if (count === 0) return { dtype, shape, data: dtype === 'float32' ? new Float32Array(0) : new Int32Array(0) };
  if (isContiguous(shape, stride)) {
    const bytes = storage.subarray(offset * w, (offset + count) * w);
    return { dtype, shape, data: decodeElements(bytes, t.storage.dtype, count, undefined, what) };
  }
  return {
    dtype,
    shape,
    data: decodeElements(storage, t.storage.dtype, count, stridedIndex(shape, stride, offset), what),
  };
}

function isContiguous(shape: number[], stride: number[]): boolean {
  let expect = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expect) return false;
    expect *= shape[d]!;
  }
  return true;
}

// Maps a row-major element index to its storage element index.
function stridedIndex(shape: number[], stride: number[], offset: number): (i: number) => number {
  return (i) => {
    let at = offset;
    for (let d = shape.length - 1; d >= 0; d--) {
      const n = shape[d]!;
      at += (i % n) * stride[d]!;
      i = Math.floor(i / n);
    }
    return at;
  };
}
