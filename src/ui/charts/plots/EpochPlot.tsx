import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EpochPoint } from '../../../store';
import { CHART_HEIGHT, SERIES, TOOLTIP_STYLE } from '../chartTheme';

const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));

/** Per epoch: training and validation loss (left axis), accuracy and macro F1 (right axis). */
export function EpochPlot({ points }: { points: EpochPoint[] }) {
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
      <LineChart data={points} margin={{ top: 8, right: 4, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="epoch" type="number" domain={[1, 'dataMax']} allowDecimals={false} />
        <YAxis yAxisId="loss" width={48} tickFormatter={(v: number) => v.toFixed(2)} />
        <YAxis
          yAxisId="metric"
          orientation="right"
          width={40}
          domain={[0, 1]}
          tickFormatter={(v: number) => v.toFixed(1)}
        />
        <Tooltip {...TOOLTIP_STYLE} formatter={fmt} labelFormatter={(e) => `epoch ${String(e)}`} />
        <Legend />
        <Line yAxisId="loss" dataKey="trainLoss" name="train loss" stroke={SERIES.faint} isAnimationActive={false} />
        <Line yAxisId="loss" dataKey="validLoss" name="valid loss" stroke={SERIES.primary} isAnimationActive={false} />
        <Line yAxisId="metric" dataKey="accuracy" name="accuracy" stroke={SERIES.tertiary} isAnimationActive={false} />
        <Line yAxisId="metric" dataKey="macroF1" name="macro F1" stroke={SERIES.secondary} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
