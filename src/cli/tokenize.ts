// `tokenize --model DIR [--max-length N] [--pair]`: reads JSON lines ({"text"} or {"text", "text_pair"})
// on stdin and writes one JSON line per input with input_ids, token_type_ids, attention_mask, tokens
// and offsets ([start, end) into the input's own text, [0, 0] for special tokens). DIR holds
// vocab.txt (+ tokenizer_config.json) or tokenizer.json. --pair makes text_pair required.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { numberFlag, parseArgs, requireFlag } from './args';
import { loadBertTokenizer, type BertTokenizer, type EncodeOptions } from '../tokenizer';

function readIfExists(dir: string, name: string): string | undefined {
  const p = path.join(dir, name);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

export function loadTokenizerDir(dir: string): BertTokenizer {
  if (!existsSync(dir)) throw new Error(`model folder ${dir} does not exist`);
  return loadBertTokenizer({
    vocabTxt: readIfExists(dir, 'vocab.txt'),
    tokenizerJson: readIfExists(dir, 'tokenizer.json'),
    tokenizerConfigJson: readIfExists(dir, 'tokenizer_config.json'),
    specialTokensMapJson: readIfExists(dir, 'special_tokens_map.json'),
  });
}

/** One output line for one input line (1-based `n` for error messages). */
export function tokenizeLine(
  tok: BertTokenizer,
  line: string,
  n: number,
  pair: boolean,
  options: EncodeOptions,
): string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new Error(`stdin line ${n}: not valid JSON`);
  }
  const o = v as { text?: unknown; text_pair?: unknown } | null;
  if (typeof o !== 'object' || o === null || typeof o.text !== 'string') {
    throw new Error(`stdin line ${n}: expected {"text": string, "text_pair"?: string}`);
  }
  const textPair = o.text_pair ?? null;
  if (textPair !== null && typeof textPair !== 'string') throw new Error(`stdin line ${n}: text_pair must be a string`);
  if (pair && textPair === null) throw new Error(`stdin line ${n}: --pair needs "text_pair"`);
  const e = tok.encode(o.text, textPair, options);
  return JSON.stringify({
    input_ids: e.inputIds,
    token_type_ids: e.tokenTypeIds,
    attention_mask: e.attentionMask,
    tokens: e.tokens,
    offsets: e.offsets,
  });
}

/** The command with its streams injectable (tests pass their own). */
export async function runTokenize(
  args: string[],
  input: Readable,
  write: (s: string) => Promise<void>,
): Promise<number> {
  const p = parseArgs(args);
  const tok = loadTokenizerDir(requireFlag(p, 'model'));
  const options: EncodeOptions = {};
  if (p.flags.has('max-length')) {
    options.maxLength = numberFlag(p, 'max-length', 0);
    options.truncation = 'longest_first';
  }
  const pair = p.flags.get('pair') === true;
  let n = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    n++;
    if (line.trim() === '') continue;
    await write(tokenizeLine(tok, line, n, pair, options) + '\n');
  }
  return 0;
}

// Wait for each write: main.ts calls process.exit, which drops output still queued for a pipe.
const writeStdout = (s: string): Promise<void> =>
  new Promise((resolve, reject) => process.stdout.write(s, (err) => (err ? reject(err) : resolve())));

export function tokenize(args: string[]): Promise<number> {
  return runTokenize(args, process.stdin, writeStdout);
}
