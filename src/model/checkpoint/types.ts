// Checkpoint readers produce plain typed arrays so they run anywhere (Node, worker, tests)
// without tfjs; the model turns them into variables.

export type DType = 'float32' | 'int32';

export interface RawTensor {
  dtype: DType;
  shape: number[];
  data: Float32Array | Int32Array;
}

/** Hugging Face state-dict name → tensor, in file order. */
export type WeightMap = Map<string, RawTensor>;

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}
