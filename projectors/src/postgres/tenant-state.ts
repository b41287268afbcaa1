import type { PoolClient } from 'pg';
import { diagramKey, MAX_ELEMENTS_PER_WRITE, packWrites, type ProjectedChange } from '@flowledger/projection';
import { insertState, stateRows } from './postgres-rows.js';

/**
 * The state side of a tenant rebuild (diagram rows, elements, flows), kept as each diagram's last
 * change until the switch writes it into the serving tables, once. Written per batch instead, a
 * diagram's state went into the build once for every batch it had changes in, and was then copied
 * (for 80 KB diagrams that was ~0.8 s of Postgres time in a 3.5 s rebuild). Holding a change costs
 * no more than the replay holds anyway, and by the switch its `diagram` is in the state after it:
 * the rebuild replays into the same object, and the change is that diagram's last.
 */
export function createStateCollector() {
  const last = new Map<string, ProjectedChange>();
  const created = new Map<string, ProjectedChange>();
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
     * Every diagram's state into `schema`'s tables, which hold none of these diagrams' rows (the
     * switch's tables of the build), in writes of bounded size (the caller's transaction).
     */
    async writeInto(client: PoolClient, schema: string, ledger: string): Promise<void> {
      for (const write of this.writes()) await insertState(client, schema, ledger, stateRows(write));
    },
    /**
     * The changes `writeInto` writes, cut into writes of at most `maxElements` elements (a larger
     * diagram goes alone). A diagram's created change (its name, who created it and when) goes
     * in the same write as its last change: each diagram's pair is one group for `packWrites`,
     * not `chunkByDiagramSize`'s grouping by diagram object, which a created change need not share.
     */
    writes(maxElements = MAX_ELEMENTS_PER_WRITE): ProjectedChange[][] {
      const groups = [...last].map(([key, change]) => {
        const first = created.get(key);
        return first && first !== change ? [first, change] : [change];
      });
      return packWrites(groups, maxElements);
    },
  };
}
