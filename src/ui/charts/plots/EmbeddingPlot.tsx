import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { MAP_HEIGHT, PALETTE, TOOLTIP_STYLE } from '../chartTheme';

interface MapPoint {
  x: number;
  y: number;
  row: number;
  text: string;
}

const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : String(v));

/** Points grouped by label (one series, one colour each); unlabelled rows form one series. */
function byLabel(points: [number, number][], labels: string[] | null, texts: string[]): Map<string, MapPoint[]> {
  const groups = new Map<string, MapPoint[]>();
  points.forEach(([x, y], i) => {
    const key = labels?.[i] ?? 'rows';
    const g = groups.get(key) ?? groups.set(key, []).get(key)!;
    g.push({ x, y, row: i + 1, text: texts[i] ?? '' });
  });
  return groups;
}

/** The dataset's embeddings on their first two principal axes, coloured by label. */
export function EmbeddingPlot({
  points,
  labels,
  texts,
}: {
  points: [number, number][];
  labels: string[] | null;
  texts: string[];
}) {
  const groups = [...byLabel(points, labels, texts)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return (
    <ResponsiveContainer width="100%" height={MAP_HEIGHT}>
      <ScatterChart margin={{ top: 8, right: 12, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="x" type="number" name="PC 1" tickFormatter={(v: number) => v.toFixed(1)} />
        <YAxis dataKey="y" type="number" name="PC 2" width={52} tickFormatter={(v: number) => v.toFixed(1)} />
        <Tooltip {...TOOLTIP_STYLE} formatter={fmt} labelFormatter={() => ''} cursor={{ strokeDasharray: '3 3' }} />
        {groups.length > 1 && <Legend />}
        {groups.map(([label, data], i) => (
          <Scatter key={label} name={label} data={data} fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
        ))}
      </ScatterChart>
    </ResponsiveContainer>
  );
}
