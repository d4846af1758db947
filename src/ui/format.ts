// Small pure formatters for the studio UI (no React, no DOM), unit-tested in tests/unit/ui.

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 -> "1.5 KB"; powers of 1024 as file managers show them. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** 4_385_920 -> "4.39M"; parameter counts the way model cards print them. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** Seconds -> "1:05" or "2:03:07"; "–" when unknown (ETA before the first steps). */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '–';
  const s = Math.round(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(r).padStart(2, '0')}`;
}

/** 0.8734 -> "87.3%". */
export function formatPercent(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '–';
  return `${(x * 100).toFixed(digits)}%`;
}

/** Metric values in tables: 3 decimals, "–" for NaN (a class that was never predicted). */
export function formatMetric(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : '–';
}

/** Learning rates: 5e-5 stays "5e-5", 0.001 -> "1e-3". */
export function formatLearningRate(lr: number): string {
  if (!Number.isFinite(lr)) return '–';
  if (lr === 0) return '0';
  const [mantissa = '0', exp = '0'] = lr.toExponential().split('e');
  const m = Number(Number(mantissa).toPrecision(3));
  return `${m}e${Number(exp)}`;
}

/** Tab and other delimiters as words, so "\t" is not shown as blank space. */
export function describeDelimiter(d: string): string {
  switch (d) {
    case '\t':
      return 'tab';
    case ',':
      return 'comma';
    case ';':
      return 'semicolon';
    case '|':
      return 'pipe';
    case ' ':
      return 'space';
    case '':
      return 'none';
    default:
      return JSON.stringify(d);
  }
}

/** "rows 3, 17, 52 and 9 more" for warning lists that can be thousands long. */
export function describeRows(rows: readonly number[], count: number, shown = 8): string {
  if (rows.length === 0) return count > 0 ? `${count} rows` : '';
  const head = rows.slice(0, shown).join(', ');
  const more = Math.max(count, rows.length) - Math.min(rows.length, shown);
  const word = rows.length === 1 && more === 0 ? 'row' : 'rows';
  return more > 0 ? `${word} ${head} and ${more} more` : `${word} ${head}`;
}
