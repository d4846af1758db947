import type { EpochPoint } from '../../store';
import { ChartFrame } from './ChartFrame';
import { EpochPlot } from './plots';

/** Per epoch: training and validation loss (left axis), accuracy and macro F1 (right axis). */
export function EpochChart({ points, pending }: { points: EpochPoint[]; pending?: boolean }) {
  return (
    <ChartFrame label="Validation chart" caption="Validation per epoch" points={points.length} pending={pending}>
      <EpochPlot points={points} />
    </ChartFrame>
  );
}
