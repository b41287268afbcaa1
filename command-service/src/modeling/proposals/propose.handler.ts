import { gzipSync } from 'node:zlib';
import { canonicalHash, countElements, OperationError, type Operation } from '@flowledger/bpmn-operations';
import { DIAGRAM_EVENT_SCHEMA_VERSION, type DiagramEvent } from '@flowledger/events';
import { isAllowed, type Caller } from '@flowledger/auth';
import type { SnapshotSource } from '@flowledger/projection';
import { logger } from '../../observability/logger.js';
import {
  acceptLatency,
  eventsAppended,
  lintWarningsPerElement,
  stepLatency,
  timed,
  xsdErrors,
} from '../../observability/metrics.js';
import { DiagramWorkspace, type WorkspaceEntry } from '../diagram-workspace.js';
import { compressResult, LedgerConflict, type LedgerEntry, type LedgerPort } from '../ledger-port.js';
import { Rejection, type Violation } from '../rejection.js';
import type { ModelingSettings } from '../modeling-settings.js';
import { checkProposalLimits } from './proposal-limits.js';
import { loadFromSnapshot } from './cold-start.js';
import type { ValidationPort } from '../validation/validation-port.js';
import type { OperationEngine } from '../operations/operation-engine.js';

export interface ProposeCommand {
  diagramId: string;
  baseVersion: number;
  transactionId: string;
  operations: Operation[];
}

export interface AppliedResult {
  version: number;
  idMap: Record<string, string>;
  lintWarnings: Violation[];
  /** The whole resulting diagram, gzip-compressed, when the change is large. */
  snapshotGzip: Buffer | undefined;
}

export interface ProposeDependencies {
  ledger: LedgerPort;
  engine: OperationEngine;
  validation: ValidationPort;
  workspace: DiagramWorkspace;
  settings: ModelingSettings;
  now: () => Date;
  /** Where a diagram this process has not loaded starts from (snapshot + ledger tail); absent: the ledger's XML. */
  snapshots?: SnapshotSource;
  /** Agents' proposals under review (DESIGN.md §8, src/reviews/); absent: every valid proposal is appended. */
  review?: ProposalReviewHook;
}

/** Where the write path lets an agent's proposal wait for a reviewer instead of being appended. */
export interface ProposalReviewHook {
  /** Before loading: a transaction already under review gets that review's answer (or a Rejection is thrown). */
  answered(caller: Caller, command: ProposeCommand): Promise<AppliedResult | undefined>;
  /** Once valid on `version`: resolves to append it, or throws (REVIEW_REQUIRED) to hold it, appending nothing. */
  hold(
    caller: Caller,
    command: ProposeCommand,
    validated: { version: number; lintWarnings: Violation[] },
  ): Promise<void>;
}

/**
 * The write path (DESIGN.md §5): authorize → limits → idempotency → load → base_version →
 * apply → serialize → XSD → lint → append (ledger, then Kafka) → Applied. Anything wrong with
 * the proposal throws a Rejection, and a rejected proposal changes nothing anywhere.
 */
export async function propose(
  caller: Caller,
  command: ProposeCommand,
  deps: ProposeDependencies,
): Promise<AppliedResult> {
  const endTimer = acceptLatency.startTimer();
  const log = logger.child({
    tenant_id: caller.tenantId,
    diagram_id: command.diagramId,
    transaction_id: command.transactionId,
    request_id: caller.requestId,
  });
  try {
    const result = await proposeUnmeasured(caller, command, deps);
    endTimer({ outcome: 'applied' });
    log.info({ version: result.version, operations: command.operations.length }, 'proposal applied');
    return result;
  } catch (error) {
    if (error instanceof Rejection) {
      endTimer({ outcome: error.code });
      log.info({ code: error.code, current_version: error.currentVersion, reason: error.message }, 'proposal rejected');
    }
    throw error;
  }
}

