import { subtreeOf } from '../model/children.js';
import type { ModdleElement } from '../model/moddle.js';
import { cacheChunk, forgetChunks } from './chunk-cache.js';
import {
  canSerializeChunked,
  containerParts,
  indentOf,
  isContainer,
  lines,
  prefixesUsed,
  serializeChunked,
} from './chunked-xml.js';

/**
 * Fills the incremental serializer's cache (chunked-xml.ts) from `xml`, the text `definitions`
 * was just parsed from — when that text is this library's own serialization of it (a stored
 * version: a snapshot, the ledger's XML). A diagram loaded that way then serializes as if it had
 * been written once already: only what changes is written again, instead of all of it the
 * first time (~13 ms at 69 KB, what a rebuild or a cold start pays per diagram).
 *
 * Each chunk's text is cut from `xml` by the layout moddle writes: a chunk at depth d starts on
 * the line, indented 2d, whose tag carries its id, and ends where the next line indented 2d
 * opens a tag, or a line indented less starts one. Then the document is serialized from the
 * cache (moddle writes only the containers) and must equal `xml`: a chunk cut short or too long
 * would not, nor would text laid out otherwise. If it does not, the chunks are forgotten again.
 * Returns whether the cache now holds them.
 *
 * What the cut checks is the layout, not each chunk's content: that is the caller's promise (the
 * text is a stored version of this library's). A chunk then keeps its stored text until an
 * operation changes it — just as in the process that wrote it, whose cache held the same text.
 */
export async function seedChunks(definitions: ModdleElement, xml: string): Promise<boolean> {
  if (!canSerializeChunked(definitions)) return false;
  const starts = openingTagsById(xml);
  const seeded: ModdleElement[] = [];
  const seedList = (list: ModdleElement[], depth: number) => {
    for (const item of list) {
      if (isContainer(item)) {
        visit(item, depth);
        continue;
      }
      const start = typeof item.id === 'string' ? starts.get(item.id) : undefined;
      if (start === undefined || start.indent !== 2 * depth) continue;
      const text = xml.slice(start.start, chunkEnd(xml, start.end, 2 * depth));
      cacheChunk(item, { text, depth, prefixes: prefixesUsed(text) });
      seeded.push(item);
    }
  };
  // The serializer's own walk (containerParts), so chunks get the depths it gives them.
  const visit = (container: ModdleElement, depth: number) => {
    const { containers, lists } = containerParts(container);
    for (const value of containers) visit(value, depth + 1);
    for (const list of lists) seedList(list, depth + 1);
  };
  visit(definitions, 0);
  if (seeded.length === 0) return false;
  if ((await serializeChunked(definitions).catch(() => undefined)) === xml) return true;
  forgetChunks(subtreeOf(definitions));
  return false;
}

interface LineStart {
  start: number;
  /** Where the line after it starts. */
  end: number;
  indent: number;
}

const ID_ATTRIBUTE = / id="([^"]*)"/;

/**
 * Each line opening a tag with an `id`, by that id. An id that opens two lines (extension
 * elements have ids of their own namespace, e.g. form fields) names no line: its chunk is not cut.
 */
function openingTagsById(xml: string): Map<string, LineStart> {
  const byId = new Map<string, LineStart>();
  const ambiguous = new Set<string>();
  for (const { start, end } of lines(xml)) {
    const indent = indentOf(xml, start);
    const at = start + indent;
    if (xml.charCodeAt(at) !== 60 /* < */ || xml.charCodeAt(at + 1) === 47 /* / */) continue;
    const tagEnd = xml.indexOf('>', at);
    const id = ID_ATTRIBUTE.exec(xml.slice(at, tagEnd < 0 || tagEnd > end ? end : tagEnd))?.[1];
    if (id === undefined) continue;
    if (byId.has(id)) ambiguous.add(id);
    byId.set(id, { start, end, indent });
  }
  for (const id of ambiguous) byId.delete(id);
  return byId;
}

/** Where a chunk whose first line ends at `from` ends: the next line opening a tag at `indent`, or one indented less. */
function chunkEnd(xml: string, from: number, indent: number): number {
  for (const line of lines(xml.slice(from))) {
    const own = indentOf(xml, from + line.start);
    const at = from + line.start + own;
    if (xml.charCodeAt(at) !== 60 /* < */) continue;
    if (own < indent || (own === indent && xml.charCodeAt(at + 1) !== 47) /* / */) return from + line.start;
  }
  return xml.length;
}
