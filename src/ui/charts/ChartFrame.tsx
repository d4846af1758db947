import { Suspense, type ReactNode } from 'react';
import { CHART_HEIGHT } from './chartTheme';

interface Props {
  /** The figure's accessible name. */
  label: string;
  caption: string;
  /** Exposed as data-points, so tests can wait for a curve without reading the SVG. */
  points?: number;
  height?: number;
  /** The plot is not drawn yet (its data arrives on a later beat): keep its space. */
  pending?: boolean;
  children: ReactNode;
}

/**
 * A chart's figure and caption, rendered at once; the plot inside comes from the lazily loaded
 * recharts chunk, with a box of the same height until it arrives so nothing shifts.
 */
export function ChartFrame({ label, caption, points, height = CHART_HEIGHT, pending, children }: Props) {
  const placeholder = <div className="chart-placeholder" style={{ height }} aria-hidden="true" />;
  return (
    <figure className="chart" aria-label={label} data-points={points}>
      <figcaption>{caption}</figcaption>
      {pending ? placeholder : <Suspense fallback={placeholder}>{children}</Suspense>}
    </figure>
  );
}
