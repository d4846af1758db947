// .npy bytes checked by hand against the format spec (numpy/lib/format.py, version 1.0), then read
// back by NumPy itself when /usr/bin/python3 has it; CSV values must round-trip as float32.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFloat32, npyHeader, toCsv, toNpy } from '../../../src/train/embed';

const PYTHON = '/usr/bin/python3';

function numpyVersion(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}
const NUMPY = numpyVersion();
if (!NUMPY) console.log(`skipping the NumPy read-back checks: ${PYTHON} with numpy is not available`);

const ascii = (b: Uint8Array): string => String.fromCharCode(...b);

describe('toNpy', () => {
  it('writes magic, version 1.0, a little-endian header length and the padded dict', () => {
    const v = Float32Array.from({ length: 12 }, (_, i) => i * 0.5 - 1);
    const bytes = toNpy(v, 3, 4);
    expect([...bytes.subarray(0, 6)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
    expect([bytes[6], bytes[7]]).toEqual([1, 0]);
    const hlen = bytes[8]! | (bytes[9]! << 8);
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
    // numpy >= 1.23 adds 21 - len('3') spaces of growth room, then pads to a multiple of 64 with '\n' last.
    expect(hlen).toBe(118);
    const header = ascii(bytes.subarray(10, 10 + hlen));
    expect(header).toBe(dict + ' '.repeat(118 - dict.length - 1) + '\n');
    expect((10 + hlen) % 64).toBe(0);
    expect(bytes.length).toBe(10 + hlen + 12 * 4);
    const data = new DataView(bytes.buffer, 10 + hlen);
    for (let i = 0; i < 12; i++) expect(data.getFloat32(i * 4, true)).toBe(v[i]);
  });

  it.each([
    [0, 5],
    [1, 1],
    [12345, 768],
    [10 ** 9, 3],
  ])('header for shape (%i, %i) is aligned to 64 bytes and ends in a newline', (n, d) => {
    const h = npyHeader(n, d);
    expect((10 + h.length) % 64).toBe(0);
    expect(h.endsWith('\n')).toBe(true);
    expect(h.startsWith(`{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${d}), }`)).toBe(true);
    expect(h.trimEnd().endsWith('}')).toBe(true);
  });

  it('rejects a buffer that does not fill the shape', () => {
    expect(() => toNpy(new Float32Array(5), 2, 3)).toThrow(/fill/);
  });

  it.runIf(NUMPY !== null)('np.save writes the same bytes and np.load reads ours back', () => {
    const n = 7;
    const d = 5;
    const v = Float32Array.from({ length: n * d }, (_, i) => Math.fround(Math.sin(i) * 1e3) / 7);
    const dir = mkdtempSync(path.join(tmpdir(), 'npy-'));
    const file = path.join(dir, 'ours.npy');
    writeFileSync(file, toNpy(v, n, d));
    const script = [
      'import sys, io, json, numpy as np',
      'a = np.load(sys.argv[1])',
      'b = io.BytesIO(); np.save(b, a)',
      'same = b.getvalue() == open(sys.argv[1], "rb").read()',
      'print(json.dumps({"dtype": str(a.dtype), "shape": list(a.shape), "c": bool(a.flags.c_contiguous), "same": same, "values": [float(x) for x in a.ravel()]}))',
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout) as { dtype: string; shape: number[]; c: boolean; same: boolean; values: number[] };
    expect(got.dtype).toBe('float32');
    expect(got.shape).toEqual([n, d]);
    expect(got.c).toBe(true);
    expect(got.values).toEqual(Array.from(v));
    // Byte-identical to np.save only where numpy pads for growth (1.23+); older versions read it all the same.
    const [major, minor] = NUMPY!.split('.').map(Number) as [number, number];
    if (major > 1 || minor >= 23) expect(got.same).toBe(true);
  });
});

describe('toCsv', () => {
  it('writes a header, quoted ids and float32 values that read back exactly', () => {
    const v = new Float32Array([0.1, -2.5, 1 / 3, 1e-8, 123456.789, 0]);
    const csv = toCsv(v, 2, 3, ['a', 'b,"c"']);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('id,dim_0,dim_1,dim_2');
    expect(lines[1]).toBe('a,0.1,-2.5,0.33333334'); // numpy's repr of float32(1/3)
    expect(lines[2]!.startsWith('"b,""c""",')).toBe(true);
    const back = [...lines[1]!.split(',').slice(1), ...lines[2]!.split(',').slice(-3)].map(Number);
    expect(Float32Array.from(back)).toEqual(v);
  });

  it('numbers rows when no ids are given, and checks id count', () => {
    expect(toCsv(new Float32Array([1, 2]), 2, 1)).toBe('id,dim_0\n0,1\n1,2\n');
    expect(() => toCsv(new Float32Array([1, 2]), 2, 1, ['x'])).toThrow(/ids/);
  });

  it('formatFloat32 uses the shortest digits that survive a float32 round trip', () => {
    for (const x of [0.1, Math.PI, -1e-30, 3.4028234663852886e38, 1.401298464324817e-45, 16777217]) {
      const s = formatFloat32(x);
      expect(Math.fround(Number(s))).toBe(Math.fround(x));
      expect(s.replace(/^-|e.*$|\./g, '').replace(/^0+/, '').length).toBeLessThanOrEqual(9);
    }
    expect(formatFloat32(0.1)).toBe('0.1');
    expect(formatFloat32(NaN)).toBe('nan');
  });
});
