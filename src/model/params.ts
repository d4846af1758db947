// Parameter lookup by exact Hugging Face state-dict name (`bert.embeddings.word_embeddings.weight`,
// `classifier.weight`, ...). Linear weights are held [in, out]; see layout.ts.
import type * as tf from '@tensorflow/tfjs';

export type ParamGetter = (name: string) => tf.Tensor;

export function paramGetter(vars: ReadonlyMap<string, tf.Tensor>): ParamGetter {
  return (name) => {
    const v = vars.get(name);
    if (!v) throw new Error(`model has no parameter ${name}`);
    return v;
  };
}
