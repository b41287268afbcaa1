import type { ModdleElement } from './moddle.js';

/** The elements `element` contains (not the ones it refers to), e.g. flow elements, lane sets, event definitions. */
export function childrenOf(element: ModdleElement): ModdleElement[] {
  const children: ModdleElement[] = [];
  // Generic elements of foreign namespaces (extensions) have no descriptor properties.
  for (const property of element.$descriptor.properties ?? []) {
    if (property.isReference || property.isAttr) continue;
    const value = element[property.name] as unknown;
    if (Array.isArray(value)) {
      for (const item of value) if (isElement(item)) children.push(item);
    } else if (isElement(value)) {
      children.push(value);
    }
  }
  return children;
}

/** The element and everything below it. */
export function subtreeOf(element: ModdleElement): ModdleElement[] {
  const all: ModdleElement[] = [];
  const stack = [element];
  while (stack.length > 0) {
    const current = stack.pop()!;
    all.push(current);
    stack.push(...childrenOf(current));
  }
  return all;
}

function isElement(value: unknown): value is ModdleElement {
  return typeof value === 'object' && value !== null && typeof (value as ModdleElement).$instanceOf === 'function';
}
