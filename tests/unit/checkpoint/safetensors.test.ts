import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  readSafetensors,
  readSafetensorsFile,
  writeSafetensors,
  type WeightMap,
} from '../../../src/model/checkpoint';

/** A safetensors file with a hand-written header (object or raw text) and data section. */
function rawFile(header: unknown, data: Uint8Array, declaredLen?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declaredLen ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const sample = (): WeightMap =>
  new Map([
    [
      'a.weight',
      { dtype: 'float32' as const, shape: [2, 3], data: new Float32Array([1, -2.5, 3e-8, Infinity, -0, 1e30]) },
    ],
    ['ids', { dtype: 'int32' as const, shape: [4], data: new Int32Array([0, -1, 2147483647, -2147483648]) }],
    ['scalar', { dtype: 'float32' as const, shape: [], data: new Float32Array([42]) }],
    ['empty', { dtype: 'float32' as const, shape: [0, 5], data: new Float32Array(0) }],
  ]);

function expectError(bytes: Uint8Array, message: RegExp): void {
  expect(() => readSafetensors(bytes)).toThrow(CheckpointError);
  expect(() => readSafetensors(bytes)).toThrow(message);
}

describe('writeSafetensors / readSafetensors', () => {
  it.each([false, true])('round-trips exactly (int64 = %s), keeping order and metadata', (int64) => {
    const w = sample();
    const bytes = writeSafetensors(w, { format: 'pt', note: 'x' }, { int64 });
    const { weights, metadata } = readSafetensorsFile(bytes);
    expect(metadata).toEqual({ format: 'pt', note: 'x' });
    expect([...weights.keys()]).toEqual([...w.keys()]);
    for (const [name, t] of w) {
      expect(weights.get(name)).toEqual(t);
    }
  });

  it('lays the header out like the Rust crate: compact JSON, __metadata__ first, space padded to 8', () => {
    const bytes = writeSafetensors(new Map([['x', { dtype: 'float32', shape: [1], data: new Float32Array([1]) }]]));
    const len = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(len % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + len));
    expect(text.trimEnd()).toBe(
      '{"__metadata__":{"format":"pt"},"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
    );
    expect(text.slice(text.trimEnd().length)).toMatch(/^ *$/);
    expect(Array.from(bytes.subarray(8 + len))).toEqual([0, 0, 0x80, 0x3f]);
  });

  it('decodes F16, BF16, F64, I64, I8, U8, BOOL into float32 / int32', () => {
    const dv = (n: number, f: (d: DataView) => void): Uint8Array => {
      const b = new Uint8Array(n);
      f(new DataView(b.buffer));
      return b;
    };
    const f16 = dv(8, (d) => [0x3c00, 0xc000, 0x0001, 0x7c00].forEach((h, i) => d.setUint16(i * 2, h, true)));
    const bf16 = dv(4, (d) => [0x3f80, 0xc0a0].forEach((h, i) => d.setUint16(i * 2, h, true)));
    const f64 = dv(8, (d) => d.setFloat64(0, 0.1, true));
    const i64 = dv(16, (d) => [-5n, 70000n].forEach((v, i) => d.setBigInt64(i * 8, v, true)));
    const data = new Uint8Array([...f16, ...bf16, ...f64, ...i64, 0xff, 0xff, 1]);
    const header = {
      h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] },
      b: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] },
      d: { dtype: 'F64', shape: [], data_offsets: [12, 20] },
      l: { dtype: 'I64', shape: [2], data_offsets: [20, 36] },
      s: { dtype: 'I8', shape: [1], data_offsets: [36, 37] },
      u: { dtype: 'U8', shape: [1], data_offsets: [37, 38] },
      t: { dtype: 'BOOL', shape: [1], data_offsets: [38, 39] },
    };
    const w = readSafetensors(rawFile(header, data));
    expect(Array.from(w.get('h')!.data)).toEqual([1, -2, 2 ** -24, Infinity]);
    expect(Array.from(w.get('b')!.data)).toEqual([1, -5]);
    expect(w.get('d')!.data[0]).toBe(Math.fround(0.1));
    expect(w.get('l')).toEqual({ dtype: 'int32', shape: [2], data: new Int32Array([-5, 70000]) });
    expect(Array.from(w.get('s')!.data)).toEqual([-1]);
    expect(Array.from(w.get('u')!.data)).toEqual([255]);
    expect(Array.from(w.get('t')!.data)).toEqual([1]);
  });

  it('reads tensors at unaligned offsets', () => {
    const data = new Uint8Array(7);
    new DataView(data.buffer).setFloat32(3, 1.5, true);
    const w = readSafetensors(
      rawFile(
        { p: { dtype: 'U8', shape: [3], data_offsets: [0, 3] }, x: { dtype: 'F32', shape: [1], data_offsets: [3, 7] } },
        data,
      ),
    );
    expect(w.get('x')!.data[0]).toBe(1.5);
  });
});

