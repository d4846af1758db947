import type { ReactNode } from 'react';
import { STEP_TITLES, type StepId } from '../store';
import { DataStep } from './DataStep';
import { EvaluateStep } from './EvaluateStep';
import { ExportStep } from './ExportStep';
import { ModelStep } from './ModelStep';
import { ResumeOffer } from './ResumeOffer';
import { TrainStep } from './TrainStep';
import { TryStep } from './TryStep';

const PANELS: Record<StepId, () => ReactNode> = {
  data: () => <DataStep />,
  model: () => <ModelStep />,
  train: () => <TrainStep />,
  evaluate: () => <EvaluateStep />,
  try: () => <TryStep />,
  export: () => <ExportStep />,
};

/** The open step's content, as the tab panel its tab controls. */
export function StepPanel({ step }: { step: StepId }) {
  return (
    <section role="tabpanel" id={`panel-${step}`} aria-labelledby={`tab-${step}`} className="panel">
      <h2 className="visually-hidden">{STEP_TITLES[step]}</h2>
      <ResumeOffer />
      {PANELS[step]()}
    </section>
  );
}
