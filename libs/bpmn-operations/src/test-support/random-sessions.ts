import { readdirSync, readFileSync } from 'node:fs';
import { applyOperations, type AppliedChange } from '../apply-operations.js';
import { parseDiagram, serializeDiagram, type Diagram } from '../diagram.js';
import { OperationError } from '../operation-error.js';
import { DEFAULT_OPERATION_LIMITS } from '../operation-limits.js';
import type { Operation } from '../operation.js';
import { operationsOf, type RandomStep } from './random-operations.js';

const MIWG = new URL('../../../../tests/fixtures/miwg-reference/', import.meta.url);

/** The MIWG reference models the property tests edit (tests/fixtures/miwg-reference). */
export const miwgModels: readonly string[] = readdirSync(MIWG).filter((f) => f.endsWith('.bpmn'));

export function readMiwgModel(name: string): string {
  return readFileSync(new URL(name, MIWG), 'utf8');
}

/** One applied proposal of a session: the diagram after it (mutable, shared) and its XML. */
export interface SessionStep {
  version: number;
  operations: Operation[];
  change: AppliedChange;
  diagram: Diagram;
  xml: string;
}

/**
 * Plays random proposals (`randomProposal`s) on `xml` as the command service does: each becomes
 * operations on the current diagram; a refused one (OperationError) leaves the model half
 * changed, so the session goes on from the last version's XML, like after a refusal. `onApplied`
 * sees every applied proposal; `onStart` the diagram before the first. `parse` reads the
 * starting XML and each reload (default `parseDiagram`). Returns how many applied.
 */
export async function playSession(
  xml: string,
  proposals: RandomStep[][],
  onApplied: (step: SessionStep) => Promise<void>,
  {
    onStart,
    parse = parseDiagram,
  }: { onStart?: (diagram: Diagram) => Promise<void>; parse?: (xml: string) => Promise<Diagram> } = {},
): Promise<number> {
  let diagram = await parse(xml);
  let last = await serializeDiagram(diagram);
  await onStart?.(diagram);
  let applied = 0;
  for (const [i, steps] of proposals.entries()) {
    const operations = operationsOf(steps, diagram);
    if (operations.length === 0) continue;
    const version = i + 2;
    let change: AppliedChange;
    try {
      change = await applyOperations(diagram, operations, { version, limits: DEFAULT_OPERATION_LIMITS });
    } catch (error) {
      if (!(error instanceof OperationError)) throw error;
      diagram = await parse(last);
      continue;
    }
    last = await serializeDiagram(diagram);
    applied++;
    await onApplied({ version, operations, change, diagram, xml: last });
  }
  return applied;
}
