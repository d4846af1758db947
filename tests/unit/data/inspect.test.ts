// The `inspect` CLI command: one JSON object on stdout, or one error line on stderr and exit 1.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTable, tokenLengthStats } from '../../../src/data';
import { loadBertTokenizer } from '../../../src/tokenizer';
import { REPO_ROOT, sharedPath } from '../shared';
import { dataPath, fixturePath, runInspect } from './helpers';

const MODEL = sharedPath('models/studio-bert-tiny-mlm');

describe('inspect', () => {
  it('RTE with --model: layout, labels, token lengths from the real tokenizer', async () => {
    const { code, out, err } = await runInspect([dataPath('rte/train.tsv'), '--model', MODEL]);
    expect([code, err]).toEqual([0, '']);
    expect(out.trim().split('\n').length).toBe(1);
    const r = JSON.parse(out) as Record<string, unknown>;
    expect(r).toMatchObject({
      rows: 2490,
      delimiter: '\t',
      quoting: 'none',
      encoding: 'utf-8',
      has_header: true,
      text_column: 'sentence1',
      text_pair_column: 'sentence2',
      label_column: 'label',
    });
    expect(r.labels).toEqual({ entailment: 1249, not_entailment: 1241 });
    // same numbers computed directly: tokenizer on every pair, then nearest-rank percentiles
    const tok = loadBertTokenizer({
      vocabTxt: readFileSync(path.join(MODEL, 'vocab.txt'), 'utf8'),
      tokenizerConfigJson: readFileSync(path.join(MODEL, 'tokenizer_config.json'), 'utf8'),
    });
    const t = await parseTable(readFileSync(dataPath('rte/train.tsv'), 'utf8'));
    const lengths = t.rows.map((row) => tok.encode(row[1]!, row[2]!).inputIds.length).sort((a, b) => a - b);
    const p95 = lengths[Math.ceil(0.95 * lengths.length) - 1]!;
    expect(r.token_lengths).toMatchObject({
      p50: lengths[Math.ceil(0.5 * lengths.length) - 1],
      p95,
      max: lengths.at(-1),
      suggested_max_length: tokenLengthStats(lengths, 512).suggestedMaxLength,
    });
    expect((r.token_lengths as { suggested_max_length: number }).suggested_max_length).toBe(Math.ceil(p95 / 8) * 8);
    expect((r.warnings as { code: string }[]).map((w) => w.code)).toEqual(['control-characters', 'duplicate-rows']);
  });

  it('--label-column / --text-column override the guess; no --model means no token_lengths', async () => {
    const { code, out } = await runInspect([
      dataPath('goemotions/goemotions_dev.csv'),
      '--text-column',
      'text',
      '--label-column',
      'labels',
      '--multi-label',
    ]);
    expect(code).toBe(0);
    const r = JSON.parse(out) as Record<string, unknown>;
    expect(r).toMatchObject({ rows: 5426, label_column: 'labels', multi_label: true });
    expect((r.labels as Record<string, number>).neutral).toBe(1766);
    expect(r.token_lengths).toBeUndefined();
  });

  it('unreadable files: one line on stderr, exit code 1', async () => {
    for (const [file, code] of [
      [fixturePath('binary_garbage.bin'), 'binary-file'],
      [fixturePath('unbalanced_quotes.csv'), 'unbalanced-quotes'],
      [fixturePath('nope.csv'), 'ENOENT'],
    ]) {
      const r = await runInspect([file!]);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err.endsWith('\n') && r.err.trim().split('\n').length === 1).toBe(true);
      expect(r.err).toContain(`[${code}]`);
    }
  });

  it('runs through main.ts as a process', () => {
    const res = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'inspect', fixturePath('header_only.csv')],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(res.status).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(
      /^error \[header-only\]: .*header_only\.csv: The file has a header row \(text, label\) but no data rows\.\n$/,
    );
  });
});
