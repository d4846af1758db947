// Values the restricted unpickler (pickle.ts) builds: plain data only, no live objects.
import type { SourceDType } from './dtypes';

export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

export class PickleTuple {
  constructor(readonly items: PickleValue[]) {}
}

export class PickleDict {
  readonly map = new Map<string | number, PickleValue>();
}

/** A persistent reference to a storage file `data/<key>` inside the archive. */
export class StorageRef {
  constructor(
    readonly dtype: SourceDType,
    readonly key: string,
    readonly numel: number,
  ) {}
}

/** torch.Tensor as `_rebuild_tensor_v2` describes it: a view into a storage. */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

export type PickleValue =
  null | boolean | number | string | PickleValue[] | PickleTuple | PickleDict | PickleGlobal | StorageRef | TensorRef;
