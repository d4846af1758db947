// Learning-rate schedules as Hugging Face transformers `optimization.py` defines them
// (get_constant_schedule[_with_warmup], get_linear_schedule_with_warmup,
// get_cosine_schedule_with_warmup). `step` counts scheduler.step() calls made so far, so update
// number t (1-based) uses factor(t - 1): with warmup the very first update has lr 0, as in HF.

export type ScheduleKind = 'constant' | 'linear' | 'cosine';
export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['constant', 'linear', 'cosine'];

export interface ScheduleOptions {
  kind: ScheduleKind;
  warmupSteps: number;
  totalSteps: number;
  /** Cosine only; HF default 0.5 (one half-wave from peak to 0). */
  numCycles?: number;
}

/** Multiplier of the peak learning rate after `step` scheduler steps. */
export function lrFactor(step: number, o: ScheduleOptions): number {
  const warmup = o.warmupSteps;
  if (step < warmup) return step / Math.max(1, warmup);
  switch (o.kind) {
    case 'constant':
      return 1;
    case 'linear':
      return Math.max(0, (o.totalSteps - step) / Math.max(1, o.totalSteps - warmup));
    case 'cosine': {
      const progress = (step - warmup) / Math.max(1, o.totalSteps - warmup);
      const cycles = o.numCycles ?? 0.5;
      return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * cycles * 2 * progress)));
    }
  }
}

/** Learning rate for update number `update` (1-based). */
export function learningRate(peakLr: number, update: number, o: ScheduleOptions): number {
  return peakLr * lrFactor(update - 1, o);
}

/** HF TrainingArguments.get_warmup_steps: warmup_steps if > 0, else ceil(total * warmup_ratio). */
export function warmupStepsFor(totalSteps: number, warmupRatio: number, warmupSteps = 0): number {
  return warmupSteps > 0 ? warmupSteps : Math.ceil(totalSteps * warmupRatio);
}
