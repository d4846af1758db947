// The one place that knows PyTorch's nn.Linear layout. Checkpoints (HF state dicts) store Linear
// weights as [out, in]; the model holds them as [in, out] so every forward matmul is x @ W with
// no transpose (BROWSER.md gap 3). Embeddings, LayerNorm and biases are identical in both.
import * as tf from '@tensorflow/tfjs';

/** True for the weight of an nn.Linear (query/key/value/dense/classifier/qa_outputs/decoder). */
export function isLinearWeight(name: string): boolean {
  return name.endsWith('.weight') && !name.includes('embeddings.') && !name.includes('LayerNorm.');
}

/** Shape the model holds for a tensor whose checkpoint (HF) shape is `hfShape`. */
export function internalShape(name: string, hfShape: readonly number[]): number[] {
  return isLinearWeight(name) ? [hfShape[1]!, hfShape[0]!] : [...hfShape];
}

/** Checkpoint data (HF layout) -> a tensor in model layout. */
export function toInternal(name: string, hfShape: number[], data: Float32Array): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.tensor(data, hfShape, 'float32');
    return isLinearWeight(name) ? tf.transpose(t) : t;
  });
}

/**
 * A model tensor -> its data in HF layout, with the HF shape. Read back asynchronously: WebGPU's
 * synchronous readback stalls the queue and, under SwiftShader, returns zeros and loses the device.
 */
export async function toHf(name: string, t: tf.Tensor): Promise<{ shape: number[]; data: Float32Array }> {
  const hf = isLinearWeight(name) ? tf.transpose(t) : t;
  try {
    const data = (await hf.data()) as Float32Array;
    return { shape: [...hf.shape], data: new Float32Array(data) };
  } finally {
    if (hf !== t) hf.dispose();
  }
}
