// Reader and writer for the safetensors format (https://github.com/huggingface/safetensors):
// 8-byte little-endian header length, a JSON header, then raw little-endian tensor data.
// Validation follows the Rust crate's `SafeTensors::deserialize` (header size cap, offsets
// inside the buffer, no overlaps, byte count = shape x dtype width); gaps are tolerated.
import {
  BYTES_PER,
  decodeElements,
  isSourceDType,
  isValidShape,
  numel,
  targetDType,
  toLittleEndianBytes,
  type SourceDType,
} from './dtypes';
import { CheckpointError, type RawTensor, type WeightMap } from './types';

// Same cap as the Rust crate (MAX_HEADER_SIZE = 100 MB): real headers are a few hundred KB.
const MAX_HEADER_BYTES = 100_000_000;

export interface SafetensorsFile {
  weights: WeightMap;
  metadata: Record<string, string>;
}

export function readSafetensors(bytes: Uint8Array): WeightMap {
  return readSafetensorsFile(bytes).weights;
}

/** Like readSafetensors, also returning the `__metadata__` string map (empty when absent). */
export function readSafetensorsFile(bytes: Uint8Array): SafetensorsFile {
  const { header, dataStart } = parseHeader(bytes);
  const dataLen = bytes.byteLength - dataStart;
  const metadata = parseMetadata(header['__metadata__']);
  const entries: (CheckedEntry & { name: string })[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name !== '__metadata__') entries.push({ name, ...checkEntry(name, entry, dataLen) });
  }
  checkOverlaps(entries);
  const weights: WeightMap = new Map();
  for (const t of entries) {
    const raw = bytes.subarray(dataStart + t.begin, dataStart + t.end);
    const data = decodeElements(raw, t.dtype, numel(t.shape), undefined, `tensor ${t.name}`);
    weights.set(t.name, { dtype: targetDType(t.dtype), shape: t.shape, data });
  }
  return { weights, metadata };
}

function parseHeader(bytes: Uint8Array): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.byteLength < 8) {
    throw new CheckpointError(`safetensors file is ${bytes.byteLength} bytes, shorter than its 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getBigUint64(0, true);
  if (headerLen > BigInt(MAX_HEADER_BYTES)) {
    throw new CheckpointError(`safetensors header length ${headerLen} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  }
  const len = Number(headerLen);
  if (8 + len > bytes.byteLength) {
    throw new CheckpointError(
      `safetensors header length ${len} is larger than the file (${bytes.byteLength} bytes): truncated?`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + len)));
  } catch {
    throw new CheckpointError('safetensors header is not valid UTF-8 JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new CheckpointError('safetensors header is not a JSON object');
  }
  return { header: header as Record<string, unknown>, dataStart: 8 + len };
}

function parseMetadata(m: unknown): Record<string, string> {
  if (m === undefined || m === null) return {};
  if (typeof m !== 'object' || Array.isArray(m) || !Object.values(m).every((v) => typeof v === 'string')) {
    throw new CheckpointError('safetensors __metadata__ must be an object of strings');
  }
  return { ...(m as Record<string, string>) };
}

interface CheckedEntry {
  dtype: SourceDType;
  shape: number[];
  begin: number;
  end: number;
}

function checkEntry(name: string, entry: unknown, dataLen: number): CheckedEntry {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new CheckpointError(`tensor ${name}: header entry is not an object`);
  }
  const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (!isSourceDType(e.dtype))
    throw new CheckpointError(`tensor ${name}: unsupported dtype ${JSON.stringify(e.dtype)}`);
  if (!isValidShape(e.shape)) throw new CheckpointError(`tensor ${name}: invalid shape ${JSON.stringify(e.shape)}`);
  const off = e.data_offsets;
  if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isSafeInteger(o))) {
    throw new CheckpointError(`tensor ${name}: data_offsets ${JSON.stringify(off)} are not two integers`);
  }
  const [begin, end] = off as [number, number];
  if (begin < 0 || end < begin || end > dataLen) {
    throw new CheckpointError(
      `tensor ${name}: data offsets [${begin}, ${end}] fall outside the ${dataLen}-byte data section`,
    );
  }
  const need = numel(e.shape) * BYTES_PER[e.dtype];
  if (need !== end - begin) {
    throw new CheckpointError(
      `tensor ${name}: shape ${JSON.stringify(e.shape)} x ${e.dtype} needs ${need} bytes, offsets give ${end - begin}`,
    );
  }
  return { dtype: e.dtype, shape: e.shape, begin, end };
}

function checkOverlaps(spans: { name: string; begin: number; end: number }[]): void {
  const sorted = spans.filter((s) => s.end > s.begin).sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.begin < prev.end) {
      throw new CheckpointError(
        `tensor ${cur.name}: bytes [${cur.begin}, ${cur.end}] overlap tensor ${prev.name} [${prev.begin}, ${prev.end}]`,
      );
    }
  }
}

export interface WriteSafetensorsOptions {
  /** Store int32 tensors as I64 (what PyTorch uses for ids); default I32. */
  int64?: boolean;
}

/**
 * Serialises tensors in the given order, exactly as the Rust crate lays files out: compact JSON
 * header with `__metadata__` first, space-padded to a multiple of 8 so data stays aligned.
 */
export function writeSafetensors(
  weights: WeightMap,
  metadata: Record<string, string> = { format: 'pt' },
  options: WriteSafetensorsOptions = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of weights) {
    checkTensor(name, t);
    const bytes =
      t.dtype === 'int32' && options.int64 ? int32ToInt64(t.data as Int32Array) : toLittleEndianBytes(t.data);
    const dtype = t.dtype === 'float32' ? 'F32' : options.int64 ? 'I64' : 'I32';
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    blobs.push(bytes);
    offset += bytes.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (json.byteLength % 8)) % 8;
  if (pad) {
    const padded = new Uint8Array(json.byteLength + pad).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let p = 8 + json.byteLength;
  for (const b of blobs) {
    out.set(b, p);
    p += b.byteLength;
  }
  return out;
}

export function checkTensor(name: string, t: RawTensor): void {
  if (!isValidShape(t.shape)) throw new CheckpointError(`tensor ${name}: invalid shape ${JSON.stringify(t.shape)}`);
  const okType =
    t.dtype === 'float32' ? t.data instanceof Float32Array : t.dtype === 'int32' && t.data instanceof Int32Array;
  if (!okType)
    throw new CheckpointError(`tensor ${name}: dtype ${t.dtype} does not match its ${t.data.constructor.name}`);
  if (numel(t.shape) !== t.data.length) {
    throw new CheckpointError(
      `tensor ${name}: shape ${JSON.stringify(t.shape)} has ${numel(t.shape)} elements, data has ${t.data.length}`,
    );
  }
}

function int32ToInt64(data: Int32Array): Uint8Array {
  const out = new Uint8Array(data.length * 8);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) dv.setBigInt64(i * 8, BigInt(data[i]!), true);
  return out;
}
