import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { applyOperations, type AppliedChange } from '../apply-operations.js';
import { parseDiagram, serializeDiagram, type Diagram } from '../diagram.js';
import type { ModdleElement } from '../model/moddle.js';
import type { Operation } from '../operation.js';
import { OperationError } from '../operation-error.js';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from '../operation-limits.js';
import { semanticSummary } from '../semantic-summary.js';

/** Test support for the operation specs: the .bpmn fixtures beside them, applying, and re-reading. */
export async function givenDiagram(fixture: 'process' | 'collaboration'): Promise<Diagram> {
  return parseDiagram(readFileSync(new URL(`./${fixture}.bpmn`, import.meta.url), 'utf8'));
}

export function apply(
  diagram: Diagram,
  operations: Operation[],
  limits: Partial<OperationLimits> = {},
): Promise<AppliedChange> {
  return applyOperations(diagram, operations, { version: 7, limits: { ...DEFAULT_OPERATION_LIMITS, ...limits } });
}

/** The OperationError a proposal is refused with; fails the test when it is applied. */
export async function rejectionOf(
  diagram: Diagram,
  operations: Operation[],
  limits: Partial<OperationLimits> = {},
): Promise<OperationError> {
  try {
    await apply(diagram, operations, limits);
  } catch (error) {
    if (error instanceof OperationError) return error;
    throw error;
  }
  throw new Error('expected the proposal to be refused, but it was applied');
}

/**
 * Serializes and re-parses the diagram, checks the indexes the operations kept equal a fresh
 * parse (nothing stale, nothing missing), and returns the re-read diagram.
 */
export async function reread(diagram: Diagram): Promise<Diagram> {
  const again = await parseDiagram(await serializeDiagram(diagram));
  expect(semanticSummary(diagram)).toEqual(semanticSummary(again));
  expect([...diagram.elementsById.keys()].sort()).toEqual([...again.elementsById.keys()].sort());
  return again;
}

export function element(diagram: Diagram, id: string): ModdleElement {
  const found = diagram.elementsById.get(id);
  if (!found) throw new Error(`no element ${id}`);
  return found;
}

export function ids(elements: ModdleElement[] | undefined): string[] {
  return (elements ?? []).map((e) => e.id as string);
}

export function shapeBounds(diagram: Diagram, id: string): { x: number; y: number; width: number; height: number } {
  const b = diagram.diByElementId.get(id)?.bounds;
  return { x: b.x, y: b.y, width: b.width, height: b.height };
}

export function waypoints(diagram: Diagram, id: string): { x: number; y: number }[] {
  return (diagram.diByElementId.get(id)?.waypoint ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y }));
}
