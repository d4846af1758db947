// The project's history: every training run with its settings, curves and metrics.
import type { EvalReport, TrainSettings } from '../train/protocol';
import type { EpochPoint, LossPoint } from './series';
import type { SliceCreator } from './types';

export interface RunRecord {
  id: string;
  /** 1-based, for "Run 3" labels. */
  number: number;
  startedAt: number;
  finishedAt: number | null;
  modelLabel: string;
  datasetName: string;
  settings: TrainSettings;
  status: 'running' | 'done' | 'stopped' | 'failed';
  steps: LossPoint[];
  /** Every how many step events a point is kept (doubles as the run grows). */
  stride: number;
  epochs: EpochPoint[];
  bestEpoch: number | null;
  best: { metric: string; value: number } | null;
  elapsedSec: number;
  /** The held-out test set's report, evaluated once after training (absent without a test set). */
  test?: EvalReport | null;
}

export interface ProjectState {
  runs: RunRecord[];
  currentRunId: string | null;
  /** Runs ticked for the overlay chart. */
  compare: string[];
}

export interface ProjectSlice {
  project: ProjectState;
  beginRun: (settings: TrainSettings) => string;
  updateRun: (id: string, change: (run: RunRecord) => RunRecord) => void;
  toggleCompare: (id: string) => void;
  deleteRun: (id: string) => void;
}

export const createProjectSlice: SliceCreator<ProjectSlice> = (set, get) => ({
  project: { runs: [], currentRunId: null, compare: [] },
  beginRun: (settings) => {
    const { project, model, dataset } = get();
    const number = (project.runs.at(-1)?.number ?? 0) + 1;
    const id = `run-${Date.now().toString(36)}-${number}`;
    const run: RunRecord = {
      id,
      number,
      startedAt: Date.now(),
      finishedAt: null,
      modelLabel: model.sourceLabel ?? model.info?.id ?? 'model',
      datasetName: dataset.summary?.fileName ?? 'dataset',
      settings,
      status: 'running',
      steps: [],
      stride: 1,
      epochs: [],
      bestEpoch: null,
      best: null,
      elapsedSec: 0,
    };
    set((s) => ({
      project: { ...s.project, runs: [...s.project.runs, run], currentRunId: id, compare: [...s.project.compare, id] },
    }));
    return id;
  },
  updateRun: (id, change) =>
    set((s) => ({ project: { ...s.project, runs: s.project.runs.map((r) => (r.id === id ? change(r) : r)) } })),
  toggleCompare: (id) =>
    set((s) => {
      const on = s.project.compare.includes(id);
      return {
        project: { ...s.project, compare: on ? s.project.compare.filter((c) => c !== id) : [...s.project.compare, id] },
      };
    }),
  deleteRun: (id) =>
    set((s) => ({
      project: {
        ...s.project,
        runs: s.project.runs.filter((r) => r.id !== id),
        compare: s.project.compare.filter((c) => c !== id),
        currentRunId: s.project.currentRunId === id ? null : s.project.currentRunId,
      },
    })),
});

export function currentRun(p: ProjectState): RunRecord | null {
  return p.runs.find((r) => r.id === p.currentRunId) ?? null;
}

/** The epoch a run's metrics are quoted from: its best, else its last. */
export function headlineEpoch(run: RunRecord): EpochPoint | null {
  return run.epochs.find((e) => e.epoch === run.bestEpoch) ?? run.epochs.at(-1) ?? null;
}
