import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../src/model/checkpoint';
import { CATALOG, catalogEntry, estimateParams, hubFileUrl, validateModelId } from '../../../src/io';
import { sharedPath } from '../shared';

const numelOf = (file: string, keep: (name: string) => boolean): number => {
  let n = 0;
  for (const [name, t] of readSafetensors(fs.readFileSync(file))) if (keep(name)) n += t.data.length;
  return n;
};

describe('catalog', () => {
  it('lists the eight BERT-family checkpoints with consistent shapes', () => {
    expect(CATALOG.map((e) => e.id)).toEqual([
      'google/bert_uncased_L-2_H-128_A-2',
      'google/bert_uncased_L-4_H-256_A-4',
      'google/bert_uncased_L-4_H-512_A-8',
      'google/bert_uncased_L-8_H-512_A-8',
      'bert-base-uncased',
      'bert-base-cased',
      'distilbert-base-uncased',
      'bert-base-multilingual-cased',
    ]);
    for (const e of CATALOG) {
      expect(e.hidden % e.heads).toBe(0);
      expect(e.goodFor.length).toBeGreaterThan(10);
      // The Google ids spell out their own shape.
      const m = /L-(\d+)_H-(\d+)_A-(\d+)/.exec(e.id);
      if (m) expect([e.layers, e.hidden, e.heads]).toEqual(m.slice(1).map(Number));
      expect(e.sizeMB).toBeCloseTo((e.params * 4) / 1e6, 0);
    }
  });

  it('counts parameters like PyTorch (published totals and real checkpoints)', () => {
    // bert-base-uncased BertModel: 109,482,240 parameters (sum of numel of its state dict).
    expect(catalogEntry('bert-base-uncased')!.params).toBe(109_482_240);
    // The shared BERT-Tiny-shaped MLM checkpoint has no pooler: its bert.* tensors = estimate - pooler.
    const tiny = catalogEntry('google/bert_uncased_L-2_H-128_A-2')!;
    const tinyFile = sharedPath('models', 'studio-bert-tiny-mlm', 'model.safetensors');
    expect(numelOf(tinyFile, (n) => n.startsWith('bert.'))).toBe(tiny.params - (128 * 128 + 128));
    // The parity fixture's BertModel (with pooler): hidden 16, intermediate 37, 64 positions.
    const shape = { layers: 2, hidden: 16, heads: 4, intermediate: 37, vocabSize: 30522, maxPositions: 64 };
    expect(numelOf(sharedPath('fixtures', 'bert-parity', 'bert-base', 'model.safetensors'), () => true)).toBe(
      estimateParams(shape),
    );
  });

  it.each([
    ['bert-base-uncased', 'bert-base-uncased'],
    ['  google/bert_uncased_L-2_H-128_A-2 ', 'google/bert_uncased_L-2_H-128_A-2'],
    ['https://huggingface.co/prajjwal1/bert-tiny', 'prajjwal1/bert-tiny'],
    ['my.org/model_v1.2', 'my.org/model_v1.2'],
  ])('accepts %j', (input, id) => {
    expect(validateModelId(input)).toEqual({ ok: true, id });
  });

  it.each([
    ['', /Enter a model id/],
    ['a/b/c', /slashes/],
    ['owner/', /model name is empty/],
    ['bad name', /may only contain/],
    ['-lead', /start or end/],
    ['a--b', /'--'/],
    ['../etc', /'\.\.'|start or end/],
    ['x'.repeat(97), /longer than 96/],
  ])('rejects %j', (input, error) => {
    const r = validateModelId(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });

  it('builds resolve URLs in the hub layout', () => {
    expect(hubFileUrl('https://huggingface.co', 'google/bert_uncased_L-2_H-128_A-2', 'config.json')).toBe(
      'https://huggingface.co/google/bert_uncased_L-2_H-128_A-2/resolve/main/config.json',
    );
    expect(hubFileUrl('/hub/', 'bert-base', 'tfjs/model.json', 'v1')).toBe('/hub/bert-base/resolve/v1/tfjs/model.json');
  });
});
