// Reads the PyTorch reference fixtures in every format they come in and checks the formats agree.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  loadCheckpoint,
  readPytorchBin,
  readSafetensors,
  readSafetensorsFile,
  writeSafetensors,
  type RawTensor,
} from '../../../src/model/checkpoint';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import { sharedPath } from '../shared';

const PARITY = sharedPath('fixtures', 'bert-parity');
const FOLDERS = ['bert-base', 'bert-seqcls', 'bert-tokcls', 'bert-qa', 'bert-mlm'];
const fixture = JSON.parse(readFileSync(`${PARITY}/fixture.json`, 'utf8')) as {
  batches: Record<string, { input_ids: number[][]; attention_mask: number[][] }>;
  arrays: Record<string, { dtype: string; shape: number[] }>;
};
const file = (...p: string[]): Uint8Array => new Uint8Array(readFileSync(`${PARITY}/${p.join('/')}`));

function bitsEqual(a: RawTensor, b: RawTensor): boolean {
  if (a.dtype !== b.dtype || JSON.stringify(a.shape) !== JSON.stringify(b.shape)) return false;
  return (
    Buffer.compare(
      Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength),
      Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength),
    ) === 0
  );
}

describe('bert-parity fixtures', () => {
  it.each(FOLDERS)('%s: loadCheckpoint finds model.safetensors with config-consistent shapes', async (folder) => {
    const config = JSON.parse(readFileSync(`${PARITY}/${folder}/config.json`, 'utf8')) as Record<string, number>;
    const { weights, format, files } = await loadCheckpoint(nodeFolderSource(`${PARITY}/${folder}`));
    expect(format).toBe('safetensors');
    expect(files).toEqual(['model.safetensors']);
    const prefix = folder === 'bert-base' ? '' : 'bert.';
    const word = weights.get(`${prefix}embeddings.word_embeddings.weight`)!;
    expect(word.shape).toEqual([config.vocab_size, config.hidden_size]);
    expect(weights.get(`${prefix}encoder.layer.1.intermediate.dense.weight`)!.shape).toEqual([
      config.intermediate_size,
      config.hidden_size,
    ]);
    expect(weights.has(`${prefix}encoder.layer.${config.num_hidden_layers}.output.dense.weight`)).toBe(false);
    // README: the [PAD] row is not zero and LayerNorm gammas are 1 + U(-0.1, 0.1).
    expect(word.data.subarray(0, 16).some((v) => v !== 0)).toBe(true);
    for (const v of weights.get(`${prefix}embeddings.LayerNorm.weight`)!.data)
      expect(Math.abs(v - 1)).toBeLessThanOrEqual(0.1);
    for (const t of weights.values()) expect(t.dtype).toBe('float32');
  });

  it.each(['bert-base', 'bert-mlm'])('%s: pytorch_model.bin equals model.safetensors bit for bit', (folder) => {
    const st = readSafetensors(file(folder, 'model.safetensors'));
    const pt = readPytorchBin(file(folder, 'pytorch_model.bin'));
    for (const [name, t] of st) expect(bitsEqual(pt.get(name)!, t), name).toBe(true);
    const extra = [...pt.keys()].filter((k) => !st.has(k));
    expect(extra).toEqual(
      folder === 'bert-mlm' ? ['cls.predictions.decoder.weight', 'cls.predictions.decoder.bias'] : [],
    );
    if (folder === 'bert-mlm') {
      // Tied weights are stored as views of the embedding / bias storages.
      expect(
        bitsEqual(pt.get('cls.predictions.decoder.weight')!, st.get('bert.embeddings.word_embeddings.weight')!),
      ).toBe(true);
      expect(bitsEqual(pt.get('cls.predictions.decoder.bias')!, st.get('cls.predictions.bias')!)).toBe(true);
    }
  });

  it('the .bin is picked when model.safetensors is absent, and gives the same weights', async () => {
    const folder = nodeFolderSource(`${PARITY}/bert-mlm`);
    const noSafetensors = {
      ...folder,
      read: (n: string) => (n === 'model.safetensors' ? Promise.resolve(null) : folder.read(n)),
    };
    const { weights, format } = await loadCheckpoint(noSafetensors);
    expect(format).toBe('pytorch');
    expect(weights.size).toBe(44);
  });

  it('outputs.safetensors: I64 ids and F32 arrays with the shapes fixture.json lists', () => {
    const { weights, metadata } = readSafetensorsFile(file('outputs.safetensors'));
    expect(metadata.set).toBe('A');
    expect([...weights.keys()].sort()).toEqual(Object.keys(fixture.arrays).sort());
    for (const [name, spec] of Object.entries(fixture.arrays)) {
      const t = weights.get(name)!;
      expect(t.shape, name).toEqual(spec.shape);
      expect(t.dtype, name).toBe(spec.dtype === 'I64' ? 'int32' : 'float32');
    }
    for (const batch of ['main', 'trunc']) {
      expect(Array.from(weights.get(`${batch}.input_ids`)!.data)).toEqual(fixture.batches[batch]!.input_ids.flat());
      expect(Array.from(weights.get(`${batch}.attention_mask`)!.data)).toEqual(
        fixture.batches[batch]!.attention_mask.flat(),
      );
    }
  });

  it.each([...FOLDERS.map((f) => `bert-parity/${f}/model.safetensors`), 'bert-parity/outputs.safetensors'])(
    '%s: writeSafetensors reproduces the file byte for byte',
    (rel) => {
      const bytes = new Uint8Array(readFileSync(sharedPath('fixtures', rel)));
      const { weights, metadata } = readSafetensorsFile(bytes);
      const hasInts = [...weights.values()].some((t) => t.dtype === 'int32');
      expect(
        Buffer.compare(Buffer.from(writeSafetensors(weights, metadata, { int64: hasInts })), Buffer.from(bytes)),
      ).toBe(0);
    },
  );

  it('the shared studio-bert-tiny-mlm model loads through loadCheckpoint', async () => {
    const { weights } = await loadCheckpoint(nodeFolderSource(sharedPath('models', 'studio-bert-tiny-mlm')));
    expect(weights.get('bert.embeddings.word_embeddings.weight')!.shape).toEqual([30522, 128]);
    expect(weights.get('cls.predictions.bias')!.shape).toEqual([30522]);
  });
});
