// A restricted pickle virtual machine: the opcodes of CPython's Lib/pickle.py (protocols 2-5)
// that plain data needs (dicts, lists, tuples, strings, numbers, memo), and nothing that builds
// arbitrary objects. It never imports or calls anything: GLOBAL, REDUCE, BUILD and persistent ids
// are handed to a policy (pickleTorch.ts) that maps a short allow-list to inert data and refuses
// the rest; any other opcode is refused with its name.
import { PickleDict, PickleTuple, type PickleValue } from './pickleValues';
import { CheckpointError } from './types';

export interface PicklePolicy {
  global(module: string, name: string): PickleValue;
  reduce(fn: PickleValue, args: PickleValue): PickleValue;
  build(target: PickleValue, state: PickleValue): void;
  persistentLoad(pid: PickleValue): PickleValue;
}

// opcode byte (hex) and name, from Lib/pickle.py; the first block is what this VM runs.
const SUPPORTED = `
  80 PROTO  95 FRAME  2e STOP  28 MARK  30 POP  31 POP_MARK  32 DUP  29 EMPTY_TUPLE  5d EMPTY_LIST
  7d EMPTY_DICT  4e NONE  88 NEWTRUE  89 NEWFALSE  4a BININT  4b BININT1  4d BININT2  8a LONG1
  47 BINFLOAT  58 BINUNICODE  8c SHORT_BINUNICODE  8d BINUNICODE8  74 TUPLE  85 TUPLE1  86 TUPLE2
  87 TUPLE3  6c LIST  64 DICT  61 APPEND  65 APPENDS  73 SETITEM  75 SETITEMS  71 BINPUT
  72 LONG_BINPUT  94 MEMOIZE  68 BINGET  6a LONG_BINGET  63 GLOBAL  93 STACK_GLOBAL  51 BINPERSID
  52 REDUCE  62 BUILD`;
const REFUSED = `
  69 INST  6f OBJ  81 NEWOBJ  92 NEWOBJ_EX  50 PERSID  82 EXT1  83 EXT2  84 EXT4  49 INT  4c LONG
  46 FLOAT  53 STRING  54 BINSTRING  55 SHORT_BINSTRING  56 UNICODE  67 GET  70 PUT  8b LONG4
  42 BINBYTES  43 SHORT_BINBYTES  8e BINBYTES8  8f EMPTY_SET  90 ADDITEMS  91 FROZENSET
  96 BYTEARRAY8  97 NEXT_BUFFER  98 READONLY_BUFFER`;

const OPCODE_NAMES = new Map<number, string>();
for (const m of (SUPPORTED + REFUSED).matchAll(/([0-9a-f]{2}) (\w+)/g)) OPCODE_NAMES.set(parseInt(m[1]!, 16), m[2]!);

export function opcodeName(op: number): string {
  return OPCODE_NAMES.get(op) ?? `0x${op.toString(16).padStart(2, '0')}`;
}

/** Runs a pickle and returns its result; globals, REDUCE and persistent ids go through `policy`. */
export function unpickle(bytes: Uint8Array, policy: PicklePolicy): PickleValue {
  return new Machine(bytes, policy).run();
}

class Machine {
  private pos = 0;
  // Like CPython's Unpickler: MARK saves the current stack on a metastack and starts a new one.
  private stack: PickleValue[] = [];
  private readonly metastack: PickleValue[][] = [];
  private readonly memo = new Map<number, PickleValue>();
  private readonly dv: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly policy: PicklePolicy,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  run(): PickleValue {
    for (;;) {
      const at = this.pos;
      const op = this.u8();
      if (op === 0x2e) return this.pop(); // STOP
      try {
        this.step(op);
      } catch (err) {
        if (err instanceof CheckpointError && !err.message.startsWith('pickle')) {
          throw new CheckpointError(`pickle opcode ${opcodeName(op)} at byte ${at}: ${err.message}`);
        }
        throw err;
      }
    }
  }

