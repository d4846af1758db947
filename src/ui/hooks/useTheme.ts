import { useEffect } from 'react';
import { useStudio } from '../../store';

/** Mirrors the theme choice onto <html data-theme>; 'system' leaves it to prefers-color-scheme. */
export function useTheme(): void {
  const theme = useStudio((s) => s.ui.theme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
