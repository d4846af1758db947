import { ChartFrame } from './ChartFrame';
import { LengthPlot } from './plots';

interface Props {
  histogram: { from: number; to: number; count: number }[];
  suggested: number | null;
}

/** Token lengths per text, with the suggested max_length marked. */
export function LengthHistogram(props: Props) {
  return (
    <ChartFrame label="Token length histogram" caption="Tokens per example">
      <LengthPlot {...props} />
    </ChartFrame>
  );
}
