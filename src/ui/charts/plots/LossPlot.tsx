import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LossPoint } from '../../../store';
import { CHART_HEIGHT, SERIES, TOOLTIP_STYLE } from '../chartTheme';

const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));

/** Training loss per step: raw values faint, the smoothed (EMA) curve on top. */
export function LossPlot({ points }: { points: LossPoint[] }) {
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
      <LineChart data={points} margin={{ top: 8, right: 12, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
        <YAxis width={52} tickFormatter={(v: number) => v.toFixed(2)} domain={[0, 'auto']} />
        <Tooltip {...TOOLTIP_STYLE} formatter={fmt} labelFormatter={(s) => `step ${String(s)}`} />
        <Legend />
        <Line dataKey="loss" name="loss" stroke={SERIES.faint} strokeWidth={1} dot={false} isAnimationActive={false} />
        <Line
          dataKey="ema"
          name="smoothed"
          stroke={SERIES.primary}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
