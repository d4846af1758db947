// End-to-end `embed` CLI: the fixture's single texts in a CSV, embeddings out as .npy and .csv,
// compared with mean pooling of the PyTorch fixture's last_hidden_state.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, FIXTURE_DIR, out } from '../model/helpers';
import { maxAbsDiff } from '../train/helpers';
import { REPO_ROOT } from '../shared';

const H = 16;

/** Mean of the fixture's last_hidden_state over real tokens, rows 0..n-1. */
function meanPooled(n: number): Float32Array {
  const hs = out('main.base.last_hidden_state');
  const mask = out('main.attention_mask').data;
  const s = hs.shape[1]!;
  const res = new Float32Array(n * H);
  for (let i = 0; i < n; i++) {
    let count = 0;
    const acc = new Float64Array(H);
    for (let t = 0; t < s; t++) {
      if (mask[i * s + t] !== 1) continue;
      count++;
      for (let j = 0; j < H; j++) acc[j]! += hs.data[(i * s + t) * H + j]!;
    }
    for (let j = 0; j < H; j++) res[i * H + j] = acc[j]! / count;
  }
  return res;
}

function runEmbed(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'embed', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('embed CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'embed-cli-'));
  const texts = (fixture() as unknown as { texts: Array<string | string[]> }).texts.filter(
    (t): t is string => typeof t === 'string',
  );
  const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  const data = path.join(dir, 'texts.csv');
  writeFileSync(data, ['id,text', ...texts.map((t, i) => `${q(`row ${i}`)},${q(t)}`)].join('\n') + '\n');
  const model = `${FIXTURE_DIR}/bert-base`;

  it('writes .npy and .csv embeddings equal to mean pooling of the fixture', () => {
    expect(texts.length).toBe(8);
    const npy = path.join(dir, 'e.npy');
    const r1 = runEmbed(['--model', model, '--data', data, '--text-column', 'text', '--out', npy]);
    expect(r1.status, r1.stderr).toBe(0);
    expect(r1.stderr).toContain('8 rows x 16 dims');
    const bytes = readFileSync(npy);
    const hlen = bytes.readUInt16LE(8);
    expect(bytes.subarray(10, 10 + hlen).toString('latin1')).toContain("'shape': (8, 16)");
    const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 10 + hlen, bytes.byteOffset + bytes.length));
    const want = meanPooled(8);
    expect(maxAbsDiff(values, want)).toBeLessThan(1e-5);

    const csv = path.join(dir, 'e.csv');
    const r2 = runEmbed(['--model', model, '--data', data, '--text-column', 'text', '--id-column', 'id', '--out', csv]);
    expect(r2.status, r2.stderr).toBe(0);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(9);
    expect(lines[0]).toBe(['id', ...Array.from({ length: H }, (_, j) => `dim_${j}`)].join(','));
    expect(lines[3]!.startsWith('row 2,')).toBe(true);
    const fromCsv = lines.slice(1).flatMap((l) => l.split(',').slice(1).map(Number));
    expect(maxAbsDiff(Float32Array.from(fromCsv), values)).toBe(0); // the CSV digits round-trip float32 exactly
  });

  it('fails with exit code 2 and a clear message on a bad column or option', () => {
    const r = runEmbed(['--model', model, '--data', data, '--text-column', 'nope', '--out', path.join(dir, 'x.csv')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('text column "nope" not found');
    const p = runEmbed(['--model', model, '--data', data, '--text-column', 'text', '--pooling', 'max', '--out', 'x']);
    expect(p.status).toBe(2);
    expect(p.stderr).toContain('--pooling must be one of mean, cls');
  });
});
