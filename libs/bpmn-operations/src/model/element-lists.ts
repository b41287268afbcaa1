import type { ModdleElement } from './moddle.js';
import { markChanged } from '../serialization/chunk-cache.js';

/** The many-valued property `name` of `owner`, created empty when absent (moddle creates lists lazily). */
export function listOf(owner: ModdleElement, name: string): ModdleElement[] {
  return owner.get(name) as ModdleElement[];
}

// Each change marks the list's owner as changed for the serializer (serialization/chunk-cache.ts).

export function addTo(owner: ModdleElement, name: string, item: ModdleElement): void {
  const list = listOf(owner, name);
  if (!list.includes(item)) list.push(item);
  markChanged(owner);
}

export function removeFrom(owner: ModdleElement | undefined, name: string, item: ModdleElement): void {
  const list = owner?.[name] as ModdleElement[] | undefined;
  if (!list) return;
  const index = list.indexOf(item);
  if (index >= 0) list.splice(index, 1);
  markChanged(owner);
}

export function replaceIn(
  owner: ModdleElement | undefined,
  name: string,
  before: ModdleElement,
  after: ModdleElement,
): void {
  const list = owner?.[name] as ModdleElement[] | undefined;
  if (!list) return;
  const index = list.indexOf(before);
  if (index >= 0) list[index] = after;
  markChanged(owner);
}
