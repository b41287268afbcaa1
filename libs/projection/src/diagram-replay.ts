import {
  canonicalHash,
  emptyDiagramXml,
  parseDiagram,
  parseStoredDiagram,
  replayOperations,
  serializeDiagram,
  type Diagram,
} from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';
import { ProjectionError } from './projection-error.js';

export interface ReplayedState {
  diagram: Diagram;
  /** The canonical XML, when it was serialized (always with `verify: true`). */
  xml?: string;
}

/**
 * The pure core of every projector: the previous version's diagram and the next event give the
 * event's diagram. CONSUMES `previous` (operations mutate it in place; the returned diagram is
 * the same object unless `previous` was undefined) — on a thrown error it is half-changed and
 * must be thrown away. With `verify`, the result is serialized and its hash compared with
 * `event.resultHash`.
 */
export async function replayEvent(
  previous: Diagram | undefined,
  event: DiagramEvent,
  { verify }: { verify: boolean },
): Promise<ReplayedState> {
  if (previous === undefined && event.eventType !== 'DIAGRAM_CREATED') {
    throw new ProjectionError(
      'STATE_UNAVAILABLE',
      `${describe(event)}: no previous diagram to apply ${event.eventType} to`,
      false,
    );
  }
  // importXml (the created event's one operation) replaces the whole model, so any base will
  // do: an empty shell, not a parse of the empty diagram that would be thrown away at once.
  const diagram =
    previous ??
    (event.operations[0]?.kind === 'importXml'
      ? ({ elementsById: new Map(), diByElementId: new Map() } as unknown as Diagram)
      : await parseDiagram(emptyDiagramXml()));
  try {
    await replayOperations(diagram, event);
  } catch (error) {
    throw new ProjectionError(
      'REPLAY_FAILED',
      `${describe(event)}: replay failed: ${(error as Error).message}`,
      false,
      { cause: error },
    );
  }
  if (!verify) return { diagram };
  const xml = await serializeDiagram(diagram);
  checkHash(event, xml);
  return { diagram, xml };
}

/** Throws HASH_MISMATCH unless `xml` is what `event.resultHash` names. */
export function checkHash(event: DiagramEvent, xml: string): void {
  const actual = canonicalHash(xml);
  if (actual !== event.resultHash) {
    throw new ProjectionError(
      'HASH_MISMATCH',
      `${describe(event)}: replayed diagram hashes to ${actual}, the event says ${event.resultHash}`,
      false,
    );
  }
}

/** Serializes `diagram` and checks it is the state `event` produced (for deferred verification). */
export async function verifyState(diagram: Diagram, event: DiagramEvent): Promise<string> {
  const xml = await serializeDiagram(diagram);
  checkHash(event, xml);
  return xml;
}

/**
 * A stored version's XML (ledger or snapshot) as a diagram to continue replaying from; its text
 * fills the serializer's cache, so the next check serializes only what the replay changed.
 */
export async function diagramFromXml(xml: string): Promise<Diagram> {
  return parseStoredDiagram(xml);
}

function describe(e: DiagramEvent): string {
  return `${e.tenantId}/${e.diagramId} v${e.version}`;
}
