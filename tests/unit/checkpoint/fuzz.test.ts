// Seeded mutation fuzzing: every corrupted input must either load or throw CheckpointError —
// never a TypeError/RangeError from deep inside a parser, never a hang.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  loadCheckpoint,
  readPytorchBin,
  readSafetensors,
  writeSafetensors,
  writeZip,
  zipSource,
} from '../../../src/model/checkpoint';
import { sharedPath } from '../shared';

// mulberry32: tiny, seedable, good enough to pick bytes.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x30, 0x2e, 0x28, 0x22, 0x7d];
const BUDGET_MS = 2500;

interface Outcome {
  ok: number;
  refused: number;
}

/**
 * Mutates `bytes` in place (1-4 bytes, biased towards `hot` regions), runs `load` on the mutated
 * (sometimes truncated) view, then restores the bytes, so big files are never copied.
 */
async function fuzz(
  bytes: Uint8Array,
  hot: [number, number][],
  seed: number,
  iterations: number,
  load: (b: Uint8Array) => unknown,
): Promise<Outcome> {
  const rand = rng(seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const out: Outcome = { ok: 0, refused: 0 };
  const deadline = performance.now() + BUDGET_MS;
  for (let i = 0; i < iterations && performance.now() < deadline; i++) {
    const saved: [number, number][] = [];
    for (let k = 0, n = 1 + pick(4); k < n; k++) {
      const region: [number, number] = rand() < 0.9 ? hot[pick(hot.length)]! : [0, bytes.length];
      const at = Math.min(bytes.length - 1, region[0] + pick(region[1] - region[0]));
      saved.push([at, bytes[at]!]);
      bytes[at] = rand() < 0.5 ? INTERESTING[pick(INTERESTING.length)]! : bytes[at]! ^ (1 << pick(8));
    }
    const view = rand() < 0.05 ? bytes.subarray(0, pick(bytes.length)) : bytes;
    try {
      await load(view);
      out.ok++;
    } catch (err) {
      if (!(err instanceof CheckpointError)) {
        throw new Error(`seed ${seed} iteration ${i}: ${String(err)} (${(err as Error).stack?.split('\n')[1]})`);
      }
      out.refused++;
    } finally {
      for (const [at, v] of saved.reverse()) bytes[at] = v;
    }
  }
  return out;
}

const fixture = (...p: string[]) => new Uint8Array(readFileSync(sharedPath('fixtures', 'bert-parity', ...p)));

function headerEnd(st: Uint8Array): number {
  return 8 + Number(new DataView(st.buffer, st.byteOffset).getBigUint64(0, true));
}

function expectMix(o: Outcome, minRuns: number): void {
  expect(o.ok + o.refused).toBeGreaterThanOrEqual(minRuns);
  expect(o.refused).toBeGreaterThan(0);
  expect(o.ok).toBeGreaterThan(0);
}

describe('mutation fuzzing (seeded, time-bounded)', () => {
  it('safetensors: a small synthetic file and a real checkpoint header', async () => {
    const small = writeSafetensors(
      new Map([
        ['a', { dtype: 'float32', shape: [2, 3], data: new Float32Array(6).fill(1.5) }],
        ['b', { dtype: 'int32', shape: [3], data: new Int32Array([1, 2, 3]) }],
        ['c', { dtype: 'float32', shape: [], data: new Float32Array([7]) }],
      ]),
      { format: 'pt' },
      { int64: true },
    );
    const o1 = await fuzz(small, [[0, small.length]], 1, 1000, readSafetensors);
    const real = fixture('bert-qa', 'model.safetensors');
    const o2 = await fuzz(real, [[0, headerEnd(real)]], 2, 400, readSafetensors);
    expectMix(o1, 300);
    expectMix(o2, 100);
  });

  it('pytorch_model.bin: pickle, zip headers and central directory', async () => {
    const bin = fixture('bert-base', 'pytorch_model.bin');
    const o = await fuzz(
      bin,
      [
        [0, 8000],
        [bin.length - 5000, bin.length],
      ],
      3,
      600,
      readPytorchBin,
    );
    expectMix(o, 150);
  });

  it('zipped model folder through zipSource + loadCheckpoint', async () => {
    const st = writeSafetensors(
      new Map([['w', { dtype: 'float32', shape: [4, 4], data: new Float32Array(16).fill(0.25) }]]),
    );
    const zip = writeZip([
      {
        name: 'm/config.json',
        data: new TextEncoder().encode(JSON.stringify({ hidden_size: 16, vocab_size: 30522 }).repeat(20)),
      },
      { name: 'm/model.safetensors', data: st },
    ]);
    const load = async (b: Uint8Array) => {
      const src = zipSource(b);
      await src.readText('config.json');
      return loadCheckpoint(src);
    };
    const o = await fuzz(zip, [[0, zip.length]], 4, 800, load);
    expectMix(o, 200);
  });
});
