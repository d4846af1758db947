import { useStudio, type ThemeChoice } from '../store';

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const ICON: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };

/** Cycles system → light → dark; 'system' follows prefers-color-scheme. */
export function ThemeToggle() {
  const theme = useStudio((s) => s.ui.theme);
  const setTheme = useStudio((s) => s.setTheme);
  return (
    <button
      type="button"
      className="secondary theme-toggle"
      aria-label={`Colour theme: ${theme}`}
      title={`Colour theme: ${theme} (click for ${NEXT[theme]})`}
      onClick={() => setTheme(NEXT[theme])}
    >
      <span aria-hidden="true">{ICON[theme]}</span> {theme}
    </button>
  );
}
