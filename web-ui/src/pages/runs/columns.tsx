import type { ComponentChildren } from 'preact';
import type { RunSummary } from '../../api';
import { href } from '../../app/router';
import { paths } from '../../app/routes';
import { LiveDuration } from '../../components/LiveDuration';
import { StatusBadge } from '../../components/RunCounts';
import { formatNumber, formatShortTime, formatValue } from '../../components/format';
import type { ColumnWidth } from './columnTemplate';
import { columnLabel } from './view';

export interface Column extends ColumnWidth {
  id: string;
  label: string;
  /** Where a param or metric column's values come from, shown before its label: lr may be both. */
  kind?: 'param' | 'metric';
  /** The API sort key, when the API sorts by this column. */
  sortKey?: string;
  numeric?: boolean;
  /** The row's key (the run's name): stays in view when the table scrolls sideways. */
  sticky?: boolean;
  cell: (r: RunSummary) => ComponentChildren;
  /** The cell as CSV text. */
  text: (r: RunSummary) => string;
}

const FIXED: Column[] = [
  { id: 'id', label: 'ID', width: 72, numeric: true, cell: (r) => r.id, text: (r) => String(r.id) },
  {
    id: 'name', label: 'Name', width: 200, flex: true, sticky: true,
    cell: (r) => <a href={href(paths.run(r.projectId, r.id))} data-col="name">{r.name}</a>,
    text: (r) => r.name,
  },
  { id: 'status', label: 'Status', width: 110, cell: (r) => <StatusBadge status={r.status} />, text: (r) => r.status },
  { id: 'createdAt', label: 'Created', width: 150, sortKey: 'createdAt', cell: (r) => formatShortTime(r.createdAt), text: (r) => r.createdAt },
  {
    id: 'duration', label: 'Duration', width: 90,
    cell: (r) => <LiveDuration startedAt={r.startedAt} finishedAt={r.finishedAt} />,
    text: (r) => (r.startedAt ? String((Date.parse(r.finishedAt ?? new Date().toISOString()) - Date.parse(r.startedAt)) / 1000) : ''),
  },
  {
    id: 'tags', label: 'Tags', width: 150,
    cell: (r) => r.tags.map((t) => <span class="tag" key={t}>{t}</span>),
    text: (r) => r.tags.join(' '),
  },
];

export function paramOrMetricColumn(col: string): Column {
  const name = columnLabel(col);
  if (col.startsWith('metric.')) {
    return {
      id: col, label: name, kind: 'metric', width: 130, sortKey: col, numeric: true,
      cell: (r) => formatNumber(r.metrics[name]?.last),
      text: (r) => (r.metrics[name] ? String(r.metrics[name]!.last) : ''),
    };
  }
  return {
    id: col, label: name, kind: 'param', width: 130, sortKey: col, numeric: true,
    cell: (r) => formatValue(r.params[name]),
    text: (r) => formatValue(r.params[name]),
  };
}

export function columnsFor(extra: string[]): Column[] {
  return [...FIXED, ...extra.map(paramOrMetricColumn)];
}
