import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LossPoint } from '../../../store';
import { formatLearningRate } from '../../format';
import { CHART_HEIGHT, SERIES, TOOLTIP_STYLE } from '../chartTheme';

/** The learning-rate schedule as it ran (warmup, then linear decay). */
export function LrPlot({ points }: { points: LossPoint[] }) {
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
      <LineChart data={points} margin={{ top: 8, right: 12, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
        <YAxis width={64} tickFormatter={formatLearningRate} />
        <Tooltip
          {...TOOLTIP_STYLE}
          formatter={(v) => (typeof v === 'number' ? formatLearningRate(v) : String(v))}
          labelFormatter={(s) => `step ${String(s)}`}
        />
        <Line dataKey="lr" name="learning rate" stroke={SERIES.secondary} dot={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
