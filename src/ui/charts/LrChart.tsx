import type { LossPoint } from '../../store';
import { ChartFrame } from './ChartFrame';
import { LrPlot } from './plots';

/** The learning-rate schedule as it ran (warmup, then linear decay). */
export function LrChart({ points, pending }: { points: LossPoint[]; pending?: boolean }) {
  return (
    <ChartFrame label="Learning rate chart" caption="Learning rate" pending={pending}>
      <LrPlot points={points} />
    </ChartFrame>
  );
}
