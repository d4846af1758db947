// Runs bench/torch_step.py (the PyTorch reference step) in a child process. Debian's torch lives
// under /usr/bin/python3 (another python on the PATH may lack it); on machines without it the
// benchmark prints the reference as unavailable instead of failing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '../tests/unit/shared';
import { SHAPES, type ShapeName } from './common';

const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch_step.py');
const REF_DIR = sharedPath('tools', 'bertref');

export interface TorchStep {
  msPerStep: number;
  /** CPU ms per step summed over torch's threads. */
  cpuMsPerStep: number;
  seqPerS: number;
  threads: number;
  torch: string;
}

let availability: string | null | undefined;

/** null when torch can be used, else why not. */
export function torchUnavailable(): string | null {
  if (availability !== undefined) return availability;
  if (!existsSync(path.join(REF_DIR, 'ref_bert.py'))) return (availability = `no ${REF_DIR}/ref_bert.py`);
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
  availability = r.status === 0 ? null : `${PYTHON} cannot import torch`;
  return availability;
}

export function torchStep(shape: ShapeName, batch: number, seq: number, warmup: number, steps: number): TorchStep {
  const s = SHAPES[shape];
  const args = {
    layers: s.num_hidden_layers,
    hidden: s.hidden_size,
    heads: s.num_attention_heads,
    inter: s.intermediate_size,
    batch,
    seq,
    warmup,
    steps,
  };
  const argv = [SCRIPT, '--ref-dir', REF_DIR, ...Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)])];
  const r = spawnSync(PYTHON, argv, { encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`torch_step.py failed (${r.status ?? r.signal}): ${r.stderr.slice(-500)}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as {
    ms_per_step: number;
    cpu_ms_per_step: number;
    seq_per_s: number;
    threads: number;
    torch: string;
  };
  return {
    msPerStep: j.ms_per_step,
    cpuMsPerStep: j.cpu_ms_per_step,
    seqPerS: j.seq_per_s,
    threads: j.threads,
    torch: j.torch,
  };
}
