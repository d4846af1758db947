// `npm run -s bench -- [--json] [--only NAME[,NAME]]`: runs the benchmarks one after another and
// prints one line per figure as each finishes (with --json: one JSON object per line, the
// BenchResult fields). Machine facts go to stderr so stdout stays machine-readable.
import os from 'node:os';
import { benchBrowser } from './browser';
import { benchGemm } from './gemm';
import { benchInferLatency } from './inferLatency';
import { benchLoad } from './load';
import { benchMemory } from './memory';
import { benchTokenize } from './tokenize';
import { benchTrainFrozen } from './trainFrozen';
import { benchTrainStep } from './trainStep';
import { benchTrainUi } from './trainUi';
import { formatBenchResult, type BenchResult } from './types';

const BENCHES: Record<string, () => Promise<BenchResult[]>> = {
  tokenize: benchTokenize,
  'train-step': () => benchTrainStep(),
  gemm: benchGemm,
  'train-frozen': benchTrainFrozen,
  'infer-latency': benchInferLatency,
  load: benchLoad,
  browser: benchBrowser,
  memory: benchMemory,
  'train-ui': benchTrainUi,
};

function parse(argv: string[]): { json: boolean; only: string[] } {
  let json = false;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--only') only.push(...(argv[++i] ?? '').split(',').filter(Boolean));
    else if (a.startsWith('--only=')) only.push(...a.slice('--only='.length).split(',').filter(Boolean));
    else throw new Error(`unknown argument ${a}; usage: bench [--json] [--only ${Object.keys(BENCHES).join('|')}]`);
  }
  const unknown = only.filter((n) => !(n in BENCHES));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(', ')}; have ${Object.keys(BENCHES).join(', ')}`);
  return { json, only };
}

function toJson(r: BenchResult): string {
  return JSON.stringify({
    name: r.name,
    backend: r.backend,
    config: r.config,
    value: r.value,
    unit: r.unit,
    reference: r.reference ?? null,
    reference_value: r.reference_value ?? null,
    ratio: r.ratio ?? null,
  });
}

async function main(): Promise<number> {
  const { json, only } = parse(process.argv.slice(2));
  const names = only.length > 0 ? only : Object.keys(BENCHES);
  const load = (): string => os.loadavg()[0]!.toFixed(1);
  console.error(`# ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}, load ${load()}`);
  let failed = 0;
  for (const name of names) {
    const t0 = performance.now();
    try {
      for (const r of await BENCHES[name]!()) console.log(json ? toJson(r) : formatBenchResult(r));
      console.error(`# ${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${load()}`);
    } catch (err) {
      failed++;
      console.error(`# ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
