// State-dict name fix-ups done before the model builder matches names, following HF
// transformers' `PreTrainedModel._fix_state_dict_key_on_load` (modeling_utils.py): old TF-converted
// checkpoints call LayerNorm parameters gamma/beta instead of weight/bias.
import { CheckpointError, type WeightMap } from './types';

export interface RenameReport {
  weights: WeightMap;
  /** [old name, new name] for every tensor that was renamed. */
  renamed: [string, string][];
}

/** `….LayerNorm.gamma` → `….LayerNorm.weight`, `….LayerNorm.beta` → `….LayerNorm.bias`; order kept. */
export function normalizeNames(weights: WeightMap): RenameReport {
  return renameAll(weights, (name) => {
    if (/(^|\.)LayerNorm\.gamma$/.test(name)) return name.slice(0, -'gamma'.length) + 'weight';
    if (/(^|\.)LayerNorm\.beta$/.test(name)) return name.slice(0, -'beta'.length) + 'bias';
    return name;
  });
}

/** Removes `prefix` (e.g. "bert.") from the names that start with it; others are kept as they are. */
export function stripPrefix(weights: WeightMap, prefix: string): RenameReport {
  return renameAll(weights, (name) => (name.startsWith(prefix) ? name.slice(prefix.length) : name));
}

/** Adds `prefix` to every name that does not already start with it. */
export function addPrefix(weights: WeightMap, prefix: string): RenameReport {
  return renameAll(weights, (name) => (name.startsWith(prefix) ? name : prefix + name));
}

function renameAll(weights: WeightMap, rename: (name: string) => string): RenameReport {
  const out: WeightMap = new Map();
  const renamed: [string, string][] = [];
  for (const [name, t] of weights) {
    const next = rename(name);
    if (out.has(next)) throw new CheckpointError(`renaming ${name} to ${next} collides with an existing tensor`);
    if (next !== name) renamed.push([name, next]);
    out.set(next, t);
  }
  return { weights: out, renamed };
}
