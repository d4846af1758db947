// End-to-end `infer` CLI: fixture texts in, logits/pooler out, compared with the PyTorch fixture
// (this also checks the tokenizer + checkpoint loader + model chain).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../shared';
import { expectClose, fixture, FIXTURE_DIR, out } from '../model/helpers';

function runInfer(folder: string, head: string): Array<Record<string, unknown>> {
  const f = fixture() as unknown as { texts: Array<string | [string, string]> };
  const stdin = f.texts
    .map((t) => JSON.stringify(typeof t === 'string' ? { text: t } : { text: t[0], text_pair: t[1] }))
    .join('\n');
  const r = spawnSync(
    'npx',
    ['tsx', 'src/cli/main.ts', 'infer', '--model', `${FIXTURE_DIR}/${folder}`, '--head', head],
    { cwd: REPO_ROOT, input: stdin, encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('infer CLI', () => {
  it('seq-cls logits and base pooler output match the fixture', () => {
    const seq = runInfer('bert-seqcls', 'seq-cls');
    expect(seq.length).toBe(11);
    expectClose(
      seq.flatMap((r) => r.logits as number[]),
      out('main.seqcls.logits').data,
      'cli seqcls logits',
      { abs: 1e-4 },
    );
    const base = runInfer('bert-base', 'base');
    expectClose(
      base.flatMap((r) => r.pooler_output as number[]),
      out('main.base.pooler_output').data,
      'cli pooler_output',
      { abs: 1e-4 },
    );
    // Unpadded per-token output: row i has exactly its real tokens.
    const mask = out('main.attention_mask').data;
    base.forEach((r, i) => {
      const len = Array.from(mask.subarray(i * 25, i * 25 + 25)).reduce((s, m) => s + m, 0);
      expect((r.last_hidden_state as number[][]).length).toBe(len);
    });
  });
});
