// Seeded fuzzing of the dataset reader over small real samples from ../shared/data: a few
// thousand mutated files must each parse into a rectangular table or fail with a DataError,
// never another exception and never a hang. See fuzz.ts for the mutations.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../shared';
import type { FuzzSample, FuzzSummary } from './fuzz';

const SEED = 20_240_611;
const CASES = 3_000;
const WATCHDOG_MS = 60_000;
const SAMPLE_BYTES = 2_500;

/** The first whole lines of a shared file, up to about SAMPLE_BYTES. */
function head(name: string, file: string): FuzzSample {
  const all = readFileSync(sharedPath('data', file));
  const cut = all.subarray(0, SAMPLE_BYTES * 2).lastIndexOf(0x0a, SAMPLE_BYTES);
  return { name, bytes: Uint8Array.from(all.subarray(0, cut + 1)) };
}

/** JSON Lines made from real rows (the shared data has no .jsonl file). */
function jsonl(name: string, file: string, rows: number): FuzzSample {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(sharedPath('data', file), 'utf8'), { header: true });
  const lines = parsed.data.slice(0, rows).map((r) => JSON.stringify({ ...r, meta: { source: file, n: [1, [2]] } }));
  return { name, bytes: new TextEncoder().encode(lines.join('\n') + '\n') };
}

function samples(): FuzzSample[] {
  return [
    head('sms csv (quoted, header)', 'sms_spam/sms_spam.csv'),
    head('SMSSpamCollection (unquoted tsv, no header)', 'sms_spam/SMSSpamCollection'),
    head('goemotions tsv (quoted, no header)', 'goemotions/dev.tsv'),
    head('goemotions csv', 'goemotions/goemotions_dev.csv'),
    head('rte tsv (unquoted, header, pairs)', 'rte/train.tsv'),
    head('sst2 tsv', 'sst2/train.tsv'),
    head('ag news tsv', 'ag_news/ag_news_train_subset10k.tsv'),
    head('squad csv (long quoted fields)', 'squad/squad_v1.1_dev_rebuilt_minus_xquad.csv'),
    head('wnut17 csv', 'wnut17/wnut17_dev.csv'),
    jsonl('sms jsonl', 'sms_spam/sms_spam.csv', 20),
    jsonl('goemotions jsonl', 'goemotions/goemotions_dev.csv', 15),
  ];
}

type Message =
  { type: 'progress'; index: number } | { type: 'done'; summary: FuzzSummary } | { type: 'crash'; error: string };

function runInChild(job: { samples: FuzzSample[]; seed: number; count: number }): Promise<FuzzSummary> {
  const child = fork(fileURLToPath(new URL('./fuzzChild.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
  });
  return new Promise((resolve, reject) => {
    let last = -1;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fuzz case ${last} (seed ${SEED}) did not finish within ${WATCHDOG_MS} ms`));
    }, WATCHDOG_MS);
    child.on('message', (m: Message) => {
      if (m.type === 'progress') last = m.index;
      else {
        clearTimeout(timer);
        if (m.type === 'done') resolve(m.summary);
        else reject(new Error(`fuzz child crashed after case ${last}: ${m.error}`));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fuzz child exited (${code}) after case ${last}`));
    });
    child.send(job);
  });
}

describe('parseTable under random mutations of real files', () => {
  it(`${CASES} seeded cases: a table or a DataError, never another exception, never a hang`, async () => {
    const t0 = performance.now();
    const summary = await runInChild({ samples: samples(), seed: SEED, count: CASES });
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `fuzz: ${summary.cases} cases in ${seconds.toFixed(1)} s (slowest ${summary.maxCaseMs.toFixed(0)} ms), ` +
        `${summary.parsed} parsed, errors ${JSON.stringify(summary.codes)}`,
    );
    expect(summary.failures.slice(0, 3)).toEqual([]);
    expect(summary.cases).toBe(CASES);
    // Both outcomes are exercised, including the caps the long runs aim at.
    expect(summary.parsed).toBeGreaterThan(CASES / 4);
    for (const code of ['too-many-columns', 'field-too-long', 'json-too-deep', 'binary-file', 'invalid-json'])
      expect(summary.codes[code] ?? 0, code).toBeGreaterThan(0);
    expect(summary.maxCaseMs).toBeLessThan(2_000);
  });
});
