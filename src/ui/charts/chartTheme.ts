// Series colours readable on both the light and the dark theme; axes take the theme's colours via CSS.
export const SERIES = {
  primary: '#6366f1',
  secondary: '#f59e0b',
  tertiary: '#10b981',
  quaternary: '#ef4444',
  faint: '#94a3b8',
} as const;

export const PALETTE = ['#6366f1', '#f59e0b', '#10b981', '#ef4444', '#06b6d4', '#a855f7', '#84cc16', '#ec4899'];

export const TOOLTIP_STYLE = {
  contentStyle: { background: 'var(--card)', border: '1px solid var(--border)', borderRadius: 8, color: 'var(--fg)' },
  labelStyle: { color: 'var(--muted)' },
} as const;

export const CHART_HEIGHT = 220;
export const MAP_HEIGHT = 360;
