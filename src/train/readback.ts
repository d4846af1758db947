// Device -> host copies of many tensors (weights, Adam moments) without tfjs's synchronous read:
// on WebGPU dataSync() stalls the queue and, under SwiftShader, returns zeros and loses the device.
// A few reads are in flight at once: overlapped round trips, yet WebGPU's staging buffers stay a
// few tensors' worth instead of a second copy of the whole model.
import type * as tf from '@tensorflow/tfjs';

const IN_FLIGHT = 8;

/** float32 copies of the tensors' values, in order (copies: the CPU backend hands out its own buffer). */
export async function readCopies(tensors: readonly tf.Tensor[]): Promise<Float32Array[]> {
  const out = new Array<Float32Array>(tensors.length);
  let next = 0;
  const reader = async (): Promise<void> => {
    while (next < tensors.length) {
      const i = next++;
      out[i] = new Float32Array(await tensors[i]!.data());
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, tensors.length) }, reader));
  return out;
}
