// Device-loss detection in the worker: the error texts browsers and tfjs give once the GPU is gone
// (and ones that must not count), and the `device.lost` promise of a WebGPU-like backend.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { FromWorker } from '../../../src/train/protocol';
import { isDeviceLost, reportIfDeviceLost, watchDevice } from '../../../src/train/worker/faults';

const CASES: [string, boolean][] = [
  ['Device was lost: DXGI_ERROR_DEVICE_HUNG', true],
  ["Failed to execute 'createBuffer' on 'GPUDevice': Instance dropped... the GPUDevice was lost", true],
  ['GPU device lost (unknown)', true],
  ['the device is lost', true],
  ['WebGL: CONTEXT_LOST_WEBGL: loseContext: context lost', true],
  ['D3D11: DXGI_ERROR_DEVICE_REMOVED', true],
  ['Out of memory on a batch of 16 rows x 128 tokens', false],
  ['The training loss became NaN at step 3', false],
  ['lost connection to the hub', false],
];

describe('device loss', () => {
  const previous = tf.getBackend();
  afterAll(async () => {
    if (previous) await tf.setBackend(previous);
  });

  it.each(CASES)('%s -> %s', (message, lost) => {
    expect(isDeviceLost(message)).toBe(lost);
  });

  it('posts deviceLost for an error text that says so, naming the backend', () => {
    const posted: FromWorker[] = [];
    expect(reportIfDeviceLost('Out of memory', (m) => void posted.push(m))).toBe(false);
    expect(reportIfDeviceLost('the device was lost', (m) => void posted.push(m))).toBe(true);
    expect(posted).toEqual([{ type: 'deviceLost', backend: tf.getBackend(), message: 'the device was lost' }]);
  });

  it("follows the WebGPU device's lost promise, ignoring our own destroy", async () => {
    const losses: Record<string, (info: { reason: string; message: string }) => void> = {};
    for (const name of ['fake-gpu-a', 'fake-gpu-b']) {
      // A stand-in with only what watchDevice reads: tfjs keeps the GPUDevice as `device`.
      const lost = new Promise<{ reason: string; message: string }>((resolve) => (losses[name] = resolve));
      tf.registerBackend(name, () => ({ device: { lost }, dispose: () => undefined }) as unknown as tf.KernelBackend);
    }
    const posted: FromWorker[] = [];
    await tf.setBackend('fake-gpu-a');
    watchDevice('webgpu', (m) => void posted.push(m));
    watchDevice('wasm', (m) => void posted.push(m)); // nothing to watch
    losses['fake-gpu-a']!({ reason: 'unknown', message: 'DXGI_ERROR_DEVICE_HUNG' });
    await tf.setBackend('fake-gpu-b');
    watchDevice('webgpu', (m) => void posted.push(m));
    losses['fake-gpu-b']!({ reason: 'destroyed', message: '' });
    await new Promise((r) => setTimeout(r, 0));
    expect(posted).toEqual([
      { type: 'deviceLost', backend: 'webgpu', message: 'the GPU device was lost (DXGI_ERROR_DEVICE_HUNG)' },
    ]);
  });
});
