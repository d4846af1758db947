// Messages between the page and the trainer worker. Message types only: no logic here.
import type { BackendName, SkippedBackend } from '../lib/backends';

export type { BackendName, SkippedBackend };

export interface InitRequest {
  type: 'init';
  /** Forced backend from `?backend=`; undefined = best available. */
  backend?: BackendName;
  wasmPaths: Record<string, string>;
  wasmThreads: boolean;
}

export type ToWorker = InitRequest;

export interface ReadyEvent {
  type: 'ready';
  backend: BackendName;
  skipped: SkippedBackend[];
  notes: string[];
}

export interface ErrorEvent {
  type: 'error';
  message: string;
  /** Which request failed, when it is known. */
  during?: ToWorker['type'];
}

export type FromWorker = ReadyEvent | ErrorEvent;

export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}
