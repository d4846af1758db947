// One figure printed by a benchmark; `reference*` and `ratio` compare it with another implementation.
export interface BenchResult {
  name: string;
  backend: string;
  config: string;
  value: number;
  unit: string;
  reference?: string;
  reference_value?: number;
  /** value / reference_value */
  ratio?: number;
}

/** Three significant digits below 100 (seconds, small ratios), whole numbers above. */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(0) : Number(x.toPrecision(3)).toString();
}

export function formatBenchResult(r: BenchResult): string {
  const ref =
    r.reference !== undefined && r.reference_value !== undefined
      ? ` | ${r.reference}: ${fmt(r.reference_value)} ${r.unit} | ratio ${r.ratio !== undefined ? r.ratio.toFixed(2) : '-'}`
      : r.reference !== undefined
        ? ` | ${r.reference}`
        : '';
  return `${r.name} [${r.backend}] ${r.config}: ${fmt(r.value)} ${r.unit}${ref}`;
}
