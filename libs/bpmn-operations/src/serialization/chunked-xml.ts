import { moddle, type ModdleElement } from '../model/moddle.js';
import { cacheChunk, cachedChunk, type CachedChunk } from './chunk-cache.js';

/**
 * Serializes a diagram as moddle's `toXML({ format: true })` does, byte for byte, but makes
 * again only what changed since the last time.
 *
 * The document is cut into *chunks*: the items of the lists that make up most of a diagram
 * (a process's flow elements, artifacts and lane sets, a collaboration's pools and message
 * flows, a plane's shapes and edges, the definitions' other root elements). The elements
 * holding such lists (*containers*: definitions, processes, sub-processes, collaborations,
 * diagrams and planes) are written by moddle every time. For that, each container's lists are
 * swapped for a moment: runs of chunks whose XML is known become one placeholder element, and
 * every other chunk is framed by two marker elements. moddle writes that skeleton; then each
 * placeholder line is replaced by the XML it stands for, and the XML between two markers is
 * remembered for next time (chunk-cache.ts, forgotten when an operation changes the chunk).
 *
 * What moddle writes depends on more than the chunk itself in one respect: the root declares
 * only the namespaces used somewhere. A placeholder therefore carries an attribute in every
 * namespace its chunks use, in their order, so moddle logs the same namespaces in the same order.
 */
export async function serializeChunked(definitions: ModdleElement): Promise<string | undefined> {
  const plan = new SkeletonPlan();
  try {
    plan.visitContainer(definitions, 0);
    const { xml } = await moddle.toXML(definitions, { format: true });
    return plan.assemble(xml);
  } finally {
    plan.restore();
  }
}

/** Whether the incremental path can write this document exactly as moddle would (else: all of it, by moddle). */
export function canSerializeChunked(definitions: ModdleElement): boolean {
  const declared = Object.entries(definitions.$attrs ?? {}).filter(([name]) => name.startsWith('xmlns'));
  // Our own prefix must be free.
  if (declared.some(([name]) => name === `xmlns:${PREFIX}`)) return false;
  // moddle declares a meta-model namespace only where it is used (a foreign one always). A
  // placeholder can stand in for a chunk's prefixes, not for unprefixed names: the default
  // namespace must be the root's own, or a foreign one.
  const defaultNs = declared.find(([name]) => name === 'xmlns')?.[1];
  return defaultNs === undefined || defaultNs === BPMN_NS || !META_MODEL_NAMESPACES.has(defaultNs);
}

const PREFIX = 'flowledgerchunk';
const PLACEHOLDER_NS = 'urn:flowledger:serialization:chunk';
const BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
const META_MODEL_NAMESPACES = new Set(moddle.getPackages().map((p) => p.uri));
/** Lists whose items are chunks (or containers, when an item holds chunk lists itself). */
const CHUNK_LISTS = [
  'rootElements',
  'diagrams',
  'laneSets',
  'flowElements',
  'artifacts',
  'participants',
  'messageFlows',
  'planeElement',
];
/** Single-valued properties holding a container. */
const CONTAINER_PROPERTIES = ['plane'];

export function isContainer(element: ModdleElement): boolean {
  const byName = element.$descriptor.propertiesByName ?? {};
  return [...CHUNK_LISTS, ...CONTAINER_PROPERTIES].some((name) => byName[name] !== undefined);
}

/**
 * What the serializer walks in a container, in its order: the containers held by single-valued
 * properties (their items one level deeper), then each non-empty chunk list.
 */
export function containerParts(container: ModdleElement): { containers: ModdleElement[]; lists: ModdleElement[][] } {
  const containers: ModdleElement[] = [];
  for (const name of CONTAINER_PROPERTIES) {
    const value = container[name] as ModdleElement | undefined;
    if (value && isContainer(value)) containers.push(value);
  }
  const lists: ModdleElement[][] = [];
  for (const name of CHUNK_LISTS) {
    const list = container[name] as ModdleElement[] | undefined;
    if (Array.isArray(list) && list.length > 0) lists.push(list);
  }
  return { containers, lists };
}

