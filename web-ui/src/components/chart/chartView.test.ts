import { describe, expect, it } from 'vitest';
import { viewFromQuery, viewToQuery } from './ChartControls';

describe('the chart view in the URL', () => {
  it('ignores outliers unless the URL says outliers=show, and round-trips both', () => {
    expect(viewFromQuery(new URLSearchParams('')).ignoreOutliers).toBe(true);
    expect(viewFromQuery(new URLSearchParams('outliers=ignore')).ignoreOutliers).toBe(true); // links made before
    const shown = viewFromQuery(new URLSearchParams('outliers=show&log=1'));
    expect(shown.ignoreOutliers).toBe(false);
    expect(viewToQuery(shown, new URLSearchParams('runs=1,2')).toString()).toBe('runs=1%2C2&log=1&outliers=show');
    expect(viewToQuery({ ...shown, ignoreOutliers: true }, new URLSearchParams('outliers=show')).has('outliers')).toBe(false);
  });
});
