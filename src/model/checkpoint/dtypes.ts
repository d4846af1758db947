// Decoding of little-endian element types shared by the safetensors, PyTorch and TF.js readers.
// Everything becomes float32 or int32, the two dtypes the model uses (see types.ts).
import { CheckpointError, type DType } from './types';

/** Element types found in checkpoints, named as safetensors names them. */
export type SourceDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export const BYTES_PER: Record<SourceDType, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

export function isSourceDType(s: unknown): s is SourceDType {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(BYTES_PER, s);
}

export function targetDType(d: SourceDType): DType {
  return d === 'F64' || d === 'F32' || d === 'F16' || d === 'BF16' ? 'float32' : 'int32';
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reads `count` elements of type `d` starting at `bytes[0]` into element indices given by
 * `index(i)` (storage element offsets), writing them densely into the result. `index` lets
 * PyTorch views (offset + strides) gather without an intermediate copy of the storage.
 */
export function decodeElements(
  bytes: Uint8Array,
  d: SourceDType,
  count: number,
  index?: (i: number) => number,
  what = 'tensor',
): Float32Array | Int32Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = index ?? ((i: number) => i);
  const w = BYTES_PER[d];
  if (d === 'F32' && LITTLE_ENDIAN && bytes.byteOffset % 4 === 0 && !index) {
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + count * 4) as ArrayBuffer);
  }
  if (targetDType(d) === 'float32') {
    const out = new Float32Array(count);
    const read = floatReader(dv, d);
    for (let i = 0; i < count; i++) out[i] = read(at(i) * w);
    return out;
  }
  const out = new Int32Array(count);
  const read = intReader(dv, d, what);
  for (let i = 0; i < count; i++) out[i] = read(at(i) * w);
  return out;
}

function floatReader(dv: DataView, d: SourceDType): (p: number) => number {
  switch (d) {
    case 'F64':
      return (p) => dv.getFloat64(p, true);
    case 'F16':
      return (p) => halfToFloat(dv.getUint16(p, true));
    case 'BF16': {
      // bfloat16 is the top half of a float32, so a shift is exact (NaN payloads included).
      const tmp = new DataView(new ArrayBuffer(4));
      return (p) => {
        tmp.setUint32(0, dv.getUint16(p, true) << 16);
        return tmp.getFloat32(0);
      };
    }
    default:
      return (p) => dv.getFloat32(p, true);
  }
}

function intReader(dv: DataView, d: SourceDType, what: string): (p: number) => number {
  switch (d) {
    case 'I64':
      // Token ids, positions and labels fit in int32; anything else would be silently wrong.
      return (p) => {
        const v = dv.getBigInt64(p, true);
        if (v > 2147483647n || v < -2147483648n) {
          throw new CheckpointError(`${what}: int64 value ${v} does not fit in int32`);
        }
        return Number(v);
      };
    case 'I32':
      return (p) => dv.getInt32(p, true);
    case 'I16':
      return (p) => dv.getInt16(p, true);
    case 'I8':
      return (p) => dv.getInt8(p);
    default:
      return (p) => dv.getUint8(p);
  }
}

export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Raw little-endian bytes of a float32/int32 array (a copy when the platform is big-endian). */
export function toLittleEndianBytes(data: Float32Array | Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) dv.setFloat32(i * 4, data[i]!, true);
    else dv.setInt32(i * 4, data[i]!, true);
  }
  return out;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function isValidShape(shape: unknown): shape is number[] {
  return Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0);
}
