// Seeded mutation fuzzing of parseTable. Each case takes a small real sample, applies a few
// byte-level mutations (flips, inserted quotes/delimiters/newlines/NULs/broken UTF-8, deletions,
// truncations, long runs of one character) and parses it whole or as a stream cut at random byte
// offsets. The contract: parseTable resolves to a well-formed table or rejects with a DataError.
// Runs in a child process (fuzzChild.ts) so the test can kill it if a case never returns.
import { DataError, parseTable, type DataSource, type ParseOptions, type ParsedTable } from '../../../src/data';
import { mulberry32, randomInt } from '../../../src/lib/rng';

export interface FuzzSample {
  name: string;
  bytes: Uint8Array;
}

export interface FuzzFailure {
  index: number;
  sample: string;
  mutations: string[];
  error: string;
  /** Base64 of the mutated bytes, to reproduce the case by hand. */
  input: string;
}

export interface FuzzSummary {
  cases: number;
  parsed: number;
  /** DataError codes seen, with counts. */
  codes: Record<string, number>;
  failures: FuzzFailure[];
  maxCaseMs: number;
}

const enc = new TextEncoder();
// Things that break readers: quotes, every delimiter, line ends, NUL, lone and truncated UTF-8,
// a BOM, JSON brackets and escapes.
const INSERTS: Uint8Array[] = [
  '"',
  '""',
  ',',
  '\t',
  ';',
  '|',
  '\n',
  '\r',
  '\r\n',
  '\0',
  '{',
  '[',
  '}',
  ']',
  '\\',
  '"\n"',
  ',"',
  '"x"y',
]
  .map((s) => enc.encode(s))
  .concat([
    new Uint8Array([0xff]),
    new Uint8Array([0xc3]),
    new Uint8Array([0xe2, 0x82]),
    new Uint8Array([0xed, 0xa0, 0x80]), // a UTF-16 surrogate encoded as UTF-8: invalid
    new Uint8Array([0xef, 0xbb, 0xbf]),
    new Uint8Array([0x92]), // cp1252 right quote
  ]);
const RUN_CHARS = [',', '\t', '"', '[', '{', '\n', 'x', ' '];

type Rand = () => number;
type Mutation = (b: Uint8Array, rand: Rand) => [Uint8Array, string];

const splice = (b: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array => {
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at));
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  return out;
};

const MUTATIONS: Mutation[] = [
  (b, r) => {
    const at = randomInt(r, Math.max(1, b.length));
    const v = randomInt(r, 256);
    const out = b.slice();
    if (out.length > 0) out[at] = v;
    return [out, `set byte ${at} to ${v}`];
  },
  (b, r) => {
    const at = randomInt(r, Math.max(1, b.length));
    const bit = randomInt(r, 8);
    const out = b.slice();
    if (out.length > 0) out[at]! ^= 1 << bit;
    return [out, `flip bit ${bit} of byte ${at}`];
  },
  (b, r) => {
    const at = randomInt(r, b.length + 1);
    const ins = INSERTS[randomInt(r, INSERTS.length)]!;
    return [splice(b, at, 0, ins), `insert ${JSON.stringify(new TextDecoder().decode(ins))} at ${at}`];
  },
  (b, r) => {
    const at = randomInt(r, b.length + 1);
    const n = randomInt(r, 64);
    return [splice(b, at, Math.min(n, b.length - at), new Uint8Array(0)), `delete ${n} at ${at}`];
  },
  (b, r) => {
    const at = randomInt(r, b.length + 1);
    return [b.slice(0, at), `truncate at ${at}`];
  },
  (b, r) => {
    const from = randomInt(r, b.length + 1);
    const n = Math.min(randomInt(r, 200), b.length - from);
    const at = randomInt(r, b.length + 1);
    return [splice(b, at, 0, b.slice(from, from + n)), `copy ${n} from ${from} to ${at}`];
  },
  (b, r) => {
    // long runs reach the column, depth and field-length caps without big inputs
    const ch = RUN_CHARS[randomInt(r, RUN_CHARS.length)]!;
    const n = [10, 100, 1_000, 20_000][randomInt(r, 4)]!;
    const at = randomInt(r, b.length + 1);
    return [splice(b, at, 0, enc.encode(ch.repeat(n))), `insert ${n} x ${JSON.stringify(ch)} at ${at}`];
  },
];

const EXTENSIONS = [undefined, 'csv', 'tsv', 'jsonl', 'txt'];
const SMALL_LIMITS = { maxFieldChars: 300, maxColumns: 6, maxJsonDepth: 3 };

async function* chunked(b: Uint8Array, rand: Rand): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length;) {
    const n = 1 + randomInt(rand, 700);
    yield b.slice(i, i + n);
    i += n;
  }
}

/** What a successful parse promises (ParsedTable's doc comment): rows are rectangular and non-empty. */
function tableProblem(t: ParsedTable): string | null {
  if (t.rows.length === 0) return 'no rows';
  if (t.columns.length === 0) return 'no columns';
  if (new Set(t.columns).size !== t.columns.length) return `duplicate column names ${t.columns.join('|')}`;
  const bad = t.rows.findIndex((r) => r.length !== t.columns.length || r.some((f) => typeof f !== 'string'));
  return bad >= 0 ? `row ${bad + 1} has ${t.rows[bad]!.length} fields, not ${t.columns.length}` : null;
}

const base64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

export async function runFuzz(
  samples: FuzzSample[],
  seed: number,
  count: number,
  onCase?: (i: number) => void,
): Promise<FuzzSummary> {
  const rand = mulberry32(seed);
  const summary: FuzzSummary = { cases: 0, parsed: 0, codes: {}, failures: [], maxCaseMs: 0 };
  for (let i = 0; i < count; i++) {
    onCase?.(i);
    const sample = samples[randomInt(rand, samples.length)]!;
    let bytes = sample.bytes;
    const applied: string[] = [];
    for (let m = 1 + randomInt(rand, 4); m > 0; m--) {
      const [out, what] = MUTATIONS[randomInt(rand, MUTATIONS.length)]!(bytes, rand);
      bytes = out;
      applied.push(what);
    }
    const ext = EXTENSIONS[randomInt(rand, EXTENSIONS.length)];
    const opts: ParseOptions = { fileName: ext ? `fuzz.${ext}` : undefined };
    if (rand() < 0.2) opts.limits = SMALL_LIMITS;
    const streamed = rand() < 0.3;
    applied.push(`${streamed ? 'stream' : 'bytes'} ${ext ?? 'no extension'}${opts.limits ? ' small limits' : ''}`);
    const source: DataSource = streamed ? chunked(bytes, mulberry32(seed + i)) : bytes;
    const t0 = performance.now();
    let error: string | null = null;
    try {
      error = tableProblem(await parseTable(source, opts));
      if (!error) summary.parsed++;
    } catch (e) {
      if (e instanceof DataError) summary.codes[e.code] = (summary.codes[e.code] ?? 0) + 1;
      else error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
    }
    summary.maxCaseMs = Math.max(summary.maxCaseMs, performance.now() - t0);
    summary.cases++;
    if (error)
      summary.failures.push({ index: i, sample: sample.name, mutations: applied, error, input: base64(bytes) });
  }
  return summary;
}
