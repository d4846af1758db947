// `train --task token-cls|qa` and `eval --task token-cls|qa` in-process on the tiny parity models:
// one JSON line per epoch, a Hugging Face folder (architectures, id2label, safetensors names) that
// `eval` reads back to the same metrics as the best epoch.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { evalCommand } from '../../../src/cli/eval';
import { trainCommand } from '../../../src/cli/train';
import { readSafetensors } from '../../../src/model/checkpoint';
import { PARITY_DIR, useWasm } from '../train/helpers';

let dir = '';
const names = ['john', 'mary', 'peter', 'anna'];
const places = ['paris', 'london', 'rome', 'berlin'];

beforeAll(async () => {
  await useWasm();
  dir = await mkdtemp(path.join(os.tmpdir(), 'task-cli-'));
  const conll: string[] = ['-DOCSTART- O', ''];
  const csv = ['tokens,ner_tags'];
  const paragraphs: unknown[] = [];
  for (let i = 0; i < 40; i++) {
    const n = names[i % 4]!;
    const p = places[(i * 3) % 4]!;
    const words = [n, 'smith', 'went', 'to', p, 'today'];
    const tags = ['B-PER', 'I-PER', 'O', 'O', 'B-LOC', 'O'];
    words.forEach((w, j) => conll.push(`${w}\t${tags[j]}`));
    conll.push('');
    csv.push(`"${words.join(' ')}","${tags.join(' ')}"`);
    const context = `${n} smith went to ${p} today. it was sunny in ${p}.`;
    paragraphs.push({
      context,
      qas: [
        { id: `w${i}`, question: 'where did smith go?', answers: [{ text: p, answer_start: context.indexOf(p) }] },
        {
          id: `n${i}`,
          question: 'who went?',
          answers: [
            { text: `${n} smith`, answer_start: 0 },
            { text: n, answer_start: 0 },
          ],
        },
      ],
    });
  }
  await writeFile(path.join(dir, 'ner.conll'), conll.join('\n') + '\n');
  await writeFile(path.join(dir, 'ner.csv'), csv.join('\n') + '\n');
  await writeFile(path.join(dir, 'squad.json'), JSON.stringify({ version: '1.1', data: [{ title: 't', paragraphs }] }));
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

const lines = (s: string): Array<Record<string, unknown>> =>
  s
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('train / eval --task token-cls', () => {
  it(
    'trains from CoNLL, writes BertForTokenClassification, and eval (CSV) reproduces the best epoch',
    { timeout: 60_000 },
    async () => {
      const out = path.join(dir, 'ner-model');
      const common = ['--task', 'token-cls', '--max-length', '16'];
      const r = await capture(() =>
        trainCommand([
          ...common,
          '--model',
          path.join(PARITY_DIR, 'bert-tokcls'),
          '--train',
          path.join(dir, 'ner.conll'),
          '--valid',
          path.join(dir, 'ner.csv'),
          '--epochs',
          '3',
          '--lr',
          '1e-2',
          '--batch-size',
          '8',
          '--seed',
          '1',
          '--out',
          out,
        ]),
      );
      expect(r.err).not.toMatch(/^error/m);
      expect(r.code).toBe(0);
      const epochs = lines(r.out);
      expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
      const valid = epochs.map((e) => e.valid as { f1: number; entities: Record<string, unknown> });
      for (const v of valid) expect(Object.keys(v.entities)).toEqual(['LOC', 'PER']);
      expect(valid.at(-1)!.f1).toBeGreaterThan(0.9); // a trivially learnable pattern
      const config = JSON.parse(await readFile(path.join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
      expect(config.architectures).toEqual(['BertForTokenClassification']);
      expect(config.id2label).toEqual({ '0': 'B-LOC', '1': 'B-PER', '2': 'I-PER', '3': 'O' });
      const w = readSafetensors(new Uint8Array(await readFile(path.join(out, 'model.safetensors'))));
      expect(w.get('classifier.weight')!.shape).toEqual([4, 16]);
      expect(w.has('bert.embeddings.word_embeddings.weight')).toBe(true);

      const ev = await capture(() =>
        evalCommand([...common, '--model', out, '--data', path.join(dir, 'ner.csv'), '--tokens-column', 'tokens']),
      );
      expect(ev.code).toBe(0);
      const m = lines(ev.out)[0]!;
      const bestF1 = Math.max(...valid.map((v) => v.f1));
      expect(m.f1).toBeCloseTo(bestF1, 6);
      expect(m.sentences).toBe(40);
    },
  );

  it('reports a bad file as one error line and exit code 2', async () => {
    await writeFile(path.join(dir, 'bad.conll'), 'john\tB-PER\nsmith\n');
    const r = await capture(() =>
      trainCommand([
        '--task',
        'token-cls',
        '--model',
        path.join(PARITY_DIR, 'bert-tokcls'),
        '--train',
        path.join(dir, 'bad.conll'),
        '--out',
        path.join(dir, 'x'),
      ]),
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: 1 line\(s\) have a token but no tag column \(lines 2\)/);
  });
});

describe('train / eval --task qa', () => {
  it(
    'trains on SQuAD JSON with windows, writes BertForQuestionAnswering, eval reproduces the best epoch',
    { timeout: 60_000 },
    async () => {
      const out = path.join(dir, 'qa-model');
      const win = ['--task', 'qa', '--max-length', '24', '--doc-stride', '6'];
      const r = await capture(() =>
        trainCommand([
          ...win,
          '--model',
          path.join(PARITY_DIR, 'bert-qa'),
          '--train',
          path.join(dir, 'squad.json'),
          '--valid-fraction',
          '0.25',
          '--epochs',
          '2',
          '--lr',
          '1e-2',
          '--batch-size',
          '16',
          '--seed',
          '2',
          '--out',
          out,
        ]),
      );
      expect(r.err).not.toMatch(/^error/m);
      expect(r.code).toBe(0);
      // Contexts are split whole: 30 paragraphs train (60 questions), 10 validate (20 questions).
      expect(r.err).toMatch(/^60 training questions \(\d+ windows\) \/ 20 validation questions$/m);
      const epochs = lines(r.out);
      expect(epochs).toHaveLength(2);
      const valid = epochs.map((e) => e.valid as Record<string, number>);
      for (const v of valid) expect(v).toMatchObject({ questions: 20 });
      const config = JSON.parse(await readFile(path.join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
      expect(config.architectures).toEqual(['BertForQuestionAnswering']);
      const w = readSafetensors(new Uint8Array(await readFile(path.join(out, 'model.safetensors'))));
      expect(w.get('qa_outputs.weight')!.shape).toEqual([2, 16]);

      const preds = path.join(dir, 'preds.json');
      const ev = await capture(() =>
        evalCommand([...win, '--model', out, '--data', path.join(dir, 'squad.json'), '--predictions', preds]),
      );
      expect(ev.code).toBe(0);
      const m = lines(ev.out)[0]!;
      expect(m.questions).toBe(80);
      const p = JSON.parse(await readFile(preds, 'utf8')) as Record<string, string>;
      expect(Object.keys(p)).toHaveLength(80);
      expect(m.f1).toBeGreaterThanOrEqual(m.exact_match as number);
    },
  );
});