  private step(op: number): void {
    switch (op) {
      case 0x80: {
        const v = this.u8();
        if (v < 2 || v > 5) this.fail(`unsupported pickle protocol ${v}`);
        return;
      }
      case 0x95:
        this.take(8);
        return; // FRAME: framing only matters for streaming readers
      case 0x28:
        this.metastack.push(this.stack);
        this.stack = [];
        return;
      case 0x29:
        this.push(new PickleTuple([]));
        return;
      case 0x5d:
        this.push([]);
        return;
      case 0x7d:
        this.push(new PickleDict());
        return;
      case 0x4e:
        this.push(null);
        return;
      case 0x88:
        this.push(true);
        return;
      case 0x89:
        this.push(false);
        return;
      case 0x4a:
        this.push(this.dv.getInt32(this.take(4), true));
        return;
      case 0x4b:
        this.push(this.u8());
        return;
      case 0x4d:
        this.push(this.dv.getUint16(this.take(2), true));
        return;
      case 0x8a:
        this.push(this.long1());
        return;
      case 0x47:
        this.push(this.dv.getFloat64(this.take(8), false));
        return;
      case 0x58:
        this.push(this.str(this.dv.getUint32(this.take(4), true)));
        return;
      case 0x8c:
        this.push(this.str(this.u8()));
        return;
      case 0x8d:
        this.push(this.str(this.u64()));
        return;
      case 0x74:
        this.push(new PickleTuple(this.popMark()));
        return;
      case 0x85:
        this.push(new PickleTuple(this.popN(1)));
        return;
      case 0x86:
        this.push(new PickleTuple(this.popN(2)));
        return;
      case 0x87:
        this.push(new PickleTuple(this.popN(3)));
        return;
      case 0x6c:
        this.push(this.popMark());
        return;
      case 0x64: {
        const d = new PickleDict();
        this.setItems(d, this.popMark());
        this.push(d);
        return;
      }
      case 0x61: {
        const v = this.pop();
        this.list(this.top()).push(v);
        return;
      }
      case 0x65: {
        const items = this.popMark();
        const l = this.list(this.top());
        for (const v of items) l.push(v);
        return;
      }
      case 0x73: {
        const v = this.pop();
        const k = this.pop();
        this.setItems(this.top(), [k, v]);
        return;
      }
      case 0x75: {
        const items = this.popMark();
        this.setItems(this.top(), items);
        return;
      }
      case 0x71:
        this.memo.set(this.u8(), this.top());
        return;
      case 0x72:
        this.memo.set(this.dv.getUint32(this.take(4), true), this.top());
        return;
      case 0x94:
        this.memo.set(this.memo.size, this.top());
        return;
      case 0x68:
        this.push(this.get(this.u8()));
        return;
      case 0x6a:
        this.push(this.get(this.dv.getUint32(this.take(4), true)));
        return;
      case 0x30:
        if (this.stack.length) this.stack.pop();
        else this.popMark();
        return;
      case 0x31:
        this.popMark();
        return;
      case 0x32:
        this.push(this.top());
        return;
      case 0x63:
        this.push(this.policy.global(this.line(), this.line()));
        return;
      case 0x93: {
        const name = this.pop();
        const mod = this.pop();
        this.push(this.policy.global(this.text(mod), this.text(name)));
        return;
      }
      case 0x51:
        this.push(this.policy.persistentLoad(this.pop()));
        return;
      case 0x52: {
        const args = this.pop();
        const fn = this.pop();
        this.push(this.policy.reduce(fn, args));
        return;
      }
      case 0x62:
        this.build();
        return;
      default:
        this.fail(`pickle opcode ${opcodeName(op)} is not allowed in a checkpoint (refused)`);
    }
  }

  // Evaluates its argument before reading this.stack: popMark swaps the stack.
  private push(v: PickleValue): void {
    this.stack.push(v);
  }
  private fail(msg: string): never {
    throw new CheckpointError(msg);
  }
  private take(n: number): number {
    if (n > this.bytes.byteLength - this.pos) this.fail('pickle data ends early (truncated file?)');
    const at = this.pos;
    this.pos += n;
    return at;
  }
  private u8(): number {
    return this.bytes[this.take(1)]!;
  }
  private u64(): number {
    const at = this.take(8);
    const v = this.dv.getUint32(at, true) + this.dv.getUint32(at + 4, true) * 2 ** 32;
    if (!Number.isSafeInteger(v)) this.fail('length out of range');
    return v;
  }
  private str(n: number): string {
    const at = this.take(n);
    return new TextDecoder().decode(this.bytes.subarray(at, at + n));
  }
  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) this.fail('pickle data ends early (unterminated GLOBAL)');
    return this.str(end - this.pos + 1).slice(0, -1);
  }
  private long1(): number {
    const n = this.u8();
    const at = this.take(n);
    if (n === 0) return 0;
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.bytes[at + i]!);
    if (this.bytes[at + n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
      this.fail(`integer ${v} out of range`);
    return Number(v);
  }
  private pop(): PickleValue {
    if (!this.stack.length) this.fail('stack underflow');
    return this.stack.pop()!;
  }
  private top(): PickleValue {
    if (!this.stack.length) this.fail('stack underflow');
    return this.stack[this.stack.length - 1]!;
  }
  private popN(n: number): PickleValue[] {
    const out: PickleValue[] = [];
    for (let i = 0; i < n; i++) out.unshift(this.pop());
    return out;
  }
  private popMark(): PickleValue[] {
    const outer = this.metastack.pop();
    if (!outer) this.fail('MARK not found');
    const items = this.stack;
    this.stack = outer;
    return items;
  }
  private get(i: number): PickleValue {
    const v = this.memo.get(i);
    if (v === undefined) this.fail(`memo key ${i} not found`);
    return v;
  }
  private text(v: PickleValue): string {
    if (typeof v !== 'string') this.fail('STACK_GLOBAL needs two strings');
    return v;
  }
  private list(v: PickleValue): PickleValue[] {
    if (!Array.isArray(v)) this.fail('APPEND target is not a list');
    return v;
  }
  private setItems(target: PickleValue, kv: PickleValue[]): void {
    if (!(target instanceof PickleDict)) this.fail('SETITEM target is not a dict');
    if (kv.length % 2) this.fail('odd number of items for SETITEMS');
    for (let i = 0; i < kv.length; i += 2) {
      const k = kv[i];
      if (typeof k !== 'string' && typeof k !== 'number') this.fail('dict key is not a string or integer');
      target.map.set(k, kv[i + 1]!);
    }
  }
  private build(): void {
    const state = this.pop();
    this.policy.build(this.top(), state);
  }
}
