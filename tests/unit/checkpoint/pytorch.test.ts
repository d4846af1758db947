import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CheckpointError, readPytorchBin, ZipReader, writeZip } from '../../../src/model/checkpoint';
import { sharedPath } from '../shared';
import { f32Bytes, PickleWriter, stateDictPickle, torchZip, type TensorSpec } from './torchZip';

const spec = (over: Partial<TensorSpec> & Pick<TensorSpec, 'name' | 'key'>): TensorSpec => ({
  storage: 'FloatStorage',
  numel: 6,
  offset: 0,
  size: [2, 3],
  stride: [3, 1],
  ...over,
});

function expectRefused(bin: Uint8Array, message: RegExp): void {
  expect(() => readPytorchBin(bin)).toThrow(CheckpointError);
  expect(() => readPytorchBin(bin)).toThrow(message);
}

describe('readPytorchBin on synthetic torch.save archives', () => {
  const six = f32Bytes([0, 1, 2, 3, 4, 5]);

  it.each([2, 4])('protocol %i: contiguous, transposed, offset and parameter-wrapped views', (protocol) => {
    const pkl = stateDictPickle(
      [
        spec({ name: 'w', key: '0' }),
        spec({ name: 'wT', key: '0', size: [3, 2], stride: [1, 3] }), // w.t()
        spec({ name: 'row1', key: '0', offset: 3, size: [3], stride: [1] }), // w[1]
        spec({ name: 'col2', key: '0', offset: 2, size: [2], stride: [3] }), // w[:, 2]
        spec({ name: 'bcast', key: '0', offset: 1, size: [2, 2], stride: [0, 1] }), // expand()
        spec({ name: 'p', key: '0', parameter: true }),
      ],
      protocol,
    );
    const w = readPytorchBin(torchZip(pkl, { '0': six }, 'weird top-name'));
    expect(Array.from(w.get('w')!.data)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(w.get('wT')).toEqual({ dtype: 'float32', shape: [3, 2], data: new Float32Array([0, 3, 1, 4, 2, 5]) });
    expect(Array.from(w.get('row1')!.data)).toEqual([3, 4, 5]);
    expect(Array.from(w.get('col2')!.data)).toEqual([2, 5]);
    expect(Array.from(w.get('bcast')!.data)).toEqual([1, 2, 1, 2]);
    expect(Array.from(w.get('p')!.data)).toEqual([0, 1, 2, 3, 4, 5]);
    // Views are copies: changing one must not change another.
    w.get('w')!.data[0] = 99;
    expect(w.get('p')!.data[0]).toBe(0);
  });

  it('decodes half, bfloat16, double, long, int and bool storages', () => {
    const half = new Uint8Array(new Uint16Array([0x3c00, 0xbc00, 0x3800]).buffer);
    const bf16 = new Uint8Array(new Uint16Array([0x4040, 0xbf80]).buffer);
    const dbl = new Uint8Array(new Float64Array([0.25, -8]).buffer);
    const long = new Uint8Array(new BigInt64Array([3n, -7n, 512n]).buffer);
    const int = new Uint8Array(new Int32Array([-1, 2]).buffer);
    const pkl = stateDictPickle([
      spec({ name: 'h', key: 'a', storage: 'HalfStorage', numel: 3, size: [3], stride: [1] }),
      spec({ name: 'b', key: 'b', storage: 'BFloat16Storage', numel: 2, size: [2], stride: [1] }),
      spec({ name: 'd', key: 'c', storage: 'DoubleStorage', numel: 2, size: [2], stride: [1] }),
      spec({ name: 'position_ids', key: 'd', storage: 'LongStorage', numel: 3, size: [1, 3], stride: [3, 1] }),
      spec({ name: 'i', key: 'e', storage: 'IntStorage', numel: 2, size: [2], stride: [1] }),
      spec({ name: 'm', key: 'f', storage: 'BoolStorage', numel: 2, size: [2], stride: [1] }),
    ]);
    const w = readPytorchBin(torchZip(pkl, { a: half, b: bf16, c: dbl, d: long, e: int, f: new Uint8Array([1, 0]) }));
    expect(w.get('h')).toEqual({ dtype: 'float32', shape: [3], data: new Float32Array([1, -1, 0.5]) });
    expect(Array.from(w.get('b')!.data)).toEqual([3, -1]);
    expect(Array.from(w.get('d')!.data)).toEqual([0.25, -8]);
    expect(w.get('position_ids')).toEqual({ dtype: 'int32', shape: [1, 3], data: new Int32Array([3, -7, 512]) });
    expect(Array.from(w.get('i')!.data)).toEqual([-1, 2]);
    expect(Array.from(w.get('m')!.data)).toEqual([1, 0]);
  });

  it('reads a state dict wrapped as {"state_dict": ...}', () => {
    const p = new PickleWriter();
    p.op(0x7d).str('state_dict');
    const inner = stateDictPickle([spec({ name: 'w', key: '0' })]);
    p.op(...inner.subarray(2, inner.length - 1)); // the inner pickle's body without PROTO and STOP
    p.op(0x73);
    expect(Array.from(readPytorchBin(torchZip(p.bytes(), { '0': six })).get('w')!.data)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('readPytorchBin refuses what a state dict never needs', () => {
  const six = f32Bytes([0, 1, 2, 3, 4, 5]);

  it.each([
    ['os', 'system'],
    ['builtins', 'eval'],
    ['posix', 'system'],
    ['torch', 'load'],
    ['__builtin__', 'getattr'],
    ['torch', 'constructor'], // inherited Object property names must not pass the allow-list
  ])('GLOBAL %s.%s is refused by name, before anything runs', (mod, name) => {
    for (const protocol of [2, 4]) {
      const p = new PickleWriter(protocol).global(mod, name);
      p.mark().str('echo pwned').op(0x74, 0x52);
      expectRefused(torchZip(p.bytes(), {}), new RegExp(`pickle refers to ${mod}\\.${name}, which is not allowed`));
    }
  });

  it.each([
    [0x69, 'INST'],
    [0x81, 'NEWOBJ'],
    [0x50, 'PERSID'],
    [0x8f, 'EMPTY_SET'],
    [0x42, 'BINBYTES'],
    [0xff, '0xff'],
  ])('opcode 0x%s (%s) is refused', (op, name) => {
    expectRefused(torchZip(new PickleWriter().op(0x7d, op).bytes(), {}), new RegExp(`opcode ${name} is not allowed`));
  });

  it('REDUCE of an allowed-but-non-callable global is refused', () => {
    const p = new PickleWriter().global('torch', 'FloatStorage').op(0x29, 0x52);
    expectRefused(torchZip(p.bytes(), {}), /REDUCE of torch.FloatStorage is not allowed/);
  });

  it('persistent ids that are not torch storages are refused', () => {
    const p = new PickleWriter()
      .mark()
      .str('storage')
      .global('collections', 'OrderedDict')
      .str('0')
      .str('cpu')
      .int(1)
      .op(0x74, 0x51);
    expectRefused(torchZip(p.bytes(), {}), /unsupported storage type collections.OrderedDict/);
    const q = new PickleWriter()
      .mark()
      .str('storage')
      .global('torch', 'FloatStorage')
      .str('../x')
      .str('cpu')
      .int(1)
      .op(0x74, 0x51);
    expectRefused(torchZip(q.bytes(), {}), /storage key "..\/x" is invalid/);
  });

  it('views reaching past their storage, missing or short storages', () => {
    expectRefused(
      torchZip(stateDictPickle([spec({ name: 'w', key: '0', offset: 1 })]), { '0': six }),
      /tensor w: view .* reaches past its storage of 6 elements/,
    );
    expectRefused(
      torchZip(stateDictPickle([spec({ name: 'w', key: '0' })]), {}),
      /storage file archive\/data\/0 is missing/,
    );
    expectRefused(
      torchZip(stateDictPickle([spec({ name: 'w', key: '0' })]), { '0': six.subarray(0, 20) }),
      /storage 0: 20 bytes, needs 24/,
    );
  });

  it('truncated pickles, stack underflow and a missing data.pkl', () => {
    const pkl = stateDictPickle([spec({ name: 'w', key: '0' })]);
    expectRefused(torchZip(pkl.subarray(0, 60), { '0': six }), /pickle data ends early/);
    expectRefused(torchZip(new Uint8Array([0x80, 2, 0x73, 0x2e]), {}), /stack underflow/);
    expectRefused(writeZip([{ name: 'archive/other.pkl', data: pkl }]), /expected one <folder>\/data.pkl, found 0/);
  });

  it('the legacy pre-1.6 format gets a clear message', () => {
    expectRefused(
      new Uint8Array([0x80, 2, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46]),
      /legacy \(torch < 1.6\) format is not supported/,
    );
  });

  it('the fixture archive is stored (not deflated) and its top folder is not "archive"', () => {
    const zip = new ZipReader(
      new Uint8Array(readFileSync(sharedPath('fixtures', 'bert-parity', 'bert-base', 'pytorch_model.bin'))),
    );
    expect(zip.names()).toContain('pytorch_model/data.pkl');
    expect([...zip.entries.values()].every((e) => e.method === 0)).toBe(true);
  });
});
