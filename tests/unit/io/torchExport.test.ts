// Exports our models, loads the folders with the PyTorch reference (shared/tools/bertref) and
// checks: no missing or unexpected keys, and the same logits as our forward pass. Needs
// /usr/bin/python3 with torch; skipped (with the reason printed) where torch is missing, e.g. CI.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/lib/rng';
import { loadBertFromWeights, parseBertConfig, type HeadKind } from '../../../src/model';
import { readSafetensors, type WeightMap } from '../../../src/model/checkpoint';
import { buildHfExport } from '../../../src/io';
import { sharedPath } from '../shared';

const PYTHON = '/usr/bin/python3';
const BERTREF = sharedPath('tools', 'bertref');
const FIX = sharedPath('fixtures', 'bert-parity');

function torchMissing(): string | null {
  if (!fs.existsSync(path.join(BERTREF, 'ref_bert.py'))) return `no PyTorch reference at ${BERTREF}`;
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not runnable: ${r.error.message}`;
  if (r.status !== 0) return `${PYTHON} has no torch (${r.stderr.trim().split('\n').pop()})`;
  return null;
}
const skipReason = torchMissing();
if (skipReason) console.log(`[io/torchExport] skipped: ${skipReason}`);

interface Batch {
  input_ids: number[][];
  token_type_ids: number[][];
  attention_mask: number[][];
}
const CASES: { folder: string; head: HeadKind; outputs: string[] }[] = [
  { folder: 'bert-seqcls', head: 'seq-cls', outputs: ['logits'] },
  { folder: 'bert-tokcls', head: 'token-cls', outputs: ['logits'] },
  { folder: 'bert-qa', head: 'qa', outputs: ['start_logits', 'end_logits'] },
  { folder: 'bert-mlm', head: 'mlm', outputs: ['logits'] },
];

/** Fixture weights plus seeded noise, so the export carries weights PyTorch has never seen. */
function perturbed(folder: string, seed: number): WeightMap {
  const rand = mulberry32(seed);
  const w = readSafetensors(fs.readFileSync(path.join(FIX, folder, 'model.safetensors')));
  for (const t of w.values()) {
    const d = t.data as Float32Array;
    for (let i = 0; i < d.length; i++) d[i] = d[i]! + 0.02 * (rand() - 0.5);
  }
  return w;
}

describe.skipIf(skipReason !== null)('export loads in the PyTorch reference', () => {
  let dir = '';
  const ours = new Map<string, { data: Float32Array; shape: number[] }>();
  let theirs: WeightMap = new Map();
  let report: Record<string, { architecture: string; missing: string[]; unexpected: string[] }> = {};
  const batch = (JSON.parse(fs.readFileSync(path.join(FIX, 'fixture.json'), 'utf8')) as { batches: { main: Batch } })
    .batches.main;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'io-torch-'));
    const vocabText = fs.readFileSync(path.join(FIX, 'bert-seqcls', 'vocab.txt'), 'utf8');
    const inputs = {
      inputIds: tf.tensor2d(batch.input_ids, undefined, 'int32'),
      tokenTypeIds: tf.tensor2d(batch.token_type_ids, undefined, 'int32'),
      attentionMask: tf.tensor2d(batch.attention_mask, undefined, 'int32'),
    };
    for (const [k, c] of CASES.entries()) {
      const fixtureConfig = JSON.parse(fs.readFileSync(path.join(FIX, c.folder, 'config.json'), 'utf8')) as {
        id2label?: Record<string, string>;
      };
      const { model } = loadBertFromWeights(parseBertConfig(fixtureConfig), perturbed(c.folder, 1000 + k), {
        head: c.head,
      });
      const out = model.headForward(inputs);
      const tensors: Record<string, tf.Tensor> =
        out.kind === 'qa'
          ? { start_logits: out.startLogits, end_logits: out.endLogits }
          : 'logits' in out
            ? { logits: out.logits }
            : {};
      for (const [name, t] of Object.entries(tensors)) {
        const kept = c.head === 'mlm' ? t.slice([0, 0, 0], [-1, 4, -1]) : t;
        ours.set(`${c.folder}.${name}`, { data: (await kept.data()) as Float32Array, shape: kept.shape });
        tf.dispose([t, kept]);
      }
      const labels = Object.values(fixtureConfig.id2label ?? {});
      const files = buildHfExport({
        config: model.exportConfig(),
        weights: await model.exportWeights(),
        vocabText,
        task: c.head,
        labels,
        studioVersion: 'test',
      });
      for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(dir, c.folder, f.name)), { recursive: true });
        fs.writeFileSync(path.join(dir, c.folder, f.name), f.data);
      }
      model.dispose();
    }
    tf.dispose(Object.values(inputs));
    fs.writeFileSync(path.join(dir, 'inputs.json'), JSON.stringify(batch));
    const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'torch_load_export.py');
    const outFile = path.join(dir, 'torch.safetensors');
    const r = spawnSync(
      PYTHON,
      [script, BERTREF, path.join(dir, 'inputs.json'), outFile, ...CASES.map((c) => path.join(dir, c.folder))],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    if (r.status !== 0) throw new Error(`reference failed (${r.status}): ${r.stderr}`);
    report = JSON.parse(r.stdout.trim().split('\n').pop()!) as typeof report;
    theirs = readSafetensors(fs.readFileSync(outFile));
  }, 90_000);
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(CASES)('$folder: no missing or unexpected keys', ({ folder, head }) => {
    expect(report[folder]).toEqual({
      architecture: {
        'seq-cls': 'BertForSequenceClassification',
        'token-cls': 'BertForTokenClassification',
        qa: 'BertForQuestionAnswering',
        mlm: 'BertForMaskedLM',
      }[head as string],
      missing: [],
      unexpected: [],
    });
  });

  it.each(CASES)('$folder: logits match ours within 1e-4 at real tokens', ({ folder, outputs }) => {
    const seqLen = batch.input_ids[0]!.length;
    for (const name of outputs) {
      const a = ours.get(`${folder}.${name}`)!;
      const b = theirs.get(`${folder}.${name}`)!;
      expect(b.shape).toEqual(a.shape);
      // Rows of [B, T, ...] outputs at padding carry no meaning (fixture README): skip them.
      const tokenLevel =
        a.shape.length >= 2 && a.shape[1] !== undefined && (a.shape[1] === seqLen || folder === 'bert-mlm');
      const inner = a.shape.slice(2).reduce((p, d) => p * d, 1);
      let worst = 0;
      let compared = 0;
      for (let i = 0; i < a.data.length; i++) {
        if (tokenLevel) {
          const row = Math.floor(i / (a.shape[1]! * inner));
          const col = Math.floor(i / inner) % a.shape[1]!;
          if (batch.attention_mask[row]![col] !== 1) continue;
        }
        worst = Math.max(worst, Math.abs(a.data[i]! - (b.data[i] as number)));
        compared++;
      }
      expect(compared).toBeGreaterThan(10);
      expect(worst, `${folder}.${name}`).toBeLessThan(1e-4);
    }
  });
});
