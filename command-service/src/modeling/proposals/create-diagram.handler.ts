import {
  canonicalHash,
  countElements,
  emptyDiagramXml,
  OperationError,
  parseDiagram,
  serializeDiagram,
} from '@flowledger/bpmn-operations';
import { DIAGRAM_EVENT_SCHEMA_VERSION, type DiagramEvent } from '@flowledger/events';
import { isAllowed, type Caller } from '@flowledger/auth';
import { logger } from '../../observability/logger.js';
import { eventsAppended } from '../../observability/metrics.js';
import { DiagramWorkspace } from '../diagram-workspace.js';
import { LedgerConflict } from '../ledger-port.js';
import { Rejection } from '../rejection.js';
import { RequestError } from '../../grpc-edge/request-error.js';
import type { ProposeDependencies } from './propose.handler.js';
import { checkXmlSize } from './proposal-limits.js';

export interface CreateDiagramCommand {
  name: string;
  /** BPMN XML to import; empty creates a diagram with one empty process. */
  xml: string;
  transactionId: string;
}

export interface CreateDiagramDependencies extends ProposeDependencies {
  newDiagramId: () => string;
}

/** Version 1 of a new diagram: an import, validated like any proposal's result. */
export async function createDiagram(
  caller: Caller,
  command: CreateDiagramCommand,
  deps: CreateDiagramDependencies,
): Promise<{ diagramId: string; version: number }> {
  if (!isAllowed(caller, 'create')) {
    throw new RequestError('PERMISSION_DENIED', `role(s) ${caller.roles.join(', ')} may not create diagrams`);
  }
  if (!command.transactionId) throw new RequestError('INVALID_ARGUMENT', 'transaction_id is required');
  if (command.name.length > deps.settings.limits.maxStringLength) {
    throw new RequestError(
      'INVALID_ARGUMENT',
      `limit exceeded: string length (name) ${command.name.length} > max ${deps.settings.limits.maxStringLength}`,
    );
  }
  const earlier = await deps.ledger.findByTransaction(caller.tenantId, command.transactionId);
  if (earlier) return created(earlier.event, deps);

  const source = command.xml.trim() === '' ? emptyDiagramXml() : command.xml;
  try {
    checkXmlSize(source, deps.settings.limits);
  } catch (error) {
    throw new RequestError('INVALID_ARGUMENT', (error as Rejection).message);
  }
  let model;
  try {
    model = await parseDiagram(source);
  } catch (error) {
    if (error instanceof OperationError) throw new RequestError('INVALID_ARGUMENT', error.message);
    throw error;
  }
  // The cap a proposal may not grow a diagram past holds for an imported one too.
  const elements = countElements(model);
  if (elements > deps.settings.limits.maxElementsPerDiagram) {
    throw new RequestError(
      'INVALID_ARGUMENT',
      `limit exceeded: elements per diagram ${elements} > max ${deps.settings.limits.maxElementsPerDiagram}`,
    );
  }
  const xml = await serializeDiagram(model);
  const diagramId = deps.newDiagramId();
  const verdict = await deps.validation.xsd(xml, {
    tenantId: caller.tenantId,
    diagramId,
    transactionId: command.transactionId,
    requestId: caller.requestId,
    traceparent: caller.traceparent,
  });
  if (!verdict.valid) {
    const first = verdict.violations[0];
    throw new RequestError(
      'INVALID_ARGUMENT',
      `not valid BPMN 2.0 (XSD): ${first ? `line ${first.line}: ${first.message}` : ''}`,
    );
  }
  const lint = await deps.validation.lint(caller.tenantId, model.definitions);
  // Refused like importXml in a proposal: accepted, it would make every later proposal a LINT_ERROR.
  const lintError = lint.errors[0];
  if (lintError) {
    throw new RequestError(
      'INVALID_ARGUMENT',
      `lint: ${lintError.rule}: ${lintError.message} (${lintError.elementId})`,
    );
  }
  const event: DiagramEvent = {
    eventSchemaVersion: DIAGRAM_EVENT_SCHEMA_VERSION,
    eventType: 'DIAGRAM_CREATED',
    tenantId: caller.tenantId,
    diagramId,
    diagramName: command.name,
    version: 1,
    baseVersion: 0,
    transactionId: command.transactionId,
    actorId: caller.actorId,
    actorKind: caller.kind === 'agent' ? 'AGENT' : 'USER',
    runId: caller.runId ?? null,
    requestId: caller.requestId ?? null,
    occurredAt: deps.now(),
    operations: [{ kind: 'importXml', xml: source }],
    idMap: {},
    resultHash: canonicalHash(xml),
  };
  try {
    await deps.ledger.append({ event, lintWarnings: lint.warnings, traceparent: caller.traceparent }, xml);
  } catch (error) {
    if (error instanceof LedgerConflict && error.existing) return created(error.existing.event, deps);
    throw error;
  }
  await deps.ledger.publish(event.tenantId, event.diagramId);
  eventsAppended.inc();
  deps.workspace.set(DiagramWorkspace.key(event.tenantId, event.diagramId), {
    version: 1,
    xml,
    model,
    lint: lint.memo,
  });
  logger.info(
    {
      tenant_id: event.tenantId,
      diagram_id: event.diagramId,
      version: 1,
      transaction_id: event.transactionId,
      request_id: caller.requestId,
    },
    'diagram created',
  );
  return { diagramId: event.diagramId, version: 1 };
}

async function created(
  event: DiagramEvent,
  deps: CreateDiagramDependencies,
): Promise<{ diagramId: string; version: number }> {
  if (event.eventType !== 'DIAGRAM_CREATED') {
    throw new RequestError(
      'INVALID_ARGUMENT',
      `transaction ${event.transactionId} was used for a proposal, not a creation`,
    );
  }
  await deps.ledger.publish(event.tenantId, event.diagramId);
  return { diagramId: event.diagramId, version: 1 };
}
