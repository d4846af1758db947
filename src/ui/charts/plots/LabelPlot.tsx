import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CHART_HEIGHT, SERIES, TOOLTIP_STYLE } from '../chartTheme';

/** Rows per label. */
export function LabelPlot({ labels }: { labels: { name: string; count: number }[] }) {
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
      <BarChart data={labels} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" interval={0} tick={{ fontSize: 12 }} />
        <YAxis allowDecimals={false} width={48} />
        <Tooltip {...TOOLTIP_STYLE} />
        <Bar dataKey="count" name="rows" fill={SERIES.primary} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
