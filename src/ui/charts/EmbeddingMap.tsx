import { MAP_HEIGHT } from './chartTheme';
import { ChartFrame } from './ChartFrame';
import { EmbeddingPlot } from './plots';

interface Props {
  points: [number, number][];
  labels: string[] | null;
  texts: string[];
}

/** The dataset's embeddings on their first two principal axes, coloured by label. */
export function EmbeddingMap(props: Props) {
  return (
    <ChartFrame
      label="Embedding map"
      caption="Rows on the first two principal components of their embeddings"
      points={props.points.length}
      height={MAP_HEIGHT}
    >
      <EmbeddingPlot {...props} />
    </ChartFrame>
  );
}
