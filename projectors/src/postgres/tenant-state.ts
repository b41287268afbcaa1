import type { PoolClient } from 'pg';
import { diagramKey, MAX_ELEMENTS_PER_WRITE, packWrites, type ProjectedChange } from '@flowledger/projection';
import { insertState, stateRows } from './postgres-rows.js';
import { STATE_TABLES } from './read-model-ddl.js';

/**
 * The state side of a tenant rebuild (diagram rows, elements, flows), kept as each diagram's last
 * change and written into the build's tables at the end of a reading round: each diagram once,
 * and again only if it changed in a later round (a live write during the rebuild). Written per
 * batch instead, a diagram's state went into the build once for every batch it had changes in
 * (for 80 KB diagrams that was ~0.8 s of Postgres time in a 3.5 s rebuild); written only at the
 * switch, it held the live writer back ~65 ms longer (16 KB × 200 tenant). Holding a change costs
 * no more than the replay holds anyway, and between rounds its `diagram` is in the state after it:
 * the rebuild replays into the same object, and the change is that diagram's last so far.
 */
export function createStateCollector() {
  const last = new Map<string, ProjectedChange>();
  const created = new Map<string, ProjectedChange>();
  /** The version of each diagram's state in the build's tables (`writeInto`). */
  const written = new Map<string, number>();
  return {
    take(changes: ProjectedChange[]): void {
      for (const change of changes) {
        const key = diagramKey(change.event.tenantId, change.event.diagramId);
        last.set(key, change);
        if (change.event.eventType === 'DIAGRAM_CREATED') created.set(key, change);
      }
    },
    appliedVersion(tenantId: string, diagramId: string): number {
      return last.get(diagramKey(tenantId, diagramId))?.event.version ?? 0;
    },
    /**
     * Each diagram's state into `schema`'s tables (the build's, unindexed), in writes of bounded
     * size: every diagram once, then — called again — only those with changes since, their rows
     * written before replaced. Between calls the replay may go on; during one it must not (the
     * rows are read from each diagram's replayed object).
     */
    async writeInto(client: PoolClient, schema: string, ledger: string): Promise<void> {
      const moved = [...last].filter(([key, change]) => written.get(key) !== change.event.version);
      const again = moved.filter(([key]) => written.has(key)).map(([, change]) => change.event);
      if (again.length > 0) {
        const keys = JSON.stringify(again.map((e) => ({ t: e.tenantId, d: e.diagramId })));
        for (const table of STATE_TABLES) {
          await client.query(
            `DELETE FROM ${schema}.${table} r USING json_to_recordset($1::json) AS k(t text, d text)
              WHERE r.tenant_id = k.t AND r.diagram_id = k.d`,
            [keys],
          );
        }
      }
      for (const write of this.writes(
        MAX_ELEMENTS_PER_WRITE,
        moved.map(([key]) => key),
      )) {
        await insertState(client, schema, ledger, stateRows(write));
      }
      for (const [key, change] of moved) written.set(key, change.event.version);
    },
    /**
     * The changes that write the state of the diagrams `keys` (default: all), cut into writes of
     * at most `maxElements` elements (a larger diagram goes alone). A diagram's created change
     * (its name, who created it and when) goes in the same write as its last change: each
     * diagram's pair is one group for `packWrites`, not `chunkByDiagramSize`'s grouping by diagram
     * object, which a created change need not share.
     */
    writes(maxElements = MAX_ELEMENTS_PER_WRITE, keys: Iterable<string> = last.keys()): ProjectedChange[][] {
      const groups = [...keys].map((key) => {
        const change = last.get(key)!;
        const first = created.get(key);
        return first && first !== change ? [first, change] : [change];
      });
      return packWrites(groups, maxElements);
    },
  };
}
