import { num } from '../api';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return dateTime.format(new Date(iso));
}

const shortDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

export function formatShortTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return shortDateTime.format(new Date(iso));
}

/** "3 min ago", "2 h ago", or the date for older times. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  if (s < 7 * 86400) return `${Math.round(s / 86400)} d ago`;
  return formatTime(iso);
}

export function duration(fromIso: string | null | undefined, toIso: string | null | undefined): string {
  if (!fromIso) return '—';
  const ms = (toIso ? Date.parse(toIso) : Date.now()) - Date.parse(fromIso);
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** A metric value with 4 significant digits (NaN and infinities as words). */
export function formatNumber(v: number | string | null | undefined): string {
  const x = num(v);
  if (Number.isNaN(x)) return v === null || v === undefined ? '' : 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return Number(x.toPrecision(4)).toExponential();
  return String(Number(x.toPrecision(4)));
}

/** A param value as text: numbers and strings as they are, arrays and objects as JSON. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/**
 * Memory as runs ask for it and workers report it (in MiB): whole MiB below 1 GiB, else GiB with at most one decimal
 * ("512 MiB", "1 GiB", "1.5 GiB", "15.6 GiB"). Every place that shows memory uses this one.
 */
export function formatMemory(mb: number): string {
  if (!Number.isFinite(mb)) return '—';
  if (Math.abs(mb) < 1024) return `${Math.round(mb)} MiB`;
  return `${Number((mb / 1024).toFixed(1))} GiB`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
