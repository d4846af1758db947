// Backend names shared by the page and the worker (plain values, no tfjs).
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface SkippedBackend {
  name: BackendName;
  reason: string;
}

export function isBackendName(v: unknown): v is BackendName {
  return typeof v === 'string' && (BACKEND_ORDER as readonly string[]).includes(v);
}
