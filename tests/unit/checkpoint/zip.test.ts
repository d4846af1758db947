import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  crc32,
  loadCheckpoint,
  writeSafetensors,
  writeZip,
  ZipReader,
  zipSource,
} from '../../../src/model/checkpoint';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Offsets of every central-directory header in a zip. */
function centralHeaders(zip: Uint8Array): number[] {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const out: number[] = [];
  for (let p = 0; p + 4 <= zip.length; p++) if (dv.getUint32(p, true) === 0x02014b50) out.push(p);
  return out;
}

function expectRefused(f: () => unknown, message: RegExp): void {
  expect(f).toThrow(CheckpointError);
  expect(f).toThrow(message);
}

describe('writeZip / zipSource', () => {
  const files = [
    { name: 'config.json', data: enc('{"hidden_size": 16}'.repeat(50)) },
    {
      name: 'model.safetensors',
      data: writeSafetensors(new Map([['w', { dtype: 'float32', shape: [3], data: new Float32Array([1, 2, 3]) }]])),
    },
    { name: 'sub/dir/vocab.txt', data: enc('[PAD]\n[UNK]\n') },
    { name: 'empty.bin', data: new Uint8Array(0) },
  ];

  it('round-trips exactly; text is deflated, binaries stored; output is deterministic', async () => {
    const zip = writeZip(files);
    expect(Buffer.compare(Buffer.from(zip), Buffer.from(writeZip(files)))).toBe(0);
    const reader = new ZipReader(zip);
    expect(reader.entries.get('config.json')!.method).toBe(8);
    expect(reader.entries.get('model.safetensors')!.method).toBe(0);
    const src = zipSource(zip);
    expect((await src.list!()).sort()).toEqual(files.map((f) => f.name).sort());
    for (const f of files) expect(await src.read(f.name)).toEqual(f.data);
    expect(await src.read('missing.txt')).toBeNull();
    expect(await src.readText('sub/dir/vocab.txt')).toBe('[PAD]\n[UNK]\n');
  });

  it('drops a single top folder and macOS junk so loadCheckpoint finds the weights', async () => {
    const zip = writeZip([
      ...files.map((f) => ({ name: `my-model/${f.name}`, data: f.data })),
      { name: '__MACOSX/my-model/._config.json', data: enc('x') },
    ]);
    const { weights, format } = await loadCheckpoint(zipSource(zip));
    expect(format).toBe('safetensors');
    expect(Array.from(weights.get('w')!.data)).toEqual([1, 2, 3]);
  });

  it('reads zips written by other tools (fflate defaults, deflate level 9)', async () => {
    const zip = zipSync({ 'a.txt': enc('hello hello hello'), 'b.bin': [new Uint8Array([1, 2, 3]), { level: 9 }] });
    const src = zipSource(zip);
    expect(await src.readText('a.txt')).toBe('hello hello hello');
    expect(await src.read('b.bin')).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('crc32 matches the standard check value', () => {
    expect(crc32(enc('123456789'))).toBe(0xcbf43926);
  });

  it('writeZip refuses unsafe or duplicate names', () => {
    expectRefused(() => writeZip([{ name: '../evil', data: enc('') }]), /not a safe relative path/);
    expectRefused(
      () =>
        writeZip([
          { name: 'a', data: enc('') },
          { name: 'a', data: enc('') },
        ]),
      /duplicate file a/,
    );
  });
});

describe('zip guards', () => {
  it.each(['../evil', 'a/../../evil', '/etc/passwd', 'C:\\Windows\\x', '..\\evil'])(
    'refuses the entry name %j',
    (name) => {
      // fflate writes whatever name it is given, like a hostile archiver would.
      const zip = zipSync({ [name]: enc('x') });
      expectRefused(() => zipSource(zip), /is not a safe relative path/);
    },
  );

  it('refuses a deflate bomb whose declared size is over the cap, before inflating', () => {
    const bomb = zipSync({ 'zeros.bin': [new Uint8Array(5_000_000), { level: 1 }] });
    expect(bomb.length).toBeLessThan(50_000);
    expectRefused(
      () => zipSource(bomb, { maxTotalBytes: 1_000_000 }),
      /uncompressed size exceeds the limit of 1000000 bytes/,
    );
  });

  it('refuses declared sizes that deflate could not produce from the compressed bytes', () => {
    const zip = zipSync({ a: [enc('a'.repeat(100)), { level: 9 }] });
    new DataView(zip.buffer).setUint32(centralHeaders(zip)[0]! + 24, 0xfffffff0, true);
    expectRefused(() => zipSource(zip), /zip entry a: declared size 4294967280 is impossible for \d+ deflated bytes/);
  });

  it('refuses stored entries adding up past the default 4 GiB cap', () => {
    const zip = writeZip(
      [
        { name: 'a', data: new Uint8Array(8) },
        { name: 'b', data: new Uint8Array(8) },
      ],
      { level: 0 },
    );
    for (const p of centralHeaders(zip)) {
      new DataView(zip.buffer).setUint32(p + 20, 0xfffffff0, true);
      new DataView(zip.buffer).setUint32(p + 24, 0xfffffff0, true);
    }
    expectRefused(() => zipSource(zip), /uncompressed size exceeds the limit of 4294967296 bytes \(zip bomb\?\)/);
  });

  it('an entry that inflates to more than it declares fails its CRC instead of growing', async () => {
    const zip = zipSync({ a: [enc('a'.repeat(1000)), { level: 9 }] });
    new DataView(zip.buffer).setUint32(centralHeaders(zip)[0]! + 24, 10, true);
    await expect(zipSource(zip).read('a')).rejects.toThrow(/CRC-32 mismatch/);
  });

  it('refuses too many entries', () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, enc('x')]));
    expectRefused(() => zipSource(zipSync(many), { maxEntries: 20 }), /zip has 30 entries, more than the limit of 20/);
  });

  it('detects corrupted stored data through the CRC', async () => {
    const zip = writeZip([{ name: 'w.bin', data: new Uint8Array(64).fill(7) }]);
    zip[60] = zip[60]! ^ 1; // inside the stored data (local header 30 + name 5 bytes)
    await expect(zipSource(zip).read('w.bin')).rejects.toThrow(/CRC-32 mismatch/);
  });

  it('refuses non-zips, truncated archives and other compression methods', async () => {
    expectRefused(() => new ZipReader(enc('definitely not a zip file at all')), /no end-of-central-directory/);
    const zip = writeZip([{ name: 'a.bin', data: new Uint8Array(100) }]);
    expectRefused(() => new ZipReader(zip.subarray(0, zip.length - 10)), /no end-of-central-directory/);
    expectRefused(() => new ZipReader(zip.subarray(50)), /truncated or corrupt|corrupt central directory/);
    const bz = zipSync({ a: [enc('abc'.repeat(10)), { level: 9 }] });
    new DataView(bz.buffer).setUint16(centralHeaders(bz)[0]! + 10, 12, true);
    await expect(zipSource(bz).read('a')).rejects.toThrow(/unsupported compression method 12/);
  });
});