async function proposeUnmeasured(
  caller: Caller,
  command: ProposeCommand,
  deps: ProposeDependencies,
): Promise<AppliedResult> {
  const { ledger, workspace, settings } = deps;
  if (!isAllowed(caller, 'propose')) {
    throw new Rejection('FORBIDDEN', `role(s) ${caller.roles.join(', ')} may not propose changes`);
  }
  if (!command.transactionId) throw new Rejection('INVALID_OPERATION', 'transaction_id is required');
  if (command.operations.length === 0)
    throw new Rejection('INVALID_OPERATION', 'a proposal needs at least one operation');
  checkProposalLimits(command.operations, settings.limits);
  const reviewed = await deps.review?.answered(caller, command);
  if (reviewed) return reviewed;

  // A repeated transaction id needs no lookup first: on the current base version the ledger
  // refuses the append as a duplicate, and on an older one the mismatch below looks it up.
  const key = DiagramWorkspace.key(caller.tenantId, command.diagramId);
  return workspace.exclusive(key, async () => {
    const entry = await current(caller.tenantId, command.diagramId, command.baseVersion, deps);
    if (command.baseVersion !== entry.version) {
      // A twin of this proposal (same transaction id, in this process's queue or another process)
      // may be the very change that moved the version on: then the answer is its result.
      const twin = await ledger.findByTransaction(caller.tenantId, command.transactionId);
      if (twin) return replayed(twin, command.diagramId, deps);
      const latest = (await ledger.currentVersion(caller.tenantId, command.diagramId)) ?? entry.version;
      throw new Rejection(
        'VERSION_MISMATCH',
        `base_version ${command.baseVersion} is not the current version ${latest}`,
        [],
        latest,
      );
    }
    const version = entry.version + 1;
    // From here on the cached model may be half-changed: any failure drops it, to be re-parsed.
    try {
      const ids = {
        tenantId: caller.tenantId,
        diagramId: command.diagramId,
        transactionId: command.transactionId,
        requestId: caller.requestId,
        traceparent: caller.traceparent,
      };
      const change = await deps.engine.apply(entry, command.operations, { version, limits: settings.limits, ids });
      const { xml, model } = change;
      // The ledger's gzip of the result runs on libuv's pool meanwhile (dropped on a rejection).
      const xmlGzip = compressResult(xml);
      // XSD (validator-py, another process) and bpmnlint (this process) are independent: lint
      // the model while the validator reads the XML. The XSD verdict still decides first.
      const xsdRun = timed('xsd', () => deps.validation.xsd(xml, ids));
      // The gRPC client writes the request on a later turn of the event loop (the socket client
      // at once): let it go out before lint holds the loop, or the validator starts after lint.
      await new Promise((resolve) => setImmediate(resolve));
      const base = entry.lint && { memo: entry.lint, operations: change.resolved };
      const lintRun = timed('lint', () => deps.validation.lint(caller.tenantId, model.definitions, base));
      lintRun.catch(() => undefined); // awaited below, unless the XSD verdict rejects first
      const verdict = await xsdRun;
      if (!verdict.valid) {
        xsdErrors.inc();
        throw new Rejection(
          'XSD_INVALID',
          `the result is not valid BPMN 2.0: ${verdict.violations[0]?.message ?? ''}`,
          verdict.violations,
          entry.version,
        );
      }
      const lint = await lintRun;
      if (lint.errors.length > 0) {
        throw new Rejection(
          'LINT_ERROR',
          `lint: ${lint.errors[0]!.rule}: ${lint.errors[0]!.message}`,
          lint.errors,
          entry.version,
        );
      }
      await deps.review?.hold(caller, command, { version: entry.version, lintWarnings: lint.warnings });
      const event: DiagramEvent = {
        eventSchemaVersion: DIAGRAM_EVENT_SCHEMA_VERSION,
        eventType: 'CHANGES_APPLIED',
        tenantId: caller.tenantId,
        diagramId: command.diagramId,
        diagramName: null,
        version,
        baseVersion: entry.version,
        transactionId: command.transactionId,
        actorId: caller.actorId,
        actorKind: caller.kind === 'agent' ? 'AGENT' : 'USER',
        runId: caller.runId ?? null,
        requestId: caller.requestId ?? null,
        occurredAt: deps.now(),
        operations: change.resolved,
        idMap: change.idMap,
        resultHash: canonicalHash(xml),
      };
      // One call commits and publishes; the 'ledger' step ends at the commit, 'kafka' at the ack.
      let stepDone = stepLatency.startTimer({ step: 'ledger' });
      try {
        await ledger.appendAndPublish(
          { event, lintWarnings: lint.warnings, traceparent: caller.traceparent },
          xmlGzip,
          () => {
            stepDone();
            stepDone = stepLatency.startTimer({ step: 'kafka' });
          },
        );
      } finally {
        stepDone();
      }
      eventsAppended.inc();
      lintWarningsPerElement.observe(lint.warnings.length / Math.max(1, countElements(model)));
      workspace.set(key, { version, xml, model, lint: lint.memo });
      return {
        version,
        idMap: change.idMap,
        lintWarnings: lint.warnings,
        snapshotGzip:
          Buffer.byteLength(xml) >= settings.snapshotInAppliedBytes ||
          command.operations.length >= settings.snapshotInAppliedOperations
            ? gzipSync(xml)
            : undefined,
      };
    } catch (error) {
      entry.model = undefined;
      // Another process appended first: this process's copy is behind; the next proposal reloads it.
      if (error instanceof LedgerConflict) workspace.delete(key);
      if (error instanceof LedgerConflict && error.kind === 'DUPLICATE_TRANSACTION' && error.existing) {
        return replayed(error.existing, command.diagramId, deps);
      }
      throw await asRejection(error, caller, command, deps);
    }
  });
}

