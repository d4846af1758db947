// What torch.save's state-dict pickles may name, and the inert data each name builds. The same
// allow-list idea as torch.load(weights_only=True) (torch/_weights_only_unpickler.py), narrower:
// OrderedDict, the tensor/parameter rebuild functions and the typed storage classes.
import type { SourceDType } from './dtypes';
import type { PicklePolicy } from './pickle';
import { PickleDict, PickleGlobal, PickleTuple, StorageRef, TensorRef, type PickleValue } from './pickleValues';
import { CheckpointError } from './types';

// torch/storage.py legacy typed-storage classes, as torch.save still names them.
export const STORAGE_DTYPES: Record<string, SourceDType> = {
  FloatStorage: 'F32',
  DoubleStorage: 'F64',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

const CALLABLES = new Set([
  'collections.OrderedDict',
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
]);

function torchGlobal(module: string, name: string): PickleGlobal {
  const g = new PickleGlobal(module, name);
  if (CALLABLES.has(g.qualified) || (module === 'torch' && Object.hasOwn(STORAGE_DTYPES, name))) return g;
  throw new CheckpointError(
    `pickle refers to ${g.qualified}, which is not allowed in a checkpoint (refused, not executed)`,
  );
}

function torchReduce(fn: PickleValue, args: PickleValue): PickleValue {
  if (!(fn instanceof PickleGlobal) || !CALLABLES.has(fn.qualified)) {
    const what = fn instanceof PickleGlobal ? fn.qualified : 'a non-callable value';
    throw new CheckpointError(`REDUCE of ${what} is not allowed`);
  }
  if (!(args instanceof PickleTuple)) throw new CheckpointError(`${fn.qualified} arguments are not a tuple`);
  const a = args.items;
  switch (fn.qualified) {
    case 'collections.OrderedDict': {
      const d = new PickleDict();
      if (a.length === 0) return d;
      throw new CheckpointError('OrderedDict with constructor arguments is not supported');
    }
    case 'torch._utils._rebuild_tensor':
    case 'torch._utils._rebuild_tensor_v2':
      return rebuildTensor(a);
    default: {
      // _rebuild_parameter(data, requires_grad, hooks[, state]): the data is what we want.
      const data = a[0];
      if (!(data instanceof TensorRef)) throw new CheckpointError(`${fn.qualified} argument is not a tensor`);
      return data;
    }
  }
}

function rebuildTensor(a: PickleValue[]): TensorRef {
  const [storage, offset, size, stride] = a;
  const ints = (v: PickleValue | undefined): number[] | null =>
    v instanceof PickleTuple && v.items.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)
      ? (v.items as number[])
      : null;
  const shape = ints(size);
  const strides = ints(stride);
  if (
    !(storage instanceof StorageRef) ||
    typeof offset !== 'number' ||
    !Number.isSafeInteger(offset) ||
    offset < 0 ||
    !shape ||
    !strides ||
    shape.length !== strides.length
  ) {
    throw new CheckpointError('_rebuild_tensor_v2 arguments are not (storage, offset, size, stride, ...)');
  }
  return new TensorRef(storage, offset, shape, strides);
}

// torch.save's persistent_id: ('storage', storage_type, key, location, numel).
function torchPersistentLoad(pid: PickleValue): PickleValue {
  const t = pid instanceof PickleTuple ? pid.items : [];
  const [kind, type, key, , count] = t;
  if (kind !== 'storage' || t.length !== 5)
    throw new CheckpointError('pickle persistent id is not a torch storage reference');
  const dtype =
    type instanceof PickleGlobal && type.module === 'torch' && Object.hasOwn(STORAGE_DTYPES, type.name)
      ? STORAGE_DTYPES[type.name]
      : undefined;
  if (!dtype) {
    const what = type instanceof PickleGlobal ? type.qualified : typeof type;
    throw new CheckpointError(`persistent storage has an unsupported storage type ${what}`);
  }
  if (typeof key !== 'string' || !/^[\w.-]+$/.test(key))
    throw new CheckpointError(`persistent storage key ${JSON.stringify(key)} is invalid`);
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0)
    throw new CheckpointError(`storage ${key}: invalid element count`);
  return new StorageRef(dtype, key, count);
}

// state_dict._metadata arrives as BUILD state on the OrderedDict; weights do not need it.
function torchBuild(target: PickleValue): void {
  if (!(target instanceof PickleDict) && !(target instanceof TensorRef)) {
    throw new CheckpointError('BUILD target is not an OrderedDict or tensor');
  }
}

export const TORCH_STATE_DICT_POLICY: PicklePolicy = {
  global: torchGlobal,
  reduce: torchReduce,
  build: torchBuild,
  persistentLoad: torchPersistentLoad,
};
