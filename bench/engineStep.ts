// Times optimizer steps of the project's training engine (src/train/loop.ts `train`, exactly as
// the worker and the CLI run it) on synthetic batches of a fixed shape. Browser-safe: the Node
// benchmark (trainStep.ts) and the browser page (browser/trainStep.ts) share it.
import { train } from '../src/train/loop';
import { randomClassifier, syntheticExamples, useBackend, type BenchBackend, type ShapeName } from './common';

export interface StepCase {
  shape: ShapeName;
  backend: BenchBackend;
  batch: number;
  seq: number;
  warmup: number;
  steps: number;
}

export interface StepTimes {
  /** Wall-clock ms of each timed step (warm-up steps dropped). */
  wall: number[];
  /** Process CPU ms (user + system) of each timed step; null outside Node. */
  cpu: number[] | null;
}

// CPU time barely moves when other jobs share the machine; wall time does.
const cpuMs = (): number | null =>
  typeof process !== 'undefined' && typeof process.cpuUsage === 'function'
    ? (process.cpuUsage().user + process.cpuUsage().system) / 1000
    : null;

const gaps = (marks: number[]): number[] => marks.slice(1).map((t, i) => t - marks[i]!);

export async function engineStepTimes(c: StepCase): Promise<StepTimes> {
  await useBackend(c.backend);
  const model = randomClassifier(c.shape);
  const n = c.batch * (c.warmup + c.steps);
  const marks: number[] = [];
  const cpuMarks: number[] = [];
  let lastStepAt = 0;
  let lastStepCpu = 0;
  const mark = (): Promise<void> => {
    marks.push(performance.now());
    cpuMarks.push(cpuMs() ?? 0);
    return Promise.resolve();
  };
  try {
    await train(
      model,
      { train: syntheticExamples(n, c.seq), valid: [], padId: 0 },
      { epochs: 1, batchSize: c.batch, lr: 5e-5, reportIntervalMs: Number.POSITIVE_INFINITY, seed: 3 },
      (e) => {
        if (e.type === 'step') {
          lastStepAt = performance.now();
          lastStepCpu = cpuMs() ?? 0;
        }
      },
      undefined,
      undefined,
      // Called before every optimizer step: the gaps between calls are step times.
      { yieldFn: mark },
    );
  } finally {
    model.dispose();
  }
  marks.push(lastStepAt); // end of the last step (its step event reads the loss back)
  cpuMarks.push(lastStepCpu);
  const wall = gaps(marks);
  if (wall.length !== c.warmup + c.steps || wall.some((t) => !(t > 0)))
    throw new Error(`engine step timing went wrong: ${wall.join(', ')}`);
  return { wall: wall.slice(c.warmup), cpu: cpuMs() === null ? null : gaps(cpuMarks).slice(c.warmup) };
}
