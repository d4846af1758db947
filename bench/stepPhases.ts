// One training step split into the phases src/train/epochLoop.ts runs (forward + backward,
// accumulate, clip, AdamW), each timed with a given clock, plus a tf.profile of one forward +
// backward. Browser-safe: profileStep.ts (Node, CPU time) and the Chromium profile page
// (browser/profile.ts, wall time) share it.
import * as tf from '@tensorflow/tfjs';
import { batchInput } from '../src/train/evaluate';
import { AdamW, clipGradNorm, disposeMap, GradAccumulator } from '../src/train/optimizer';
import { lossAndGrads } from '../src/train/step';
import { median, randomClassifier, syntheticExamples, type ShapeName } from './common';
import { byName, byNameAndShapes, kernelTable } from './kernelTable';

const SEQ = 128;
const LOSS = { multiLabel: false, classWeights: null };

export interface StepPhases {
  /**
   * Runs one step; its phase times are recorded under `${tag}${phase}`. `aroundForward` wraps the
   * forward + backward only (the optimizer keeps the setup it was made with).
   */
  step(tag: string, seed: number, aroundForward?: <R>(f: () => R) => R): void;
  /** One line per recorded phase (warm-up tags left out): median and every time. */
  summary(unit: string): string[];
  /** Kernel tables of one forward + backward (by name, then by name and input shapes). */
  profile(): Promise<string[]>;
  dispose(): void;
}

export function stepPhases(shape: ShapeName, batch: number, clock: () => number): StepPhases {
  const model = randomClassifier(shape);
  const trainable = new Map(model.params);
  const rows = [...Array(batch).keys()];
  const examples = syntheticExamples(batch, SEQ);
  const optimizer = new AdamW(trainable);
  const acc = new GradAccumulator();
  const phases: Record<string, number[]> = {};
  const timed = <R>(phase: string, f: () => R): R => {
    const c = clock();
    const r = f();
    (phases[phase] ??= []).push(clock() - c);
    return r;
  };
  const forwardBackward = (seed: number) => {
    const b = batchInput(model, examples, rows, 0, undefined);
    try {
      return lossAndGrads(model, trainable, b.input, b.labels, LOSS, true, seed);
    } finally {
      b.dispose();
    }
  };
  return {
    step(tag, seed, aroundForward = (f) => f()) {
      const out = timed(`${tag}fwd+bwd`, () => aroundForward(() => forwardBackward(seed)));
      timed(`${tag}accumulate`, () => {
        acc.add(out.grads);
        disposeMap(out.grads);
      });
      const mean = acc.takeMean();
      const clipped = timed(`${tag}clip`, () => clipGradNorm(mean, 1));
      disposeMap(mean);
      timed(`${tag}adamw`, () => optimizer.step(clipped.grads, 5e-5));
      disposeMap(clipped.grads);
      clipped.norm.dispose();
      out.loss.dispose();
    },
    summary: (unit) =>
      Object.entries(phases)
        .filter(([k]) => !k.startsWith('warm'))
        .map(
          ([k, v]) =>
            `${k.padEnd(22)} median ${median(v).toFixed(0).padStart(5)} ${unit}   [${v.map((x) => x.toFixed(0)).join(' ')}]`,
        ),
    async profile() {
      const prof = await tf.profile(() => {
        const o = forwardBackward(99);
        disposeMap(o.grads);
        o.loss.dispose();
      });
      return [
        `one forward + backward: ${prof.kernels.length} kernels`,
        ...kernelTable(prof.kernels, byName, 20),
        '',
        ...kernelTable(prof.kernels, byNameAndShapes, 30),
      ];
    },
    dispose() {
      optimizer.dispose();
      acc.dispose();
      model.dispose();
    },
  };
}
