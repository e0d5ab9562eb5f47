// Finds the line of a YAML text that a JSON pointer (/model/layers/2/type) names, for the block style specs are
// written in; a pointer into a flow collection ({lr: 0.1}) or past the text lands on the nearest enclosing line.

interface Frame {
  indent: number;
  path: string[];
  items: number;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s:#{}[\],][^:#{}[\],]*?)\s*:(?:\s|$)/;

function unquote(key: string): string {
  if ((key.startsWith('"') && key.endsWith('"')) || (key.startsWith("'") && key.endsWith("'"))) return key.slice(1, -1);
  return key.trim();
}

/** Pointer ("/a/0/b") to 1-based line, for every key and list item of the text. */
export function pointerLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const root: Frame = { indent: -1, path: [], items: 0 };
  const frames: Frame[] = [root];
  const record = (path: string[], line: number) => {
    const p = '/' + path.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
    if (!lines.has(p)) lines.set(p, line);
  };
  text.split('\n').forEach((raw, n) => {
    const line = n + 1;
    const trimmed = raw.trimStart();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith('---')) return;
    let indent = raw.length - trimmed.length;
    let rest = trimmed;
    while (rest.startsWith('- ') || rest === '-') {
      // a list item: its parent is the innermost frame indented less, or a key at the same indent
      while (frames.length > 1) {
        const top = frames[frames.length - 1]!;
        if (top.indent > indent || (top.indent === indent && top.path.length > 0 && /^\d+$/.test(top.path[top.path.length - 1]!))) frames.pop();
        else break;
      }
      const parent = frames[frames.length - 1]!;
      const path = [...parent.path, String(parent.items++)];
      record(path, line);
      frames.push({ indent, path, items: 0 });
      const after = rest.slice(1);
      const spaces = after.length - after.trimStart().length;
      indent += 1 + spaces;
      rest = after.trimStart();
      if (!rest) return;
    }
    const key = KEY.exec(rest);
    if (!key) return;
    while (frames.length > 1 && frames[frames.length - 1]!.indent >= indent) frames.pop();
    const parent = frames[frames.length - 1]!;
    const path = [...parent.path, unquote(key[1]!)];
    record(path, line);
    frames.push({ indent, path, items: 0 });
  });
  return lines;
}

/** The line of the pointer, or of its nearest recorded ancestor; null when none is in the text. */
export function lineOf(lines: Map<string, number>, pointer: string): number | null {
  let p = pointer;
  while (p) {
    const line = lines.get(p);
    if (line !== undefined) return line;
    p = p.slice(0, Math.max(0, p.lastIndexOf('/')));
  }
  return null;
}
