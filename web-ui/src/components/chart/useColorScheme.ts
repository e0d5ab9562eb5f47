import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ColorScheme } from './colors';

/**
 * 'dark' or 'light', following the system's setting as it changes. uPlot draws the axes and the grid on its canvas in
 * the colours read from the stylesheet (--chart-ink, --chart-grid) when the plot is made, so a plot made in one theme
 * kept its dark grey labels on the dark page after a switch; the chart makes its plot again when this changes, and
 * the run colours (colors.ts) are the theme's own.
 */
export function useColorScheme(): ColorScheme {
  const query = useMemo(() => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null), []);
  const [dark, setDark] = useState(() => query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const changed = () => setDark(query.matches);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, [query]);
  return dark ? 'dark' : 'light';
}
