import type { RunRecord } from '../../store';
import { ChartFrame } from './ChartFrame';
import { RunsPlot } from './plots';

/** Smoothed training loss of several runs on one chart, against the share of training done. */
export function RunsOverlay({ runs }: { runs: RunRecord[] }) {
  return (
    <ChartFrame label="Run comparison chart" caption="Smoothed training loss, by share of training done">
      <RunsPlot runs={runs} />
    </ChartFrame>
  );
}
