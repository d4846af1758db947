import { describe, expect, it } from 'vitest';
import {
  describeDelimiter,
  describeRows,
  formatBytes,
  formatCount,
  formatDuration,
  formatLearningRate,
  formatMetric,
  formatPercent,
} from '../../../src/ui/format';
import { hubBase, parseLocalModels, servesLocalModels } from '../../../src/ui/hub';

describe('formatters', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KB'],
    [17_563_648, '16.8 MB'], // the size of a BERT-Tiny safetensors file
    [440_473_133, '420 MB'], // bert-base-uncased model.safetensors
    [-1, '–'],
  ])('formatBytes(%d) = %s', (n, s) => expect(formatBytes(n)).toBe(s));

  it.each([
    [4_385_920, '4.39M'], // BERT-Tiny parameter count
    [109_482_240, '109.48M'], // bert-base-uncased
    [9_999, '9999'],
    [12_345, '12.3k'],
    [1.5e9, '1.50B'],
  ])('formatCount(%d) = %s', (n, s) => expect(formatCount(n)).toBe(s));

  it.each([
    [0, '0:00'],
    [65, '1:05'],
    [7387, '2:03:07'],
    [59.6, '1:00'],
    [Infinity, '–'],
  ])('formatDuration(%d) = %s', (n, s) => expect(formatDuration(n)).toBe(s));

  it('formats percentages, metrics and learning rates', () => {
    expect(formatPercent(0.8734)).toBe('87.3%');
    expect(formatPercent(1, 0)).toBe('100%');
    expect(formatMetric(NaN)).toBe('–');
    expect(formatMetric(0.91666)).toBe('0.917');
    expect(formatLearningRate(5e-5)).toBe('5e-5');
    expect(formatLearningRate(0.001)).toBe('1e-3');
    expect(formatLearningRate(3.3333e-4)).toBe('3.33e-4');
    expect(formatLearningRate(0)).toBe('0');
  });

  it('names delimiters and summarises long row lists', () => {
    expect(describeDelimiter('\t')).toBe('tab');
    expect(describeDelimiter(',')).toBe('comma');
    expect(describeDelimiter('#')).toBe('"#"');
    expect(describeRows([7], 1)).toBe('row 7');
    expect(describeRows([3, 17, 52], 3)).toBe('rows 3, 17, 52');
    expect(describeRows([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 1000)).toBe('rows 1, 2, 3, 4, 5, 6, 7, 8 and 992 more');
    expect(describeRows([], 12)).toBe('12 rows');
  });
});

describe('hub base and local models', () => {
  const origin = 'http://127.0.0.1:4317';
  it('takes ?hub= first, then the dev server hub, else huggingface.co', () => {
    expect(hubBase(`?hub=${encodeURIComponent(`${origin}/hub/`)}`, origin, false)).toBe(`${origin}/hub`);
    expect(hubBase('', origin, true)).toBe(`${origin}/hub`);
    expect(hubBase('?backend=wasm', origin, false)).toBe('https://huggingface.co');
  });
  it('only asks this page’s own server for local models', () => {
    expect(servesLocalModels(`${origin}/hub`, origin)).toBe(true);
    expect(servesLocalModels('https://huggingface.co', origin)).toBe(false);
    expect(servesLocalModels('/hub', origin)).toBe(true);
  });
  it('keeps well-formed local model entries only', () => {
    const parsed = parseLocalModels([
      { id: 'studio-bert-tiny-mlm', files: ['config.json', 'vocab.txt', 7], sizeBytes: 17_000_000, config: {} },
      { id: '' },
      null,
      { files: [] },
    ]);
    expect(parsed).toEqual([
      { id: 'studio-bert-tiny-mlm', files: ['config.json', 'vocab.txt'], sizeBytes: 17_000_000 },
    ]);
    expect(parseLocalModels({ error: 'nope' })).toEqual([]);
  });
});