describe('readSafetensors refuses hostile or broken files', () => {
  const good = writeSafetensors(sample());
  const f32 = (n: number) => new Uint8Array(n * 4);

  it('file shorter than 8 bytes', () => expectError(good.subarray(0, 5), /shorter than its 8-byte header length/));
  it('truncated header', () => expectError(good.subarray(0, 40), /larger than the file.*truncated/));
  it('truncated data', () => expectError(good.subarray(0, good.length - 3), /tensor .*fall outside/));
  it('header length beyond the 100 MB cap', () =>
    expectError(rawFile({}, new Uint8Array(0), 2n ** 62n), /exceeds the 100000000-byte limit/));
  it('header that is not JSON', () => expectError(rawFile('{"a": ', new Uint8Array(0)), /not valid UTF-8 JSON/));
  it('header that is invalid UTF-8', () =>
    expectError(
      rawFile('{}', new Uint8Array(0)).map((b, i) => (i === 8 ? 0xff : b)),
      /not valid UTF-8 JSON/,
    ));
  it.each(['[]', 'null', '3', '"x"'])('header %s is not an object', (h) =>
    expectError(rawFile(h, new Uint8Array(0)), /not a JSON object/),
  );
  it('entry that is not an object', () =>
    expectError(rawFile({ w: 3 }, f32(1)), /tensor w: header entry is not an object/));
  it('unknown dtype', () =>
    expectError(
      rawFile({ w: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, f32(1)),
      /tensor w: unsupported dtype "F8_E4M3"/,
    ));
  it('negative / fractional shape', () =>
    expectError(
      rawFile({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32(1)),
      /tensor w: invalid shape/,
    ));
  it('offsets outside the data', () =>
    expectError(
      rawFile({ w: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, f32(2)),
      /tensor w: data offsets \[4, 12\] fall outside the 8-byte data section/,
    ));
  it('reversed offsets', () =>
    expectError(rawFile({ w: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, f32(2)), /tensor w: data offsets/));
  it('missing offsets', () =>
    expectError(
      rawFile({ w: { dtype: 'F32', shape: [1] } }, f32(1)),
      /tensor w: data_offsets undefined are not two integers/,
    ));
  it('shape / byte count mismatch', () =>
    expectError(
      rawFile({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32(2)),
      /tensor w: shape \[3\] x F32 needs 12 bytes, offsets give 8/,
    ));
  it('overlapping tensors', () =>
    expectError(
      rawFile(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
        },
        f32(3),
      ),
      /tensor b: bytes \[4, 12\] overlap tensor a \[0, 8\]/,
    ));
  it('bad __metadata__', () =>
    expectError(rawFile({ __metadata__: { n: 1 } }, new Uint8Array(0)), /__metadata__ must be an object of strings/));
  it('int64 values outside int32', () => {
    const d = new Uint8Array(8);
    new DataView(d.buffer).setBigInt64(0, 2n ** 40n, true);
    expectError(
      rawFile({ big: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, d),
      /tensor big: int64 value 1099511627776 does not fit in int32/,
    );
  });
  it('writer refuses data that does not match the shape or dtype', () => {
    expect(() =>
      writeSafetensors(new Map([['w', { dtype: 'float32', shape: [3], data: new Float32Array(2) }]])),
    ).toThrow(/shape \[3\] has 3 elements, data has 2/);
    expect(() => writeSafetensors(new Map([['w', { dtype: 'float32', shape: [2], data: new Int32Array(2) }]]))).toThrow(
      /does not match its Int32Array/,
    );
  });
});
