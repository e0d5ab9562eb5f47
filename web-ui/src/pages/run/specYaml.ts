// The run page's YAML: showing a spec, parsing an edited one, and finding the line an API error's JSON pointer
// names. The yaml library is loaded on demand, so it is not part of the initial bundle.
import type { JsonValue } from '../../api';

type YamlModule = typeof import('yaml');
let yamlModule: Promise<YamlModule> | null = null;

export function loadYaml(): Promise<YamlModule> {
  yamlModule ??= import('yaml');
  return yamlModule;
}

/** The order docs/run-spec.md writes a spec's settings in (PostgreSQL's JSONB keeps its own key order). */
const SPEC_ORDER = ['version', 'name', 'seed', 'dataset', 'model', 'loss', 'optimizer', 'scheduler', 'batchSize',
  'epochs', 'maxSteps', 'metrics', 'evaluation', 'logging', 'checkpoint', 'earlyStopping'];

function ordered(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const rank = (k: string) => {
    const i = SPEC_ORDER.indexOf(k);
    return i < 0 ? SPEC_ORDER.length : i;
  };
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return Object.fromEntries(keys.map((k) => [k, value[k]!]));
}

export async function toYaml(value: JsonValue): Promise<string> {
  const yaml = await loadYaml();
  return yaml.stringify(ordered(value), { lineWidth: 0 });
}

export interface YamlProblem {
  /** 1-based line, or null when the problem is not tied to one */
  line: number | null;
  where: string;
  message: string;
}

export type Parsed = { ok: true; value: JsonValue } | { ok: false; problems: YamlProblem[] };

export async function parseSpec(text: string): Promise<Parsed> {
  const yaml = await loadYaml();
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const line = lineCounter.linePos(e.pos[0]).line;
        return { line, where: `line ${line}`, message: e.message.split('\n')[0] ?? e.message };
      }),
    };
  }
  const value = doc.toJS() as JsonValue;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problems: [{ line: 1, where: 'line 1', message: 'a run spec is a mapping of settings' }] };
  }
  return { ok: true, value };
}

/** JSON pointer (/optimizer/lr, /metrics/0) -> path segments, numbers for array indices. */
export function pointerPath(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.replace(/^\//, '').split('/').map((s) => {
    const key = s.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(key) ? Number(key) : key;
  });
}

/**
 * The line of the YAML text where the node at this pointer is written (or its nearest written ancestor, for a
 * setting that is missing), 1-based; null when the text does not parse.
 */
export async function lineOfPointer(text: string, pointer: string): Promise<number | null> {
  const yaml = await loadYaml();
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) return null;
  const path = pointerPath(pointer);
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    if (sub.length === 0) return 1;
    const parent = sub.length > 1 ? doc.getIn(sub.slice(0, -1), true) : doc.contents;
    if (yaml.isMap(parent)) {
      const pair = parent.items.find((it) => yaml.isScalar(it.key) ? it.key.value === sub[sub.length - 1]
        : it.key === sub[sub.length - 1]);
      const keyNode = pair?.key;
      if (keyNode && yaml.isNode(keyNode) && keyNode.range) return lineCounter.linePos(keyNode.range[0]).line;
    } else if (yaml.isSeq(parent)) {
      const item = parent.items[sub[sub.length - 1] as number];
      if (item && yaml.isNode(item) && item.range) return lineCounter.linePos(item.range[0]).line;
    }
  }
  return 1;
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The JSON merge patch (RFC 7396) that turns `from` into `to`: changed settings, nulls for removed ones, arrays
 * replaced whole. What the clone endpoint takes as its spec.
 */
export function mergePatch(from: JsonValue, to: JsonValue): JsonValue | undefined {
  if (!isObject(from) || !isObject(to)) return JSON.stringify(from) === JSON.stringify(to) ? undefined : to;
  const patch: { [key: string]: JsonValue } = {};
  for (const k of Object.keys(from)) if (!(k in to)) patch[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (!(k in from)) {
      patch[k] = v;
      continue;
    }
    const sub = mergePatch(from[k]!, v);
    if (sub !== undefined) patch[k] = sub;
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}