/** What stands in a list while moddle writes the skeleton, item by item. */
type StandIn = { kind: 'container' } | { kind: 'run'; text: string } | { kind: 'chunk'; element: ModdleElement };

/** A swapped list: its own items (to put back) and, in order, what stands in for them. */
interface SwappedList {
  list: ModdleElement[];
  items: ModdleElement[];
  /** The depth its items are written at: each item's first line is indented by 2 × depth. */
  depth: number;
  standIns: StandIn[];
}

/** A skeleton being prepared: the swapped lists, to be read back from moddle's output and put back. */
class SkeletonPlan {
  private readonly lists: SwappedList[] = [];

  visitContainer(container: ModdleElement, depth: number): void {
    const { containers, lists } = containerParts(container);
    for (const value of containers) this.visitContainer(value, depth + 1);
    for (const list of lists) {
      const swapped: SwappedList = { list, items: [...list], depth: depth + 1, standIns: [] };
      const index = this.lists.push(swapped) - 1;
      const elements = this.standInsFor(swapped);
      // Markers before and after the list: between them, each line starting an element at the
      // list's depth starts the next stand-in.
      list.splice(0, list.length, marker('begin', index), ...elements, marker('end', index));
    }
  }

  /** Containers as they are (visited), one placeholder per run of known chunks, other chunks as they are. */
  private standInsFor(swapped: SwappedList): ModdleElement[] {
    const out: ModdleElement[] = [];
    let run: CachedChunk[] = [];
    const endRun = () => {
      if (run.length === 0) return;
      out.push(placeholder(run));
      swapped.standIns.push({ kind: 'run', text: run.map((c) => c.text).join('') });
      run = [];
    };
    for (const item of swapped.items) {
      if (isContainer(item)) {
        endRun();
        out.push(item);
        swapped.standIns.push({ kind: 'container' });
        this.visitContainer(item, swapped.depth);
        continue;
      }
      const known = cachedChunk(item);
      if (known && known.depth === swapped.depth) {
        run.push(known);
        continue;
      }
      endRun();
      out.push(item);
      swapped.standIns.push({ kind: 'chunk', element: item });
    }
    endRun();
    return out;
  }

  /**
   * The document: placeholders replaced by their chunks' XML, markers dropped, chunks written
   * now remembered, our namespace declaration gone. Undefined when the skeleton is not as
   * expected (our namespace declared elsewhere than once on the root): the caller then lets
   * moddle write everything.
   */
  assemble(skeleton: string): string | undefined {
    const declaration = ` xmlns:${PREFIX}="${PLACEHOLDER_NS}"`;
    const at = skeleton.indexOf(declaration);
    if (at < 0) return this.lists.length === 0 ? skeleton : undefined;
    const rootTagEnd = skeleton.indexOf('>', skeleton.startsWith('<?xml') ? skeleton.indexOf('?>') + 2 : 0);
    if (at > rootTagEnd || skeleton.indexOf(declaration, at + 1) >= 0) return undefined;
    const xml = skeleton.slice(0, at) + skeleton.slice(at + declaration.length);

    const parts: string[] = [];
    const open: Array<{ swapped: SwappedList; next: number; pending?: { element: ModdleElement; start: number } }> = [];
    const endPending = (region: (typeof open)[number] | undefined, end: number) => {
      if (!region?.pending) return;
      const text = xml.slice(region.pending.start, end);
      cacheChunk(region.pending.element, { text, depth: region.swapped.depth, prefixes: prefixesUsed(text) });
      region.pending = undefined;
    };
    let position = 0;
    for (const line of lines(xml)) {
      const region = open[open.length - 1];
      const indent = indentOf(xml, line.start);
      if (xml.startsWith(`<${PREFIX}:`, line.start + indent)) {
        const kind = xml.slice(line.start + indent + PREFIX.length + 2, line.start + indent + PREFIX.length + 5);
        if (kind === 'beg') {
          open.push({ swapped: this.lists[Number(/ i="(\d+)"/.exec(xml.slice(line.start, line.end))![1])]!, next: 0 });
        } else if (kind === 'end') {
          endPending(open.pop(), line.start);
        } else {
          endPending(region, line.start);
          const standIn = region?.swapped.standIns[region.next++];
          if (standIn?.kind !== 'run') return undefined;
          parts.push(xml.slice(position, line.start), standIn.text);
          position = line.end;
          continue;
        }
        parts.push(xml.slice(position, line.start));
        position = line.end;
        continue;
      }
      if (!region || indent !== 2 * region.swapped.depth || xml[line.start + indent] !== '<') continue;
      if (xml[line.start + indent + 1] === '/') continue;
      endPending(region, line.start);
      const standIn = region.swapped.standIns[region.next++];
      if (standIn?.kind === 'chunk') region.pending = { element: standIn.element, start: line.start };
      else if (standIn?.kind !== 'container') return undefined;
    }
    parts.push(xml.slice(position));
    return parts.join('');
  }

