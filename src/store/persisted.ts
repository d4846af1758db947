// Which parts of the store survive a reload, and how they are merged back over the fresh state.
import { DEFAULT_OPTIONS } from './trainingSlice';
import type { StudioState } from './types';

/** Misclassified rows kept across reloads; the full list returns with the next training run. */
const MAX_PERSISTED_MISCLASSIFIED = 200;

export interface PersistedState {
  ui: Pick<StudioState['ui'], 'step' | 'theme'>;
  dataset: Pick<StudioState['dataset'], 'status' | 'summary' | 'mapping' | 'warningsDecision' | 'dropRows' | 'stats'>;
  model: Pick<StudioState['model'], 'selectedId' | 'customId' | 'task'>;
  training: Pick<StudioState['training'], 'options' | 'touched'>;
  results: Pick<StudioState['results'], 'report' | 'reportFrom' | 'misclassified' | 'bestEpoch'>;
  project: StudioState['project'];
}

export function persistedPart(s: StudioState): PersistedState {
  const d = s.dataset;
  return {
    ui: { step: s.ui.step, theme: s.ui.theme },
    dataset: {
      status: d.summary ? 'ready' : 'empty',
      summary: d.summary,
      mapping: d.mapping,
      warningsDecision: d.warningsDecision,
      dropRows: d.dropRows,
      stats: d.stats,
    },
    model: { selectedId: s.model.selectedId, customId: s.model.customId, task: s.model.task },
    training: { options: s.training.options, touched: s.training.touched },
    results: {
      report: s.results.report,
      reportFrom: s.results.reportFrom,
      misclassified: s.results.misclassified.slice(0, MAX_PERSISTED_MISCLASSIFIED),
      bestEpoch: s.results.bestEpoch,
    },
    project: s.project,
  };
}

const SLICE_KEYS = ['ui', 'dataset', 'model', 'training', 'results', 'project'] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** One level deeper than zustand's default shallow merge: each slice keeps its live-only fields. */
export function mergePersisted(persisted: unknown, current: StudioState): StudioState {
  if (!isRecord(persisted)) return current;
  const next: StudioState = { ...current };
  for (const key of SLICE_KEYS) {
    const saved = persisted[key];
    if (isRecord(saved)) Object.assign(next, { [key]: { ...current[key], ...saved } });
  }
  // Options saved before a setting existed take its default.
  next.training = { ...next.training, options: { ...DEFAULT_OPTIONS, ...next.training.options } };
  // A run that was training when the page closed did not finish.
  next.project = {
    ...next.project,
    runs: next.project.runs.map((r) => (r.status === 'running' ? { ...r, status: 'stopped' } : r)),
  };
  return next;
}
