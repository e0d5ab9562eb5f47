import { metrics, params, type ItemList } from '../../api';

/** One kind of key the column picker offers, with what the API found for the search so far. */
export interface KeyResults {
  kind: 'metric' | 'param';
  items: string[];
  /** Where the next page starts, or null when every match is here. */
  cursor: string | null;
}

export const PAGE = 50;

/** The column ids of both kinds' results: metric keys, then param keys, each in the API's order. */
export function columnIds(results: readonly KeyResults[]): string[] {
  return results.flatMap((r) => r.items.map((k) => `${r.kind}.${k}`));
}

/** The results after the next page of one kind arrived. */
export function appendPage(results: readonly KeyResults[], kind: KeyResults['kind'], page: ItemList<string>): KeyResults[] {
  return results.map((r) => (r.kind === kind ? { kind, items: [...r.items, ...page.items], cursor: page.nextCursor } : r));
}

/** The first page (or the page after `cursor`) of the keys of one kind that contain `q`, searched by the API. */
export function fetchKeys(projectId: number, kind: KeyResults['kind'], q: string, cursor: string | null,
  signal: AbortSignal): Promise<ItemList<string>> {
  const query = { q: q || undefined, limit: PAGE, cursor: cursor ?? undefined };
  return kind === 'metric' ? metrics.keys(projectId, query, signal) : params.keys(projectId, query, signal);
}
