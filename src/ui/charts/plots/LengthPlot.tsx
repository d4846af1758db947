import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CHART_HEIGHT, SERIES, TOOLTIP_STYLE } from '../chartTheme';

interface Props {
  histogram: { from: number; to: number; count: number }[];
  suggested: number | null;
}

/** Token lengths per text, with the suggested max_length marked. */
export function LengthPlot({ histogram, suggested }: Props) {
  const data = histogram.map((b) => ({ ...b, bin: `${b.from}–${b.to}` }));
  const marker = data.find((b) => suggested !== null && suggested >= b.from && suggested <= b.to);
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="bin" tick={{ fontSize: 11 }} minTickGap={8} />
        <YAxis allowDecimals={false} width={48} />
        <Tooltip {...TOOLTIP_STYLE} />
        <Bar dataKey="count" name="examples" fill={SERIES.tertiary} isAnimationActive={false} />
        {marker && <ReferenceLine x={marker.bin} stroke={SERIES.quaternary} strokeDasharray="4 2" label="max_length" />}
      </BarChart>
    </ResponsiveContainer>
  );
}
