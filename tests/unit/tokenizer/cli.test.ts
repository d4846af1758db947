// The `tokenize` CLI command: the command function on an in-memory stream, and once as a real
// process through src/cli/main.ts.
import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runTokenize } from '../../../src/cli/tokenize';
import { REPO_ROOT, sharedPath } from '../shared';

const MODEL = sharedPath('fixtures', 'bert-parity', 'bert-base');
const LINES = [
  JSON.stringify({ text: 'Héllo Wörld!' }),
  JSON.stringify({
    text: 'What is the capital of France?',
    text_pair: 'Paris is the capital and most populous city of France.',
  }),
];

async function run(args: string[], input: string): Promise<{ code: number; lines: Record<string, unknown>[] }> {
  const out: string[] = [];
  const code = await runTokenize(args, Readable.from([input]), async (s) => {
    out.push(s);
  });
  return {
    code,
    lines: out
      .join('')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('tokenize command', () => {
  it('writes ids, types, mask, tokens and offsets per input line', async () => {
    const { code, lines } = await run(['--model', MODEL], LINES.join('\n') + '\n\n');
    expect(code).toBe(0);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      input_ids: [101, 7592, 2088, 999, 102],
      token_type_ids: [0, 0, 0, 0, 0],
      attention_mask: [1, 1, 1, 1, 1],
      tokens: ['[CLS]', 'hello', 'world', '!', '[SEP]'],
      offsets: [
        [0, 0],
        [0, 5],
        [6, 11],
        [11, 12],
        [0, 0],
      ],
    });
    // Same ids as the fixture's untruncated pair row (unpadded).
    expect((lines[1]!.tokens as string[]).join(' ')).toBe(
      '[CLS] what is the capital of france ? [SEP] paris is the capital and most populous city of france . [SEP]',
    );
  });

  it('--max-length truncates longest_first', async () => {
    const { lines } = await run(['--model', MODEL, '--max-length', '16'], LINES[1]!);
    expect(lines[0]!.tokens).toEqual([
      '[CLS]',
      'what',
      'is',
      'the',
      'capital',
      'of',
      'france',
      '?',
      '[SEP]',
      'paris',
      'is',
      'the',
      'capital',
      'and',
      'most',
      '[SEP]',
    ]);
  });

  it('rejects bad input with the line number, and --pair without text_pair', async () => {
    await expect(run(['--model', MODEL], `${LINES[0]}\nnot json\n`)).rejects.toThrow(/line 2: not valid JSON/);
    await expect(run(['--model', MODEL, '--pair'], LINES[0]!)).rejects.toThrow(/line 1: --pair needs "text_pair"/);
    await expect(run([], '')).rejects.toThrow(/--model/);
  });

  it('runs as a process: JSON lines out, then a one-line error and non-zero exit on a bad line', () => {
    // One spawn only: main.ts loads every command (tfjs included), which takes seconds.
    const cli = ['tsx', 'src/cli/main.ts', 'tokenize', '--model', MODEL, '--pair'];
    const r = spawnSync('npx', cli, { cwd: REPO_ROOT, input: `${LINES[1]}\n{"text": 5}\n`, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(JSON.parse(r.stdout.trim()).input_ids).toHaveLength(21);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/line 2/);
  }, 60_000);
});
