// Training failures a user can act on: a diverging loss, and running out of memory on a batch.

export type TrainErrorKind = 'diverged' | 'oom' | 'input' | 'internal';

export class TrainingError extends Error {
  constructor(
    readonly kind: TrainErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}

// What tfjs backends and browsers say when an allocation fails: wasm "Aborted(OOM)" / "memory
// access out of bounds" after a failed grow, webgl/webgpu "out of memory" / "Failed to allocate",
// V8 "Array buffer allocation failed" / "Invalid typed array length".
const OOM_PATTERN =
  /out of memory|\bOOM\b|allocation fail|failed to allocate|array buffer allocation|invalid typed array length|memory access out of bounds|cannot enlarge memory/i;

export function isOutOfMemory(err: unknown): boolean {
  return OOM_PATTERN.test(err instanceof Error ? `${err.name} ${err.message}` : String(err));
}

export function oomError(err: unknown, batchSize: number, seqLen: number, gradAccum: number): TrainingError {
  const cause = err instanceof Error ? err.message : String(err);
  const half = Math.max(1, Math.floor(batchSize / 2));
  return new TrainingError(
    'oom',
    `Out of memory on a batch of ${batchSize} rows x ${seqLen} tokens (${cause}). ` +
      `Halve the batch size to ${half} and set gradient accumulation to ${gradAccum * 2} to keep the same effective batch, ` +
      'or lower the maximum sequence length.',
  );
}

/**
 * Any failure of a training run as a TrainingError: kept as it is, out of memory on the batch in
 * flight ([rows, tokens], when known) with its advice, or 'internal'.
 */
export function asTrainingError(
  err: unknown,
  lastShape: readonly [number, number] | null | undefined,
  gradAccum: number,
): TrainingError {
  if (err instanceof TrainingError) return err;
  if (isOutOfMemory(err) && lastShape) return oomError(err, lastShape[0], lastShape[1], gradAccum);
  return new TrainingError('internal', err instanceof Error ? err.message : String(err));
}

export function divergedError(step: number, lr: number, value: number): TrainingError {
  return new TrainingError(
    'diverged',
    `The training loss became ${value} at step ${step} (learning rate ${lr.toExponential(2)}): training diverged and was stopped. ` +
      'Try a lower learning rate (e.g. a third of it), warmup, or gradient clipping.',
  );
}
