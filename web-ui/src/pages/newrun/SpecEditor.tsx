import { useMemo, useRef } from 'preact/hooks';
import { lineOf, pointerLines } from './yamlLines';
import type { FieldProblem } from '../../api';

export interface LineProblem {
  line: number | null;
  pointer: string;
  detail: string;
}

/** The API's problems (pointers under /spec) placed at the lines of the YAML text. */
export function placeProblems(text: string, problems: FieldProblem[]): LineProblem[] {
  const lines = pointerLines(text);
  return problems.map((p) => {
    const pointer = p.pointer ?? (p.parameter ? `?${p.parameter}` : '');
    const specPointer = pointer.startsWith('/spec') ? pointer.slice('/spec'.length) : null;
    return { line: specPointer === null ? null : lineOf(lines, specPointer || '/') ?? 1, pointer, detail: p.detail };
  });
}

interface Props {
  id: string;
  value: string;
  onInput: (text: string) => void;
  problems: LineProblem[];
  describedBy?: string;
}

/** A YAML textarea with line numbers; lines with problems are marked in the gutter. */
export function SpecEditor({ id, value, onInput, problems, describedBy }: Props) {
  const gutter = useRef<HTMLDivElement>(null);
  const count = useMemo(() => value.split('\n').length, [value]);
  const bad = useMemo(() => new Set(problems.map((p) => p.line).filter((l): l is number => l !== null)), [problems]);
  return (
    <div class="spec-editor">
      <div class="gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: count }, (_, i) => (
          <div key={i} class={bad.has(i + 1) ? 'bad' : undefined}>{i + 1}</div>
        ))}
      </div>
      <textarea id={id} value={value} spellcheck={false} autoComplete="off" wrap="off"
        aria-describedby={describedBy} aria-invalid={problems.length > 0}
        onInput={(e) => onInput(e.currentTarget.value)}
        onScroll={(e) => { if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop; }}
        onKeyDown={(e) => {
          // Tab indents by two spaces; Escape then Tab leaves the editor
          if (e.key === 'Tab' && !e.shiftKey && !e.altKey && !(e.currentTarget.dataset.escaped === '1')) {
            e.preventDefault();
            const t = e.currentTarget;
            const s = t.selectionStart;
            t.setRangeText('  ', s, t.selectionEnd, 'end');
            onInput(t.value);
          }
          e.currentTarget.dataset.escaped = e.key === 'Escape' ? '1' : '0';
        }} />
    </div>
  );
}

/** Moves the caret of the textarea to the start of a line and scrolls it into view. */
export function goToLine(textarea: HTMLTextAreaElement, line: number): void {
  const lines = textarea.value.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
  textarea.focus();
  textarea.setSelectionRange(offset, offset + (lines[line - 1]?.length ?? 0));
  const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
  textarea.scrollTop = Math.max(0, (line - 3) * lineHeight);
}
