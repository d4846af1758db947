// Losing the GPU: WebGPU resolves `GPUDevice.lost` (driver reset, another tab hogging the GPU,
// a TDR on Windows) and WebGL loses its context; either way every later kernel fails. The worker
// tells the page, which restarts it on the next backend and resumes from the last checkpoint.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../lib/backends';
import type { Post } from './state';

// What browsers and tfjs say once the device is gone (Chromium, Firefox, tfjs-backend-webgl).
const DEVICE_LOST_PATTERN =
  /device (?:was |is |has been )?lost|GPUDevice.*(?:lost|destroyed)|DXGI_ERROR_DEVICE_(?:REMOVED|HUNG|RESET)|context (?:was |is )?lost|CONTEXT_LOST_WEBGL|device removed/i;

export function isDeviceLost(message: string): boolean {
  return DEVICE_LOST_PATTERN.test(message);
}

interface LossInfo {
  reason?: string;
  message?: string;
}

/** `device.lost` of the active WebGPU backend, when tfjs exposes it. */
function deviceLostPromise(): Promise<LossInfo> | null {
  // WebGPUBackend keeps its GPUDevice as `device`; the type is not exported by tfjs.
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<LossInfo> } }).device;
  return device?.lost ?? null;
}

/** Watches the active backend's device and posts `deviceLost` once when it goes away. */
export function watchDevice(backend: BackendName, post: Post): void {
  if (backend !== 'webgpu') return;
  const lost = deviceLostPromise();
  // A 'destroyed' loss is our own dispose (a later init), not a fault.
  void lost?.then((info) => {
    if (info.reason === 'destroyed') return;
    post({
      type: 'deviceLost',
      backend,
      message: `the GPU device was lost (${info.message || info.reason || 'no reason given'})`,
    });
  });
}

/** Reports an error text that says the device is gone, so the page can switch backends. */
export function reportIfDeviceLost(message: string, post: Post): boolean {
  if (!isDeviceLost(message)) return false;
  const backend = tf.getBackend() as BackendName;
  post({ type: 'deviceLost', backend, message });
  return true;
}
