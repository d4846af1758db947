import { ChartFrame } from './ChartFrame';
import { LabelPlot } from './plots';

/** Rows per label. */
export function LabelChart({ labels }: { labels: { name: string; count: number }[] }) {
  return (
    <ChartFrame label="Label distribution" caption="Label distribution">
      <LabelPlot labels={labels} />
    </ChartFrame>
  );
}
