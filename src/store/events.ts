// Applies worker events to the store. Step events are batched and applied at most ~10 times a
// second, so a fast backend cannot make React re-render per batch.
import type { StoreApi } from 'zustand';
import { assertNever, type FromWorker, type StepEvent } from '../train/protocol';
import { EMPTY_DATASET } from './datasetSlice';
import { EMPTY_EMBED } from './embedSlice';
import { guessedMapping, suggestedTask } from './taskColumns';
import { appendDecimated, toEpochPoint, toLossPoints, type EmaState } from './series';
import { currentRun } from './projectSlice';
import { errorPlace } from './steps';
import { getTrainer } from './trainer';
import { isTrainingActive } from './trainingSlice';
import type { StudioState } from './types';

/** Minimum time between two chart updates. */
export const FLUSH_MS = 100;

export function connectWorkerEvents(api: StoreApi<StudioState>): () => void {
  const { getState: get, setState: set } = api;
  let buffer: StepEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const ema: EmaState = { m: 0, n: 0 };

  const flushSteps = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const events = buffer;
    buffer = [];
    const last = events.at(-1);
    const runId = get().project.currentRunId;
    if (!last || !runId) return;
    const points = toLossPoints(events, ema);
    get().updateRun(runId, (r) => {
      const { points: steps, stride } = appendDecimated(r.steps, points, r.stride);
      return { ...r, steps, stride, elapsedSec: last.elapsedSec };
    });
    set((s) => ({
      training: { ...s.training, last, status: s.training.status === 'starting' ? 'running' : s.training.status },
    }));
  };

  const finishRun = (status: 'done' | 'stopped' | 'failed', bestEpoch: number | null) => {
    const runId = get().project.currentRunId;
    if (runId)
      get().updateRun(runId, (r) => ({ ...r, status, finishedAt: Date.now(), bestEpoch: bestEpoch ?? r.bestEpoch }));
  };

  const handle = (msg: FromWorker): void => {
    switch (msg.type) {
      case 'ready':
        return;
      case 'datasetProgress': {
        const progress = msg.bytesTotal ? Math.min(1, msg.bytesDone / msg.bytesTotal) : null;
        set((s) => ({ dataset: { ...s.dataset, progress } }));
        return;
      }
      case 'datasetLoaded': {
        const prev = get().dataset;
        const { summary } = msg;
        const restoring = prev.restoring;
        const g = summary.guess;
        const task = restoring ? null : suggestedTask(summary.format, summary.taskGuess);
        set((s) => ({
          dataset: {
            ...(restoring ? prev : EMPTY_DATASET),
            status: 'ready',
            progress: null,
            summary,
            inWorker: true,
            restoring: false,
            rereading: false,
            // The worker forgets the validation and test files when a training file loads.
            validation: null,
            test: null,
            mapping: restoring ? prev.mapping : guessedMapping(g, summary.taskGuess),
            // A re-read with another encoding keeps the rows but not the text: its warnings are asked again.
            warningsDecision:
              restoring && !prev.rereading ? prev.warningsDecision : summary.warnings.length > 0 ? 'pending' : 'keep',
            dropRows: restoring && !prev.rereading ? prev.dropRows : [],
          },
          model: task
            ? { ...s.model, task }
            : !restoring && g.textPair && s.model.task === 'seq-cls'
              ? { ...s.model, task: 'pair-cls' }
              : s.model,
          embed: EMPTY_EMBED,
        }));
        get().requestStats();
        return;
      }
      case 'validationLoaded': {
        const file = { status: 'ready', fileName: msg.fileName, rows: msg.rows } as const;
        set((s) => ({
          dataset: msg.role === 'test' ? { ...s.dataset, test: file } : { ...s.dataset, validation: file },
        }));
        return;
      }
      case 'datasetStats':
        set((s) => ({ dataset: { ...s.dataset, stats: msg.stats, statsStatus: 'ready' } }));
        get().applyStatsSuggestions(msg.stats);
        return;
      case 'modelProgress':
        set((s) => ({
          model: {
            ...s.model,
            progress: { ...s.model.progress, [msg.file]: { loaded: msg.loaded, total: msg.total } },
          },
        }));
        return;
      case 'modelLoaded': {
        const { info } = msg;
        set((s) => ({
          model: { ...s.model, status: 'ready', info, predicts: info.task !== null, task: info.task ?? s.model.task },
        }));
        get().requestStats();
        return;
      }
      case 'step':
        buffer.push(msg);
        timer ??= setTimeout(flushSteps, FLUSH_MS);
        return;
      case 'epochEnd': {
        flushSteps();
        const point = toEpochPoint(msg);
        const runId = get().project.currentRunId;
        if (runId)
          get().updateRun(runId, (r) => ({ ...r, epochs: [...r.epochs.filter((e) => e.epoch !== msg.epoch), point] }));
        set((s) => ({ results: { ...s.results, report: msg.valid, reportFrom: msg.epoch } }));
        return;
      }
      case 'best': {
        const runId = get().project.currentRunId;
        if (runId)
          get().updateRun(runId, (r) => ({
            ...r,
            bestEpoch: msg.epoch,
            best: { metric: msg.metric, value: msg.value },
          }));
        return;
      }
      case 'paused':
        set((s) => ({ training: { ...s.training, status: 'paused' } }));
        return;
      case 'done': {
        flushSteps();
        ema.m = 0;
        ema.n = 0;
        // Epochs count from 1; anything lower means the worker did not track a best epoch.
        const bestEpoch = msg.bestEpoch >= 1 ? msg.bestEpoch : null;
        finishRun(msg.stopped ? 'stopped' : 'done', bestEpoch);
        const runId = get().project.currentRunId;
        if (runId && msg.test !== undefined) get().updateRun(runId, (r) => ({ ...r, test: msg.test ?? null }));
        get().refreshCheckpoints();
        set((s) => ({
          training: { ...s.training, status: msg.stopped ? 'stopped' : 'done' },
          model: { ...s.model, predicts: true },
          results: {
            ...s.results,
            report: msg.report ?? s.results.report,
            reportFrom: msg.report ? 'final' : s.results.reportFrom,
            misclassified: msg.misclassified,
            bestEpoch: bestEpoch ?? currentRun(get().project)?.bestEpoch ?? null,
          },
        }));
        return;
      }
      case 'prediction':
        if (msg.requestId !== get().results.requestId) return; // a newer request is on its way
        set((s) => ({
          results: {
            ...s.results,
            predicting: false,
            prediction: { requestId: msg.requestId, prediction: msg.prediction },
          },
        }));
        return;
      case 'batchPrediction':
        set((s) => ({
          results: { ...s.results, batch: { ...s.results.batch, status: 'done', csv: msg.csv, rows: msg.rows } },
        }));
        return;
      case 'saved':
        set((s) => ({ results: { ...s.results, saving: false, lastSaved: { id: msg.id, name: msg.name } } }));
        get().refreshLibrary();
        return;
      case 'library':
        set((s) => ({ model: { ...s.model, library: msg.models } }));
        return;
      case 'cache':
        set((s) => ({ model: { ...s.model, cache: { models: msg.models, totalBytes: msg.totalBytes } } }));
        return;
      case 'exported':
        set((s) => ({
          results: { ...s.results, exporting: false, exported: { fileName: msg.fileName, zip: msg.zip } },
        }));
        return;
      case 'error':
        onError(msg.message, msg.during);
        get().onRecoveryEvent(msg);
        return;
      case 'checkpoints':
      case 'checkpointSaved':
      case 'warning':
      case 'workerLost':
      case 'deviceLost':
        get().onRecoveryEvent(msg);
        return;
      case 'heartbeat':
        return;
      case 'embedProgress':
        set((s) => ({ embed: { ...s.embed, progress: { done: msg.done, total: msg.total } } }));
        return;
      case 'embedded':
        set((s) => ({
          embed: {
            ...s.embed,
            status: 'ready',
            progress: null,
            points: msg.points,
            labels: msg.labels,
            texts: msg.texts,
            dim: msg.dim,
            similar: null,
          },
        }));
        return;
      case 'similar': {
        if (msg.requestId !== get().embed.requestId) return; // a newer search is on its way
        set((s) => ({ embed: { ...s.embed, searching: false, similar: { query: s.embed.query, rows: msg.rows } } }));
        return;
      }
      case 'embeddingsExported':
        set((s) => ({ embed: { ...s.embed, exported: { fileName: msg.fileName, bytes: msg.bytes } } }));
        return;
      default:
        assertNever(msg);
    }
  };

  const onError = (message: string, during: Parameters<typeof errorPlace>[0]) => {
    const place = errorPlace(during);
    // A crashed worker (no `during`) also ends any training that was running.
    const trainFailed = during === 'train' || (during === undefined && isTrainingActive(get().training.status));
    get().setError(place, message);
    // Whatever was waiting for the failed request stops waiting.
    set((s) => {
      const next: Partial<StudioState> = {};
      if (during === 'loadValidation')
        next.dataset =
          s.dataset.test?.status === 'loading' ? { ...s.dataset, test: null } : { ...s.dataset, validation: null };
      else if (place === 'data') {
        next.dataset =
          during === 'datasetStats'
            ? { ...s.dataset, statsStatus: 'idle' }
            : s.dataset.status === 'parsing'
              ? EMPTY_DATASET
              : { ...s.dataset, restoring: false, rereading: false };
      }
      if (place === 'model') next.model = { ...s.model, status: s.model.info ? 'ready' : 'idle' };
      if (place === 'try') {
        next.results = { ...s.results, predicting: false, batch: { ...s.results.batch, status: 'idle' } };
        next.embed = {
          ...s.embed,
          searching: false,
          status: s.embed.status === 'running' ? 'idle' : s.embed.status,
          progress: null,
        };
      }
      if (place === 'export') next.results = { ...s.results, saving: false, exporting: false };
      if (trainFailed) next.training = { ...s.training, status: 'idle' };
      return next;
    });
    if (trainFailed) finishRun('failed', null);
  };

  return getTrainer().on(handle);
}
