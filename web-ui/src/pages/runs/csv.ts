import type { RunSummary } from '../../api';
import type { Column } from './columns';

function cell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The view's runs as CSV, with the view's columns. */
export function toCsv(columns: Column[], rows: RunSummary[]): string {
  const lines = [columns.map((c) => cell(c.id)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(c.text(r))).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Saves text as a file through a temporary object URL. */
export function download(filename: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
