/// <reference lib="webworker" />
// Worker entry: owns tfjs and the model; the page only sees the typed messages of protocol.ts.
import { selectBackend } from '../model/backend';
import { assertNever, type FromWorker, type ToWorker } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init': {
      const choice = await selectBackend({
        ...(msg.backend ? { preferred: msg.backend } : {}),
        wasmPaths: msg.wasmPaths,
        wasmThreads: msg.wasmThreads,
      });
      post({ type: 'ready', ...choice });
      return;
    }
    default:
      assertNever(msg.type as never);
  }
}

scope.onmessage = (ev: MessageEvent<ToWorker>) => {
  handle(ev.data).catch((err: unknown) => {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err), during: ev.data.type });
  });
};
