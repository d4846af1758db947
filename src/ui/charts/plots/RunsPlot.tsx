import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunRecord } from '../../../store';
import { CHART_HEIGHT, PALETTE, TOOLTIP_STYLE } from '../chartTheme';

/** Smoothed training loss of several runs on one chart, against the share of training done. */
export function RunsPlot({ runs }: { runs: RunRecord[] }) {
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
      <LineChart margin={{ top: 8, right: 12, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="x" type="number" domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
        <YAxis width={52} tickFormatter={(v: number) => v.toFixed(2)} />
        <Tooltip
          {...TOOLTIP_STYLE}
          formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))}
          labelFormatter={(v) => `${Math.round(Number(v) * 100)}%`}
        />
        <Legend />
        {runs.map((r, i) => {
          const lastStep = r.steps.at(-1)?.step ?? 1;
          const data = r.steps.map((p) => ({ x: p.step / lastStep, ema: p.ema }));
          return (
            <Line
              key={r.id}
              data={data}
              dataKey="ema"
              name={`Run ${r.number}`}
              stroke={PALETTE[i % PALETTE.length]}
              dot={false}
              isAnimationActive={false}
            />
          );
        })}
      </LineChart>
    </ResponsiveContainer>
  );
}