/**
 * The diagram as this process knows it. Other processes may have appended since, but versions
 * only grow and the ledger checks the base version under the diagram's lock, so a cached copy
 * is used without asking the ledger until a proposal names a version newer than it.
 */
async function current(
  tenantId: string,
  diagramId: string,
  baseVersion: number,
  deps: ProposeDependencies,
): Promise<WorkspaceEntry> {
  const key = DiagramWorkspace.key(tenantId, diagramId);
  const cached = deps.workspace.get(key);
  if (cached && baseVersion <= cached.version) return cached;
  const latest = await deps.ledger.currentVersion(tenantId, diagramId);
  if (latest === undefined) throw new Rejection('NOT_FOUND', `diagram ${diagramId} not found`);
  if (cached && cached.version === latest) return cached;
  const cold =
    !cached &&
    deps.snapshots &&
    (await loadFromSnapshot(tenantId, diagramId, latest, { ledger: deps.ledger, snapshots: deps.snapshots }));
  if (cold) {
    deps.workspace.set(key, cold);
    return cold;
  }
  const loaded = await deps.ledger.diagramXml(tenantId, diagramId, latest);
  if (!loaded) throw new Rejection('NOT_FOUND', `diagram ${diagramId} not found`);
  const entry: WorkspaceEntry = { version: loaded.version, xml: loaded.xml, model: undefined };
  deps.workspace.set(key, entry);
  return entry;
}

/** The same transaction again: the first result, once its event is surely on the topic too. */
async function replayed(earlier: LedgerEntry, diagramId: string, deps: ProposeDependencies): Promise<AppliedResult> {
  const { event } = earlier;
  if (event.diagramId !== diagramId) {
    throw new Rejection('INVALID_OPERATION', `transaction ${event.transactionId} was used for another diagram`);
  }
  await deps.ledger.publish(event.tenantId, event.diagramId);
  return { version: event.version, idMap: event.idMap, lintWarnings: earlier.lintWarnings, snapshotGzip: undefined };
}

async function asRejection(
  error: unknown,
  caller: Caller,
  command: ProposeCommand,
  deps: ProposeDependencies,
): Promise<unknown> {
  if (error instanceof Rejection) return error;
  if (error instanceof OperationError) {
    const current = await deps.ledger.currentVersion(caller.tenantId, command.diagramId);
    return new Rejection(error.code, error.message, error.violations, current ?? 0);
  }
  if (error instanceof LedgerConflict) {
    return new Rejection(
      'VERSION_MISMATCH',
      `another proposal became version ${error.currentVersion} first`,
      [],
      error.currentVersion,
    );
  }
  return error;
}
