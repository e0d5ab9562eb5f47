import { Component } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { RunSummary } from '../../api';
import { RowSlots, withPinned } from '../../components/rowSlots';
import { useVirtualRows } from '../../components/useVirtualRows';
import type { Column } from './columns';
import { columnTemplate } from './columnTemplate';

const ROW = 36;
const SELECT_WIDTH = 44;
// rows beyond the view on each side: enough for arrow keys and wheel steps, few enough that a fast scroll renders
// little more than what shows
const OVERSCAN = 4;

interface Props {
  rows: RunSummary[];
  version: number;
  columns: Column[];
  /** More rows than loaded exist (one placeholder row at the end). */
  more: boolean;
  loading: boolean;
  onNeedMore: () => void;
  sortKey: string;
  descending: boolean;
  onSort: (key: string) => void;
  selected: Set<number>;
  onToggle: (id: number, shiftRange: boolean) => void;
  onToggleAll: (on: boolean) => void;
}

/**
 * The runs, virtualised: only the rows in view are in the DOM, so 100,000 runs scroll like 30. Reaching the end of
 * the loaded rows asks for the next page.
 */
export function RunsTable(p: Props) {
  const count = p.rows.length + (p.more ? 1 : 0);
  const { scrollRef, indices, totalSize, scrollToIndex } = useVirtualRows(count, ROW, OVERSCAN, ROW + 1);
  const last = indices.length ? indices[indices.length - 1]! : -1;

  useEffect(() => {
    if (p.more && !p.loading && last >= p.rows.length - 40) p.onNeedMore();
  }, [last, p.rows.length, p.more, p.loading, p.version]);

  // the table fills the window below whatever is above it (filters fold and unfold), so the page itself does not
  // scroll as well; never shorter than 320 px
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const fit = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      el.style.height = `${Math.max(320, Math.floor(window.innerHeight - top - 12))}px`;
    };
    fit();
    const section = el.closest('section');
    const observer = new ResizeObserver(fit);
    Array.from(section?.children ?? []).forEach((c) => c !== el && observer.observe(c));
    window.addEventListener('resize', fit);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', fit);
    };
  }, []);

  const template = columnTemplate(SELECT_WIDTH, p.columns);
  // a new listing (sort, filters) starts its rows in the slots already made
  const rowSlots = useRef(new RowSlots());
  const listing = useRef(p.rows);
  // the row holding focus (a checkbox, a link) stays rendered while it is scrolled away
  const focused = useRef<number | null>(null);
  if (listing.current !== p.rows) {
    listing.current = p.rows;
    rowSlots.current.clear();
    focused.current = null;
  }
  const shown = withPinned(indices, focused.current !== null && focused.current < count ? focused.current : null);
  const slots = rowSlots.current.assign(shown);
  const toggleRef = useRef(p.onToggle);
  toggleRef.current = p.onToggle;
  const onToggle = useCallback((id: number, range: boolean) => toggleRef.current(id, range), []);
  const width = SELECT_WIDTH + p.columns.reduce((a, c) => a + c.width, 0);
  const allSelected = p.rows.length > 0 && p.rows.every((r) => p.selected.has(r.id));

  // Up and down move between rows, keeping the column; the row scrolls into view first.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const target = e.target as HTMLElement;
    const row = target.closest<HTMLElement>('[data-index]');
    if (!row) return;
    const col = target.closest<HTMLElement>('[data-col]')?.dataset.col ?? 'select';
    const next = Number(row.dataset.index) + (e.key === 'ArrowDown' ? 1 : -1);
    if (next < 0 || next >= p.rows.length) return;
    e.preventDefault();
    scrollToIndex(next);
    requestAnimationFrame(() => {
      scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"] [data-col="${col}"]`)?.focus();
    });
  };

  const onFocusIn = (e: FocusEvent) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.rt-body [data-index]');
    focused.current = row ? Number(row.dataset.index) : null;
  };
  const onFocusOut = (e: FocusEvent) => {
    const next = e.relatedTarget as HTMLElement | null;
    if (!next?.closest('.rt-body [data-index]')) focused.current = null;
  };

  return (
    <div class="runs-table" ref={scrollRef} role="table" aria-label="Runs" aria-rowcount={p.more ? -1 : p.rows.length + 1}
      onKeyDown={onKeyDown} onFocusIn={onFocusIn} onFocusOut={onFocusOut} tabIndex={-1}
      style={{ '--rt-columns': template }}>
      <div class="rt-header" role="rowgroup" style={{ minWidth: `${width}px` }}>
        <div class="rt-row" role="row" aria-rowindex={1}>
          <div role="columnheader" class="rt-cell">
            <input type="checkbox" aria-label="Select all loaded runs" checked={allSelected}
              onChange={(e) => p.onToggleAll(e.currentTarget.checked)} />
          </div>
          {p.columns.map((c) => {
            const sorted = c.sortKey === p.sortKey;
            return (
              <div key={c.id} role="columnheader" class={cellClass(c)}
                aria-sort={sorted ? (p.descending ? 'descending' : 'ascending') : undefined} title={c.id}>
                {c.sortKey ? (
                  <button type="button" class="sort-button" onClick={() => p.onSort(c.sortKey!)}>
                    {c.kind && <span class="rt-kind">{c.kind} </span>}{c.label}
                    <span aria-hidden="true">{sorted ? (p.descending ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                ) : c.label}
              </div>
            );
          })}
        </div>
      </div>
      <div role="rowgroup" class="rt-body" style={{ height: `${totalSize}px`, minWidth: `${width}px` }}>
        {shown.map((index, n) => {
          const r = p.rows[index];
          if (!r) {
            return (
              <div key="more" role="row" class="rt-row rt-more" style={{ transform: `translateY(${index * ROW}px)` }}>
                <div role="cell" class="rt-cell">Loading more runs…</div>
              </div>
            );
          }
          return <RunRow key={slots[n]} run={r} index={index} selected={p.selected.has(r.id)}
            columns={p.columns} onToggle={onToggle} />;
        })}
      </div>
    </div>
  );
}

/** A cell's classes: figures aligned right, the run's name kept in view as the table scrolls sideways. */
export function cellClass(c: Pick<Column, 'numeric' | 'sticky'>): string {
  return `rt-cell${c.numeric ? ' num' : ''}${c.sticky ? ' rt-key' : ''}`;
}

interface RowProps {
  run: RunSummary;
  index: number;
  selected: boolean;
  columns: Column[];
  onToggle: (id: number, shiftRange: boolean) => void;
}

/**
 * One run's row. Renders again only when what it shows changed: its run (rows are replaced, never mutated, on
 * live events and bulk actions), its position, its selection or the columns; scrolling and a page of runs
 * arriving leave the rows in view alone.
 */
class RunRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps) {
    const p = this.props;
    return next.run !== p.run || next.index !== p.index || next.selected !== p.selected || next.columns !== p.columns;
  }

  render({ run: r, index, selected, columns, onToggle }: RowProps) {
    return (
      <div role="row" data-index={index} data-run-id={r.id} aria-rowindex={index + 2}
        aria-selected={selected} class={`rt-row${selected ? ' selected' : ''}`}
        style={{ transform: `translateY(${index * ROW}px)` }}>
        <div role="cell" class="rt-cell">
          <input type="checkbox" data-col="select" aria-label={`Select run ${r.name}`} checked={selected}
            onClick={(e) => onToggle(r.id, (e as MouseEvent).shiftKey)} />
        </div>
        {columns.map((c) => (
          <div key={c.id} role="cell" class={cellClass(c)} data-key={c.id}>
            {c.cell(r)}
          </div>
        ))}
      </div>
    );
  }
}
