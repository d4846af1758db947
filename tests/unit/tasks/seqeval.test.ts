// seqeval default-mode behaviour: cases from seqeval's README and test suite (test_metrics.py),
// plus conlleval-style chunking cases traced through seqeval's end_of_chunk / start_of_chunk.
import { describe, expect, it } from 'vitest';
import { getEntities, seqevalScores } from '../../../src/train/tasks/seqeval';

const ents = (seq: string[] | string[][]): Array<[string, number, number]> =>
  getEntities(seq).map((e) => [e.type, e.start, e.end]);

describe('getEntities (seqeval default mode)', () => {
  it.each<[string, string[], Array<[string, number, number]>]>([
    [
      'docstring',
      ['B-PER', 'I-PER', 'O', 'B-LOC'],
      [
        ['PER', 0, 1],
        ['LOC', 3, 3],
      ],
    ],
    [
      'test_get_entities',
      ['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O', 'B-PER', 'I-PER'],
      [
        ['MISC', 3, 5],
        ['PER', 7, 8],
      ],
    ],
    ['I- after O starts an entity', ['O', 'I-PER', 'I-PER', 'O'], [['PER', 1, 2]]],
    ['I- at the start', ['I-LOC', 'O'], [['LOC', 0, 0]]],
    [
      'type change splits',
      ['B-PER', 'I-LOC', 'I-LOC'],
      [
        ['PER', 0, 0],
        ['LOC', 1, 2],
      ],
    ],
    [
      'B after B',
      ['B-PER', 'B-PER', 'I-PER'],
      [
        ['PER', 0, 0],
        ['PER', 1, 2],
      ],
    ],
    [
      'IOBES',
      ['S-PER', 'B-LOC', 'E-LOC', 'O', 'E-ORG'],
      [
        ['PER', 0, 0],
        ['LOC', 1, 2],
        ['ORG', 4, 4],
      ],
    ],
    ['dashed types', ['B-creative-work', 'I-creative-work'], [['creative-work', 0, 1]]],
    ['entity at the end', ['O', 'B-X', 'I-X'], [['X', 1, 2]]],
  ])('%s', (_name, seq, want) => expect(ents(seq)).toEqual(want));

  it('flattens sentences with an O between them (test_get_entities_with_only_IOB)', () => {
    expect(
      ents([
        ['O', 'O', 'O', 'B', 'I', 'I', 'O'],
        ['B', 'I', 'O'],
      ]),
    ).toEqual([
      ['_', 3, 5],
      ['_', 8, 9],
    ]);
    // So an entity never runs across a sentence boundary.
    expect(ents([['B-PER'], ['I-PER']])).toEqual([
      ['PER', 0, 0],
      ['PER', 2, 2],
    ]);
  });
});

describe('seqevalScores', () => {
  it('matches the seqeval README classification report and accuracy', () => {
    const yTrue = [
      ['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O'],
      ['B-PER', 'I-PER', 'O'],
    ];
    const yPred = [
      ['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O'],
      ['B-PER', 'I-PER', 'O'],
    ];
    const s = seqevalScores(yTrue, yPred);
    expect(Object.keys(s.perType)).toEqual(['MISC', 'PER']);
    expect(s.perType.MISC).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(s.perType.PER).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    for (const avg of [s.micro, s.macro, s.weighted])
      expect(avg).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(s.accuracy).toBeCloseTo(0.8, 12);
  });

  it('scores an I- entity after O as a full match (not strict IOB2)', () => {
    const s = seqevalScores([['B-PER', 'I-PER', 'O', 'B-LOC']], [['B-PER', 'I-PER', 'O', 'I-LOC']]);
    expect(s.micro.f1).toBe(1);
    expect(s.accuracy).toBe(0.75);
  });

  it('counts a boundary error as one false positive and one false negative', () => {
    // true: PER(0,1), LOC(3,3), LOC(5,6); pred: PER(0,0), LOC(3,3), ORG(5,6)
    const s = seqevalScores(
      [['B-PER', 'I-PER', 'O', 'B-LOC', 'O', 'B-LOC', 'I-LOC']],
      [['B-PER', 'O', 'O', 'B-LOC', 'O', 'B-ORG', 'I-ORG']],
    );
    expect(s.perType.PER).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(s.perType.LOC).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(s.perType.ORG).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(s.micro.precision).toBeCloseTo(1 / 3, 12);
    expect(s.micro.recall).toBeCloseTo(1 / 3, 12);
    expect(s.micro.f1).toBeCloseTo(1 / 3, 12);
    expect(s.macro.f1).toBeCloseTo(2 / 9, 12); // mean over PER, LOC, ORG
    expect(s.weighted.f1).toBeCloseTo((0 * 1 + (2 / 3) * 2) / 3, 12);
    expect(s.accuracy).toBeCloseTo(4 / 7, 12);
    expect(s.predicted).toBe(3);
  });

  it('all-O predictions give F1 0, and no entities at all gives zeros, not NaN', () => {
    const s = seqevalScores([['B-PER', 'O']], [['O', 'O']]);
    expect(s.micro).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(s.accuracy).toBe(0.5);
    const none = seqevalScores([['O']], [['O']]);
    expect(none.micro.f1).toBe(0);
    expect(none.perType).toEqual({});
  });

  it('rejects misaligned sentences', () => {
    expect(() => seqevalScores([['O', 'O']], [['O']])).toThrow(/2 true tags but 1/);
  });
});
