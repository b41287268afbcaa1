import type { TenantPools } from './tenant-pools.js';
import { QueryError } from './query-error.js';

export interface DiagramStats {
  diagramId: string;
  name: string;
  version: number;
  elementCount: number;
  elementCounts: { type: string; count: number }[];
  flowCount: number;
  sequenceFlowCount: number;
  messageFlowCount: number;
  lintWarningCount: number;
  lintWarningDensity: number;
  updatedAt: Date;
}

export interface ActivityFilter {
  diagramId: string;
  actorId: string;
  fromDay: string;
  toDay: string;
}

export interface ActorDayActivity {
  actorId: string;
  day: string;
  edits: number;
  diagrams: number;
}

export interface VersionEntry {
  version: number;
  eventType: string;
  transactionId: string;
  actorId: string;
  actorKind: string;
  runId: string;
  occurredAt: Date;
  operationCount: number;
  lintWarningCount: number;
  resultHash: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Statistics and history from the `read_model` views, always through the tenant's own login
 * (RLS does the scoping; the tenant_id conditions below only help the planner).
 */
export class StatsQueries {
  constructor(private readonly pools: TenantPools) {}

  async diagramStats(tenantId: string, diagramId: string): Promise<DiagramStats> {
    requireId(diagramId);
    const [diagram] = await this.pools.query<{
      name: string | null;
      applied_version: string;
      element_count: number;
      flow_count: number;
      lint_warning_count: number;
      density: number;
      updated_at: Date;
    }>(
      tenantId,
      `SELECT d.name, d.applied_version, d.element_count, d.flow_count, d.lint_warning_count, l.density, d.updated_at
       FROM read_model.diagrams d JOIN read_model.lint_warning_density l USING (tenant_id, diagram_id)
       WHERE d.tenant_id = $1 AND d.diagram_id = $2`,
      [tenantId, diagramId],
    );
    if (!diagram) throw new QueryError('NOT_FOUND', `diagram ${diagramId} not found in the read model`);
    const counts = await this.pools.query<{ element_type: string; element_count: number }>(
      tenantId,
      `SELECT element_type, element_count FROM read_model.element_counts_by_type
       WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY element_type`,
      [tenantId, diagramId],
    );
    const countOf = (type: string) => counts.find((c) => c.element_type === type)?.element_count ?? 0;
    return {
      diagramId,
      name: diagram.name ?? '',
      version: Number(diagram.applied_version),
      elementCount: diagram.element_count,
      elementCounts: counts.map((c) => ({ type: c.element_type, count: c.element_count })),
      flowCount: diagram.flow_count,
      sequenceFlowCount: countOf('bpmn:SequenceFlow'),
      messageFlowCount: countOf('bpmn:MessageFlow'),
      lintWarningCount: diagram.lint_warning_count,
      lintWarningDensity: diagram.density,
      updatedAt: diagram.updated_at,
    };
  }

  async activity(tenantId: string, filter: ActivityFilter): Promise<ActorDayActivity[]> {
    for (const day of [filter.fromDay, filter.toDay]) {
      if (day && !DAY.test(day)) throw new QueryError('INVALID_ARGUMENT', `day "${day}" is not YYYY-MM-DD`);
    }
    const rows = await this.pools.query<{ actor_id: string; day: string; edits: string; diagrams: string }>(
      tenantId,
      `SELECT actor_id, to_char(day, 'YYYY-MM-DD') AS day, sum(edits) AS edits, count(DISTINCT diagram_id) AS diagrams
       FROM read_model.actor_activity
       WHERE tenant_id = $1 AND ($2 = '' OR diagram_id = $2) AND ($3 = '' OR actor_id = $3)
         AND ($4 = '' OR day >= $4::date) AND ($5 = '' OR day <= $5::date)
       GROUP BY actor_id, day ORDER BY day, actor_id`,
      [tenantId, filter.diagramId, filter.actorId, filter.fromDay, filter.toDay],
    );
    return rows.map((r) => ({ actorId: r.actor_id, day: r.day, edits: Number(r.edits), diagrams: Number(r.diagrams) }));
  }

  async versionHistory(tenantId: string, diagramId: string): Promise<VersionEntry[]> {
    requireId(diagramId);
    const rows = await this.pools.query<{
      version: string;
      event_type: string;
      transaction_id: string;
      actor_id: string;
      actor_kind: string;
      run_id: string | null;
      occurred_at: Date;
      operation_count: number;
      lint_warning_count: number;
      result_hash: string;
    }>(
      tenantId,
      `SELECT version, event_type, transaction_id, actor_id, actor_kind, run_id, occurred_at, operation_count,
              lint_warning_count, result_hash
       FROM read_model.versions WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY version`,
      [tenantId, diagramId],
    );
    if (rows.length === 0) throw new QueryError('NOT_FOUND', `diagram ${diagramId} not found in the read model`);
    return rows.map((r) => ({
      version: Number(r.version),
      eventType: r.event_type,
      transactionId: r.transaction_id,
      actorId: r.actor_id,
      actorKind: r.actor_kind,
      runId: r.run_id ?? '',
      occurredAt: r.occurred_at,
      operationCount: r.operation_count,
      lintWarningCount: r.lint_warning_count,
      resultHash: r.result_hash,
    }));
  }
}

function requireId(diagramId: string): void {
  if (!diagramId) throw new QueryError('INVALID_ARGUMENT', 'diagram_id is required');
}
