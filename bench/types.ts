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

export function formatBenchResult(r: BenchResult): string {
  const ref =
    r.reference !== undefined && r.reference_value !== undefined
      ? ` | ${r.reference}: ${r.reference_value.toFixed(0)} ${r.unit} | ratio ${r.ratio?.toFixed(2) ?? '-'}`
      : '';
  return `${r.name} [${r.backend}] ${r.config}: ${r.value.toFixed(0)} ${r.unit}${ref}`;
}
