// Test helper: writes pickles and torch.save-style zips byte by byte, following the opcode
// layout torch.save (pickle protocol 2) produces, so tests can cover dtypes, strided views and
// hostile payloads that the fixtures do not contain.
import { writeZip } from '../../../src/model/checkpoint';

export class PickleWriter {
  private readonly out: number[] = [];
  constructor(private readonly protocol = 2) {
    this.op(0x80, protocol);
  }
  op(...bytes: number[]): this {
    this.out.push(...bytes);
    return this;
  }
  u32(n: number): this {
    return this.op(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    if (this.protocol >= 4 && b.length < 256) return this.op(0x8c, b.length, ...b); // SHORT_BINUNICODE
    return this.op(0x58)
      .u32(b.length)
      .op(...b); // BINUNICODE
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.op(0x4b, n); // BININT1
    if (n >= 0 && n < 65536) return this.op(0x4d, n & 0xff, n >> 8); // BININT2
    return this.op(0x4a).u32(n); // BININT
  }
  global(module: string, name: string): this {
    if (this.protocol >= 4) return this.str(module).str(name).op(0x93); // STACK_GLOBAL
    return this.op(0x63, ...new TextEncoder().encode(`${module}\n${name}\n`)); // GLOBAL
  }
  mark(): this {
    return this.op(0x28);
  }
  tuple(items: number[]): this {
    this.mark();
    for (const i of items) this.int(i);
    return this.op(0x74);
  }
  bytes(): Uint8Array {
    return new Uint8Array([...this.out, 0x2e]); // STOP
  }
}

export interface TensorSpec {
  name: string;
  storage: string; // torch storage class, e.g. 'FloatStorage'
  key: string;
  numel: number; // storage element count
  offset: number;
  size: number[];
  stride: number[];
  parameter?: boolean; // wrap in torch._utils._rebuild_parameter
}

/** A state dict pickle as torch.save writes it: OrderedDict of _rebuild_tensor_v2(...) calls. */
export function stateDictPickle(tensors: TensorSpec[], protocol = 2): Uint8Array {
  const p = new PickleWriter(protocol);
  p.global('collections', 'OrderedDict').op(0x29, 0x52); // OrderedDict()
  p.mark();
  for (const t of tensors) {
    p.str(t.name);
    if (t.parameter) p.global('torch._utils', '_rebuild_parameter').mark();
    p.global('torch._utils', '_rebuild_tensor_v2');
    p.mark();
    p.mark().str('storage').global('torch', t.storage).str(t.key).str('cpu').int(t.numel).op(0x74, 0x51); // BINPERSID
    p.int(t.offset).tuple(t.size).tuple(t.stride).op(0x89); // requires_grad False
    p.global('collections', 'OrderedDict').op(0x29, 0x52); // backward hooks
    p.op(0x74, 0x52); // TUPLE, REDUCE
    if (t.parameter) p.op(0x89).global('collections', 'OrderedDict').op(0x29, 0x52, 0x74, 0x52);
  }
  p.op(0x75); // SETITEMS
  p.op(0x7d, 0x62); // BUILD with an empty state (the real one is state_dict._metadata)
  return p.bytes();
}

export function torchZip(pickle: Uint8Array, storages: Record<string, Uint8Array>, top = 'archive'): Uint8Array {
  const files = [{ name: `${top}/data.pkl`, data: pickle }];
  for (const [key, data] of Object.entries(storages)) files.push({ name: `${top}/data/${key}`, data });
  files.push({ name: `${top}/version`, data: new TextEncoder().encode('3\n') });
  return writeZip(files, { level: 0 });
}

export function f32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}
