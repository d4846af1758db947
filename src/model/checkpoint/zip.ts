// Minimal zip reader (PKWARE APPNOTE 6.3: end of central directory, zip64 locator, central
// directory, local headers) that hands out stored entries as zero-copy views and inflates
// deflated ones with fflate. Own parser rather than fflate.unzipSync because that copies every
// stored entry (a 440 MB pytorch_model.bin would need twice the memory) and trusts the header
// sizes; here every offset is bounds-checked and zip-bomb / path-traversal guards apply.
import { inflateSync } from 'fflate';
import { checkRelativePath } from './sources';
import { CheckpointError } from './types';

export interface ZipLimits {
  /** Refuse archives with more entries than this (default 10,000). */
  maxEntries?: number;
  /** Refuse archives whose declared uncompressed sizes add up to more (default 4 GiB). */
  maxTotalBytes?: number;
  /** Also check the CRC-32 of stored entries (deflated ones are always checked). */
  verifyStoredCrc?: boolean;
}

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_MAX_TOTAL = 4 * 1024 ** 3;
// Deflate cannot expand more than ~1032:1 (258-byte matches coded in 2 bits), so more is a lie.
const MAX_DEFLATE_RATIO = 1032;
const EOCD_SIG = 0x06054b50;
const Z64_LOCATOR_SIG = 0x07064b50;
const Z64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

export class ZipReader {
  readonly entries = new Map<string, ZipEntry>();
  private readonly dv: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: ZipLimits = {},
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.readDirectory();
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Entry contents, or null when there is no such entry. Stored entries are views of the archive. */
  read(name: string): Uint8Array | null {
    const e = this.entries.get(name);
    if (!e) return null;
    const start = this.dataStart(e);
    const raw = this.bytes.subarray(start, start + e.compressedSize);
    let out: Uint8Array;
    if (e.method === 0) {
      out = raw;
      if (this.limits.verifyStoredCrc) checkCrc(e, out);
    } else if (e.method === 8) {
      try {
        // A fixed output buffer caps what a lying header can make us allocate.
        out = inflateSync(raw, { out: new Uint8Array(e.size) });
      } catch (err) {
        throw new CheckpointError(`zip entry ${name}: corrupt deflate data (${(err as Error).message})`);
      }
      if (out.byteLength !== e.size)
        throw new CheckpointError(`zip entry ${name}: inflated to ${out.byteLength} bytes, header says ${e.size}`);
      checkCrc(e, out);
    } else {
      throw new CheckpointError(
        `zip entry ${name}: unsupported compression method ${e.method} (only stored and deflate)`,
      );
    }
    return out;
  }

  private u16(p: number): number {
    this.need(p, 2);
    return this.dv.getUint16(p, true);
  }
  private u32(p: number): number {
    this.need(p, 4);
    return this.dv.getUint32(p, true);
  }
  private u64(p: number): number {
    const v = this.u32(p) + this.u32(p + 4) * 2 ** 32;
    if (!Number.isSafeInteger(v)) throw new CheckpointError('zip: 64-bit field out of range');
    return v;
  }
  private need(p: number, n: number): void {
    if (p < 0 || p + n > this.bytes.byteLength)
      throw new CheckpointError('zip: truncated or corrupt archive (read past the end)');
  }

  private findEocd(): number {
    const len = this.bytes.byteLength;
    // The comment after the record is at most 65,535 bytes.
    for (let p = len - 22; p >= 0 && p >= len - 22 - 0xffff; p--) {
      if (this.dv.getUint32(p, true) === EOCD_SIG) return p;
    }
    throw new CheckpointError('not a zip archive (no end-of-central-directory record)');
  }

