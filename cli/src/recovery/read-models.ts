import type pg from 'pg';
import type { StackConfig } from '@flowledger/config';
import type { Diagram } from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';
import type { Projection } from '@flowledger/projection';

export const READ_MODELS = ['postgres', 'neo4j', 'snapshots'] as const;
export type ReadModelName = (typeof READ_MODELS)[number];

export interface OpenReadModel {
  name: ReadModelName;
  projection: Projection;
  /**
   * `verify`: compares what the read model stores for the diagram with what replaying its events
   * gives (`events` are all of them, 1..current; `diagram` the state after the last); one line per
   * difference. Absent where hashes already say it all (snapshots).
   */
  inspect?(
    tenantId: string,
    diagramId: string,
    replayed: { diagram: Diagram; events: DiagramEvent[] },
  ): Promise<string[]>;
  close(): Promise<void>;
}

/** A read model whose code is not there (yet) or cannot start; `owner` says where it lives. */
export class ReadModelUnavailable extends Error {
  override readonly name = 'ReadModelUnavailable';
  constructor(
    readonly readModel: ReadModelName,
    readonly owner: string,
    cause: unknown,
  ) {
    super(`read model "${readModel}" is not available (${owner}): ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
  }
}

export function parseReadModels(value: string | undefined): ReadModelName[] {
  if (value === 'all') return [...READ_MODELS];
  if (value && (READ_MODELS as readonly string[]).includes(value)) return [value as ReadModelName];
  throw new Error(`--read-model must be one of ${READ_MODELS.join(', ')}, all (got ${value ?? 'nothing'})`);
}

/**
 * Opens each read model's projection with the settings its own process uses (their config
 * modules read the same environment), so a rebuild writes exactly where the live projector does.
 */
export async function openReadModel(
  name: ReadModelName,
  ctx: { config: StackConfig; pool: pg.Pool; clientId: string },
): Promise<OpenReadModel> {
  switch (name) {
    case 'postgres': {
      const owner = 'projectors/src/postgres';
      try {
        const { createPostgresProjection } = await import('@flowledger/projectors/src/postgres/postgres-projection.js');
        const { verifyPostgresDiagram } = await import('@flowledger/projectors/src/postgres/read-model-content.js');
        const { currentVersionSchema } = await import('@flowledger/projectors/src/postgres/read-model-schema.js');
        const { loadProjectorsConfig } = await import('@flowledger/projectors/src/projectors.config.js');
        const settings = loadProjectorsConfig();
        const projection = await createPostgresProjection({
          pool: ctx.pool,
          version: settings.postgres.projectionVersion,
          tenantSecret: settings.postgres.readModelSecret,
          freezeWaitMs: settings.rebuildFreezeWaitMs,
        });
        const version = settings.postgres.projectionVersion;
        return {
          name,
          projection,
          inspect: async (tenantId, diagramId, replayed) =>
            verifyPostgresDiagram(
              ctx.pool,
              await currentVersionSchema(ctx.pool, version),
              tenantId,
              diagramId,
              replayed,
            ),
          close: async () => {},
        };
      } catch (error) {
        throw new ReadModelUnavailable(name, owner, error);
      }
    }
    case 'neo4j': {
      const owner = 'projectors/src/neo4j';
      try {
        const { openNeo4jReadModel } = await import('@flowledger/projectors/src/neo4j/neo4j-projection.js');
        const { loadProjectorsConfig } = await import('@flowledger/projectors/src/projectors.config.js');
        const settings = loadProjectorsConfig();
        const model = await openNeo4jReadModel({
          url: ctx.config.neo4j.url,
          username: ctx.config.neo4j.username,
          password: ctx.config.neo4j.password,
          projectionVersion: settings.neo4j.projectionVersion,
          freezeWaitMs: settings.rebuildFreezeWaitMs,
        });
        return {
          name,
          projection: model.projection,
          inspect: (tenantId, diagramId, { diagram, events }) =>
            model.verifyDiagram(tenantId, diagramId, diagram, events.at(-1)?.version ?? 0),
          close: () => model.close(),
        };
      } catch (error) {
        throw new ReadModelUnavailable(name, owner, error);
      }
    }
    case 'snapshots': {
      const { buildSnapshotter, loadSnapshotterConfig } = await import('@flowledger/snapshotter');
      const parts = await buildSnapshotter(ctx.pool, loadSnapshotterConfig(), { clientId: ctx.clientId });
      return { name, projection: parts.projection, close: () => parts.close() };
    }
    default:
      return unreachable(name);
  }
}

function unreachable(name: never): never {
  throw new Error(`unknown read model ${String(name)}`);
}
