// The PyTorch/transformers reference fixture: 8 single texts + 3 pairs, padded to the longest,
// untruncated (`main`) and truncated to 16 with longest_first (`trunc`). Everything must match exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadBertTokenizer, type TextInput } from '../../../src/tokenizer';
import { sharedPath } from '../shared';

interface FixtureBatch {
  tokens: string[][];
  input_ids: number[][];
  token_type_ids: number[][];
  attention_mask: number[][];
  shape: [number, number];
}

const dir = sharedPath('fixtures', 'bert-parity');
const fixture = JSON.parse(readFileSync(`${dir}/fixture.json`, 'utf8')) as {
  texts: (string | [string, string])[];
  batches: Record<'main' | 'trunc', FixtureBatch>;
};
const tok = loadBertTokenizer({
  vocabTxt: readFileSync(`${dir}/bert-base/vocab.txt`, 'utf8'),
  tokenizerConfigJson: readFileSync(`${dir}/bert-base/tokenizer_config.json`, 'utf8'),
  specialTokensMapJson: readFileSync(`${dir}/bert-base/special_tokens_map.json`, 'utf8'),
});
const inputs: TextInput[] = fixture.texts;

const rows = (flat: Int32Array, [B, T]: [number, number]): number[][] =>
  Array.from({ length: B }, (_, r) => Array.from(flat.subarray(r * T, (r + 1) * T)));

describe('bert-parity fixture', () => {
  it('has 8 singles and 3 pairs', () => {
    expect(inputs.filter((t) => typeof t === 'string')).toHaveLength(8);
    expect(inputs.filter((t) => typeof t !== 'string')).toHaveLength(3);
  });

  it.each([
    ['main', {}],
    ['trunc', { maxLength: 16, truncation: 'longest_first' as const }],
  ])('batch %s matches tokens, ids, type ids and mask exactly', (name, options) => {
    const expected = fixture.batches[name as 'main' | 'trunc'];
    const batch = tok.encodeBatch(inputs, { ...options, padding: 'longest' });
    expect(batch.shape).toEqual(expected.shape);
    expect(batch.encodings.map((e) => e.tokens)).toEqual(expected.tokens);
    expect(rows(batch.inputIds, batch.shape)).toEqual(expected.input_ids);
    expect(rows(batch.tokenTypeIds, batch.shape)).toEqual(expected.token_type_ids);
    expect(rows(batch.attentionMask, batch.shape)).toEqual(expected.attention_mask);
    // The per-example encodings agree with the flat buffers.
    expect(batch.encodings.map((e) => e.inputIds)).toEqual(expected.input_ids);
    expect(batch.encodings.map((e) => e.tokenTypeIds)).toEqual(expected.token_type_ids);
    expect(batch.encodings.map((e) => e.attentionMask)).toEqual(expected.attention_mask);
  });

  it('offsets of every fixture token point at text that normalises to the token', () => {
    const batch = tok.encodeBatch(inputs);
    batch.encodings.forEach((e, r) => {
      const input = inputs[r]!;
      e.tokens.forEach((t, i) => {
        const seq = e.sequenceIds[i];
        const [s, end] = e.offsets[i]!;
        if (seq === null || seq === undefined) {
          expect([s, end]).toEqual([0, 0]);
          return;
        }
        const text = typeof input === 'string' ? input : input[seq];
        const piece = text
          .slice(s, end)
          .toLowerCase()
          .normalize('NFD')
          .replace(/\p{Mn}/gu, '');
        if (t === '[UNK]') expect(piece.length).toBeGreaterThan(0);
        else expect(piece).toBe(t.replace(/^##/, ''));
      });
    });
  });
});
