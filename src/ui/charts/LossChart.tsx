import type { LossPoint } from '../../store';
import { ChartFrame } from './ChartFrame';
import { LossPlot } from './plots';

/** Training loss per step: raw values faint, the smoothed (EMA) curve on top. */
export function LossChart({ points, pending }: { points: LossPoint[]; pending?: boolean }) {
  return (
    <ChartFrame label="Training loss chart" caption="Training loss per step" points={points.length} pending={pending}>
      <LossPlot points={points} />
    </ChartFrame>
  );
}
