// The `train` and `eval` commands in-process on the tiny parity model: JSON lines per epoch, a
// Hugging Face folder that loads back to the same predictions, one-line errors on bad input.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { evalCommand } from '../../../src/cli/eval';
import { trainCommand } from '../../../src/cli/train';
import { readSafetensors } from '../../../src/model/checkpoint';
import { PARITY_DIR, useWasm } from './helpers';

let dir = '';
const MODEL = path.join(PARITY_DIR, 'bert-seqcls');

beforeAll(async () => {
  await useWasm();
  dir = await mkdtemp(path.join(os.tmpdir(), 'train-cli-'));
  const words = ['good', 'great', 'fine', 'bad', 'awful', 'poor', 'movie', 'film', 'plot', 'the'];
  const rows = ['text,label'];
  for (let i = 0; i < 60; i++) {
    const pos = i % 2 === 0;
    rows.push(
      `"${words[6 + (i % 4)]} ${pos ? words[i % 3] : words[3 + (i % 3)]} ${words[(i * 7) % 10]}",${pos ? 'pos' : 'neg'}`,
    );
  }
  await writeFile(path.join(dir, 'data.csv'), rows.join('\n') + '\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await fn(), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const common = (out: string): string[] => [
  '--model',
  MODEL,
  '--train',
  path.join(dir, 'data.csv'),
  '--task',
  'seq-cls',
  '--text-column',
  'text',
  '--label-column',
  'label',
  '--epochs',
  '2',
  '--lr',
  '3e-3',
  '--batch-size',
  '8',
  '--max-length',
  '16',
  '--seed',
  '1',
  '--out',
  out,
];

describe('train / eval commands', () => {
  it('train prints one JSON line per epoch and writes an HF folder that eval reads', async () => {
    const out = path.join(dir, 'linear');
    const r = await capture(() =>
      trainCommand([
        ...common(out),
        '--freeze',
        'embeddings',
        '--valid-fraction',
        '0.2',
        '--warmup-ratio',
        '0.1',
        '--epochs',
        '3',
      ]),
    );
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            epoch: number;
            train_loss: number;
            valid: { accuracy: number; macro_f1: number; per_class: Record<string, { support: number }> };
          },
      );
    expect(lines.map((l) => l.epoch)).toEqual([1, 2, 3]);
    expect(lines[0]!.valid.per_class.neg!.support + lines[0]!.valid.per_class.pos!.support).toBe(12);
    const config = JSON.parse(await readFile(path.join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config.architectures).toEqual(['BertForSequenceClassification']);
    expect(config.id2label).toEqual({ 0: 'neg', 1: 'pos' });
    expect(config.label2id).toEqual({ neg: 0, pos: 1 });
    expect(config.problem_type).toBe('single_label_classification');
    expect(config.hidden_size).toBe(16);
    const weights = readSafetensors(new Uint8Array(await readFile(path.join(out, 'model.safetensors'))));
    expect(weights.get('classifier.weight')!.shape).toEqual([2, 16]);
    expect(weights.get('bert.pooler.dense.weight')!.shape).toEqual([16, 16]);
    expect(weights.get('bert.encoder.layer.1.output.LayerNorm.weight')!.shape).toEqual([16]);
    expect(weights.size).toBe(5 + 2 * 16 + 2 + 2);
    for (const f of ['vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json'])
      expect((await readFile(path.join(out, f))).length).toBeGreaterThan(0);

    const ev = await capture(() =>
      evalCommand([
        '--model',
        out,
        '--data',
        path.join(dir, 'data.csv'),
        '--text-column',
        'text',
        '--label-column',
        'label',
        '--max-length',
        '16',
      ]),
    );
    expect(ev.code).toBe(0);
    const m = JSON.parse(ev.out) as { rows: number; accuracy: number; confusion_matrix: number[][] };
    expect(m.rows).toBe(60);
    expect(m.confusion_matrix.flat().reduce((a, b) => a + b, 0)).toBe(60);
  });

  it('an MLP head round-trips through the exported folder', async () => {
    const out = path.join(dir, 'mlp');
    // Validating on the training file itself, so eval of the exported folder must reproduce the best epoch's numbers.
    const r = await capture(() =>
      trainCommand([
        ...common(out),
        '--freeze',
        'encoder',
        '--head',
        'mlp',
        '--mlp-hidden',
        '8',
        '--mlp-activation',
        'tanh',
        '--valid',
        path.join(dir, 'data.csv'),
        '--epochs',
        '4',
        '--best-metric',
        'loss',
      ]),
    );
    expect(r.code).toBe(0);
    type V = { loss: number; accuracy: number; per_class: unknown };
    const epochs = r.out
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { valid: V }).valid);
    const best = epochs.reduce((a, b) => (b.loss < a.loss ? b : a));
    const ev = await capture(() =>
      evalCommand([
        '--model',
        out,
        '--data',
        path.join(dir, 'data.csv'),
        '--text-column',
        'text',
        '--label-column',
        'label',
        '--max-length',
        '16',
      ]),
    );
    expect(ev.code).toBe(0);
    expect(ev.err).not.toMatch(/randomly initialised/);
    const m = JSON.parse(ev.out) as V;
    expect(m.loss).toBeCloseTo(best.loss, 5);
    expect(m.accuracy).toBe(best.accuracy);
    expect(m.per_class).toEqual(best.per_class);
    const config = JSON.parse(await readFile(path.join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config.studio_head).toEqual({ kind: 'mlp', hidden_size: 8, activation: 'tanh', dropout: null });
  });

  it('bad input exits non-zero with one line on stderr', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[...common(path.join(dir, 'x')), '--freeze', 'lower'], /--freeze must be/],
      [[...common(path.join(dir, 'x')).map((a) => (a === 'text' ? 'txt' : a))], /text column "txt" not found/],
      [[...common(path.join(dir, 'x')), '--lr', 'fast'], /--lr must be a number/],
      [['--train', 'x.csv', '--out', 'y'], /missing required option --model/],
    ];
    for (const [args, re] of cases) {
      const r = await capture(() => trainCommand(args));
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(re);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