  private readDirectory(): void {
    const eocd = this.findEocd();
    let count = this.u16(eocd + 10);
    let cdOffset = this.u32(eocd + 16);
    if (eocd >= 20 && this.u32(eocd - 20) === Z64_LOCATOR_SIG) {
      const z = this.u64(eocd - 12);
      if (this.u32(z) !== Z64_EOCD_SIG) throw new CheckpointError('zip: bad zip64 end-of-central-directory record');
      count = this.u64(z + 32);
      cdOffset = this.u64(z + 48);
    }
    const maxEntries = this.limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (count > maxEntries) throw new CheckpointError(`zip has ${count} entries, more than the limit of ${maxEntries}`);
    const maxTotal = this.limits.maxTotalBytes ?? DEFAULT_MAX_TOTAL;
    let total = 0;
    let p = cdOffset;
    for (let i = 0; i < count; i++) {
      const { entry, next } = this.readCentral(p);
      p = next;
      total += entry.size;
      if (total > maxTotal)
        throw new CheckpointError(`zip uncompressed size exceeds the limit of ${maxTotal} bytes (zip bomb?)`);
      if (entry.name.endsWith('/')) continue;
      if (this.entries.has(entry.name)) throw new CheckpointError(`zip has a duplicate entry ${entry.name}`);
      this.entries.set(entry.name, entry);
    }
  }

  private readCentral(p: number): { entry: ZipEntry; next: number } {
    if (this.u32(p) !== CENTRAL_SIG) throw new CheckpointError('zip: corrupt central directory');
    const flags = this.u16(p + 8);
    const nameLen = this.u16(p + 28);
    const extraLen = this.u16(p + 30);
    const commentLen = this.u16(p + 32);
    this.need(p + 46, nameLen + extraLen);
    const name = new TextDecoder().decode(this.bytes.subarray(p + 46, p + 46 + nameLen));
    checkRelativePath(name, 'zip entry');
    if (flags & 1) throw new CheckpointError(`zip entry ${name} is encrypted`);
    const entry: ZipEntry = {
      name,
      method: this.u16(p + 10),
      crc: this.u32(p + 16),
      compressedSize: this.u32(p + 20),
      size: this.u32(p + 24),
      localOffset: this.u32(p + 42),
    };
    this.applyZip64(entry, p + 46 + nameLen, extraLen);
    if (entry.method === 0 && entry.compressedSize !== entry.size) {
      throw new CheckpointError(`zip entry ${name}: stored entry with different sizes`);
    }
    if (entry.method === 8 && entry.size > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) {
      throw new CheckpointError(
        `zip entry ${name}: declared size ${entry.size} is impossible for ${entry.compressedSize} deflated bytes`,
      );
    }
    return { entry, next: p + 46 + nameLen + extraLen + commentLen };
  }

  // Zip64 extra field (id 1) holds, in this order, only the fields whose 32-bit value is 0xFFFFFFFF.
  private applyZip64(e: ZipEntry, start: number, len: number): void {
    const wants = (['size', 'compressedSize', 'localOffset'] as const).filter((k) => e[k] === 0xffffffff);
    if (!wants.length) return;
    for (let q = start; q + 4 <= start + len; q += 4 + this.u16(q + 2)) {
      if (this.u16(q) !== 1) continue;
      wants.forEach((k, i) => (e[k] = this.u64(q + 4 + 8 * i)));
      return;
    }
    throw new CheckpointError(`zip entry ${e.name}: missing zip64 sizes`);
  }

  private dataStart(e: ZipEntry): number {
    const p = e.localOffset;
    if (this.u32(p) !== LOCAL_SIG) throw new CheckpointError(`zip entry ${e.name}: bad local header`);
    const start = p + 30 + this.u16(p + 26) + this.u16(p + 28);
    this.need(start, e.compressedSize);
    return start;
  }
}

let crcTable: Uint32Array | undefined;

export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function checkCrc(e: ZipEntry, data: Uint8Array): void {
  if (crc32(data) !== e.crc) throw new CheckpointError(`zip entry ${e.name}: CRC-32 mismatch (corrupt archive)`);
}
