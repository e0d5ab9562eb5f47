// Reading what a component renders without a DOM (the tests run in node): its tree of vnodes, with function
// components called as they would render. For components without hooks, such as the tables.
import type { VNode } from 'preact';

export type Element = VNode<Record<string, unknown>>;

/** Every element of the tree, depth first. */
export function* elements(node: unknown): Generator<Element> {
  if (node === null || node === undefined || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) yield* elements(n);
    return;
  }
  const v = node as Element;
  if (typeof v.type === 'function') {
    yield* elements((v.type as (p: unknown) => unknown)(v.props));
    return;
  }
  yield v;
  yield* elements(v.props?.children);
}

/** The text of a tree; a div's text in [brackets], as it shows on a line of its own. */
export function text(node: unknown): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(text).join('');
  const v = node as Element;
  if (typeof v.type === 'function') return text((v.type as (p: unknown) => unknown)(v.props));
  const inner = text(v.props?.children);
  return v.type === 'div' ? `[${inner}]` : inner;
}

/** The classes of an element as a list. */
export function classes(e: Element): string[] {
  return String(e.props.class ?? '').split(/\s+/).filter(Boolean);
}
