/// <reference lib="webworker" />
// Worker entry: owns tfjs, the data and the model; the page only sees the typed messages of
// protocol.ts. Long jobs (training) run while later messages (stop, pause, predict) still arrive,
// because the loop yields between batches.
import { selectBackend } from '../model/backend';
import { registerTrainingKernels } from '../model';
import { assertNever, type FromWorker, type ToWorker } from './protocol';
import { computeStats, loadDataset, loadValidation } from './worker/dataset';
import { cacheReport, clearModelCache } from './worker/cache';
import { defaultCache, type ModelCache } from '../io';
import { deleteFromLibrary, renameInLibrary, exportZip, listLibrary, saveToLibrary } from './worker/exporting';
import { loadModel } from './worker/model';
import { predictFile, predictOne } from './worker/predict';
import { newState } from './worker/state';
import { runTraining } from './worker/training';
import { describeError } from './worker/errors';
import { embedDataset, exportEmbeddings, similarRows } from './worker/embedding';
import { datasetIdentity, describeModel, openCheckpointStore } from './worker/checkpoints';
import { reportIfDeviceLost, watchDevice } from './worker/faults';
import type { RunCheckpoints } from './worker/resume';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const state = newState();
const checkpoints = openCheckpointStore();
/** Where the loaded dataset and model came from, saved with each checkpoint. */
const origin: Pick<RunCheckpoints, 'dataset' | 'model'> = { dataset: null, model: null };
/** Mid-epoch checkpoints at most this often, besides one at each epoch end. */
const CHECKPOINT_EVERY_MS = 5 * 60_000;
/** Lets the page tell a busy worker from a dead one. */
const HEARTBEAT_MS = 2000;
let heartbeat: ReturnType<typeof setInterval> | null = null;
/** The hub download cache (the same storage hub downloads write to), opened on first use. */
let modelCache: ModelCache | null = null;

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
      registerTrainingKernels();
      post({ type: 'ready', ...choice });
      watchDevice(choice.backend, post);
      heartbeat ??= setInterval(() => post({ type: 'heartbeat' }), HEARTBEAT_MS);
      void checkpoints.sweep().catch(() => undefined);
      return;
    }
    case 'loadDataset': {
      const identity = await datasetIdentity(msg.file);
      await loadDataset(state, msg.file, post, msg.encoding);
      // Set before the page can answer 'datasetLoaded' (its reply is a later task than this).
      origin.dataset = identity;
      return;
    }
    case 'loadValidation':
      await loadValidation(state, msg.file, post, msg);
      return;
    case 'datasetStats':
      post({ type: 'datasetStats', stats: computeStats(state, msg) });
      return;
    case 'loadModel':
      post({ type: 'modelLoaded', info: await loadModel(state, msg.source, post) });
      origin.model = describeModel(msg.source);
      return;
    case 'train': {
      if (state.control) throw new Error('a training run is already in progress');
      const runId = msg.resume ?? msg.runId;
      const run = runId
        ? { store: checkpoints, runId, resume: !!msg.resume, ...origin, everyMs: CHECKPOINT_EVERY_MS }
        : undefined;
      return runTraining(state, msg.settings, post, run);
    }
    case 'listCheckpoints':
      post({ type: 'checkpoints', runs: await checkpoints.list() });
      return;
    case 'deleteCheckpoint':
      await checkpoints.delete(msg.runId);
      post({ type: 'checkpoints', runs: await checkpoints.list() });
      return;
    case 'stop':
      state.control?.stop();
      return;
    case 'pause':
      state.control?.pause();
      if (state.control) post({ type: 'paused' });
      return;
    case 'resume':
      state.control?.resume();
      return;
    case 'predict':
      post({
        type: 'prediction',
        requestId: msg.requestId,
        prediction: await predictOne(state, msg.text, msg.textPair),
      });
      return;
    case 'predictBatch': {
      const r = await predictFile(state, msg.file);
      post({ type: 'batchPrediction', csv: r.csv, rows: r.rows });
      return;
    }
    case 'saveModel': {
      const r = await saveToLibrary(state, msg.name);
      post({ type: 'saved', id: r.id, name: r.name });
      post({ type: 'library', models: await listLibrary() });
      return;
    }
    case 'exportModel': {
      const r = await exportZip(state);
      post({ type: 'exported', fileName: r.fileName, zip: r.zip }, [r.zip.buffer]);
      return;
    }
    case 'listLibrary':
      post({ type: 'library', models: await listLibrary() });
      return;
    case 'deleteModel':
      await deleteFromLibrary(msg.id);
      post({ type: 'library', models: await listLibrary() });
      return;
    case 'renameModel':
      await renameInLibrary(msg.id, msg.name);
      post({ type: 'library', models: await listLibrary() });
      return;
    case 'cacheInfo':
      post(await cacheReport((modelCache ??= defaultCache())));
      return;
    case 'clearCache':
      post(await clearModelCache((modelCache ??= defaultCache()), msg.id));
      return;
    case 'embedDataset':
      post(await embedDataset(state, msg, post));
      return;
    case 'similar':
      post({ type: 'similar', requestId: msg.requestId, rows: await similarRows(state, msg.text) });
      return;
    case 'exportEmbeddings': {
      const r = exportEmbeddings(state, msg.format);
      post({ type: 'embeddingsExported', fileName: r.fileName, bytes: r.bytes }, [r.bytes.buffer]);
      return;
    }
    default:
      assertNever(msg);
  }
}

scope.onmessage = (ev: MessageEvent<ToWorker>) => {
  handle(ev.data).catch((err: unknown) => {
    // The training loop reports its own failures (with kind and advice) before rethrowing.
    if ((err as { reported?: boolean } | null)?.reported) return;
    const message = describeError(err);
    post({ type: 'error', message, during: ev.data.type });
    reportIfDeviceLost(message, post);
  });
};