  restore(): void {
    for (const { list, items } of this.lists.reverse()) list.splice(0, list.length, ...items);
  }
}

function placeholder(run: CachedChunk[]): ModdleElement {
  const attrs: Record<string, string> = {};
  for (const chunk of run) for (const prefix of chunk.prefixes) attrs[`${prefix}:used`] = '';
  return moddle.createAny(`${PREFIX}:run`, PLACEHOLDER_NS, attrs);
}

function marker(kind: 'begin' | 'end', index: number): ModdleElement {
  return moddle.createAny(`${PREFIX}:${kind}`, PLACEHOLDER_NS, { i: String(index) });
}

/** The span of each line of `xml`, newline included. */
export function* lines(xml: string): Generator<{ start: number; end: number }> {
  let start = 0;
  while (start < xml.length) {
    const newline = xml.indexOf('\n', start);
    const end = newline < 0 ? xml.length : newline + 1;
    yield { start, end };
    start = end;
  }
}

export function indentOf(xml: string, start: number): number {
  let i = start;
  while (xml.charCodeAt(i) === 32) i++;
  return i - start;
}

const TAG = /<[^>]*>/g;
const TAG_PREFIX = /^<\/?([A-Za-z_][\w.-]*):/;
// Attribute values hold no raw quote, so `prefix:name="` can only be an attribute's name.
const ATTRIBUTE_PREFIX = /\s([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)="/g;
const NAME_END = /[\s/>]/g;

/**
 * The namespace prefixes a chunk's element and attribute names use, in order of first use,
 * without those it declares itself. Text holds no raw `<` (moddle escapes it), so every `<…>` is a tag.
 * Run on every chunk a stored diagram's text is cut into: most tags have no prefixed attribute,
 * so a tag's attributes are searched only when a colon follows its name.
 */
export function prefixesUsed(text: string): string[] {
  const used: string[] = [];
  let declared: string[] | undefined;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(text); m !== null; m = TAG.exec(text)) {
    const tag = m[0];
    const element = TAG_PREFIX.exec(tag);
    if (element && !used.includes(element[1]!)) used.push(element[1]!);
    NAME_END.lastIndex = 1;
    const nameEnd = NAME_END.exec(tag)?.index ?? tag.length;
    if (tag.indexOf(':', nameEnd) === -1) continue;
    ATTRIBUTE_PREFIX.lastIndex = nameEnd;
    for (let a = ATTRIBUTE_PREFIX.exec(tag); a !== null; a = ATTRIBUTE_PREFIX.exec(tag)) {
      const prefix = a[1]!;
      if (prefix !== 'xmlns') {
        if (!used.includes(prefix)) used.push(prefix);
        continue;
      }
      (declared ??= []).push(a[2]!); // xmlns:<prefix>="…" declares <prefix>
    }
  }
  return used.filter((prefix) => prefix !== 'xml' && !declared?.includes(prefix));
}
