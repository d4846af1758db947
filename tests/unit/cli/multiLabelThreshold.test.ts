// `infer` and `eval` on a multi-label model use the threshold the studio saved in config.json
// (`bert_studio.threshold`, io/export.ts), as the studio's Try box does, and 0.5 without one.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../shared';
import { fixture, FIXTURE_DIR } from '../model/helpers';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bert-studio-ml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const texts = (fixture() as unknown as { texts: Array<string | [string, string]> }).texts.filter(
  (t): t is string => typeof t === 'string',
);
const LABELS = ['negative', 'neutral', 'positive'];

/** The fixture's seq-cls checkpoint as a multi-label model, with or without a saved threshold. */
function modelDir(threshold: number | null): string {
  const d = path.join(dir, `m-${threshold ?? 'none'}`);
  cpSync(path.join(FIXTURE_DIR, 'bert-seqcls'), d, { recursive: true });
  const config = JSON.parse(readFileSync(path.join(d, 'config.json'), 'utf8')) as Record<string, unknown>;
  config.problem_type = 'multi_label_classification';
  if (threshold !== null) config.bert_studio = { threshold };
  writeFileSync(path.join(d, 'config.json'), JSON.stringify(config));
  return d;
}

function cli(args: string[], input?: string): string {
  const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', ...args], { cwd: REPO_ROOT, input, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

type Row = { probabilities: number[]; labels: string[]; threshold: number };
const infer = (model: string): Row[] =>
  cli(['infer', '--model', model, '--head', 'seq-cls'], texts.map((t) => JSON.stringify({ text: t })).join('\n'))
    .split('\n')
    .map((l) => JSON.parse(l) as Row);

describe('multi-label threshold in the CLI', () => {
  it('infer lists the labels above the saved threshold, and above 0.5 without one', () => {
    const plain = infer(modelDir(null));
    expect(plain.every((r) => r.threshold === 0.5)).toBe(true);
    // A threshold between the probabilities, so that it changes some decisions.
    const probs = plain.flatMap((r) => r.probabilities).sort((a, b) => a - b);
    const t = Math.round(probs[Math.floor(probs.length / 3)]! * 1000) / 1000 + 0.0005;
    const tuned = infer(modelDir(t));
    let changed = 0;
    tuned.forEach((r, i) => {
      expect(r.threshold).toBe(t);
      expect(r.probabilities).toEqual(plain[i]!.probabilities);
      expect(r.labels).toEqual(LABELS.filter((_, c) => r.probabilities[c]! > t));
      expect(plain[i]!.labels).toEqual(LABELS.filter((_, c) => r.probabilities[c]! > 0.5));
      if (r.labels.join() !== plain[i]!.labels.join()) changed++;
    });
    expect(changed).toBeGreaterThan(0);

    // eval scores the same decisions: micro-F1 from the infer output equals eval's.
    const gold = texts.map((_, i) => LABELS.filter((_, c) => (i + c) % 2 === 0));
    const csv = path.join(dir, 'gold.csv');
    writeFileSync(
      csv,
      'text,labels\n' + texts.map((x, i) => `"${x.replace(/"/g, '""')}","${gold[i]!.join(',')}"`).join('\n'),
    );
    const report = JSON.parse(
      cli(['eval', '--model', modelDir(t), '--data', csv, '--text-column', 'text', '--label-column', 'labels']),
    ) as { threshold: number; micro_f1?: number; micro?: { f1: number } };
    let tp = 0;
    let fp = 0;
    let fn = 0;
    tuned.forEach((r, i) => {
      for (const l of LABELS) {
        const p = r.labels.includes(l);
        const g = gold[i]!.includes(l);
        if (p && g) tp++;
        else if (p) fp++;
        else if (g) fn++;
      }
    });
    expect(report.threshold).toBe(t);
    expect(report.micro_f1 ?? report.micro?.f1).toBeCloseTo((2 * tp) / (2 * tp + fp + fn), 6);
  }, 120_000);
});
