import {
  DEFAULT_OPERATION_LIMITS,
  applyOperations,
  emptyDiagramXml,
  parseDiagram,
  type Diagram,
  type Operation,
} from '@flowledger/bpmn-operations';
import type { DiagramEvent } from '@flowledger/events';
import type { ProjectedChange } from '@flowledger/projection';

/**
 * Changes made in-process, without the command service: the bench (and unit-level checks)
 * need thousands of them fast. `resultHash` is left empty — sinks do not check it; the runner
 * does, before a sink ever sees a change.
 */
export class SyntheticDiagram {
  private version = 0;
  private constructor(
    readonly tenantId: string,
    readonly diagramId: string,
    readonly diagram: Diagram,
  ) {}

  /** A diagram whose version 1 imports `xml`; the change it returns is DIAGRAM_CREATED. */
  static async create(tenantId: string, diagramId: string, xml: string): Promise<[SyntheticDiagram, ProjectedChange]> {
    const synthetic = new SyntheticDiagram(tenantId, diagramId, await parseDiagram(emptyDiagramXml()));
    return [synthetic, await synthetic.change([{ kind: 'importXml', xml }])];
  }

  /** The next version: applies `operations` (mutating `diagram`) and describes it as a change. */
  async change(operations: Operation[]): Promise<ProjectedChange> {
    this.version += 1;
    const applied = await applyOperations(this.diagram, operations, {
      version: this.version,
      limits: DEFAULT_OPERATION_LIMITS,
    });
    const event: DiagramEvent = {
      eventSchemaVersion: 1,
      eventType: this.version === 1 ? 'DIAGRAM_CREATED' : 'CHANGES_APPLIED',
      tenantId: this.tenantId,
      diagramId: this.diagramId,
      diagramName: this.version === 1 ? 'synthetic' : null,
      version: this.version,
      baseVersion: this.version - 1,
      transactionId: `${this.diagramId}-${this.version}`,
      actorId: 'bench',
      actorKind: 'AGENT',
      runId: null,
      requestId: null,
      occurredAt: new Date(0),
      operations: applied.resolved,
      idMap: applied.idMap,
      resultHash: '',
    };
    return { event, diagram: this.diagram };
  }

  /** A task connected from `previousId` (a flow node of the root process), as one change; returns the task's id too. */
  async growFrom(previousId: string, x: number, y: number): Promise<[ProjectedChange, string]> {
    const change = await this.change([
      {
        kind: 'createShape',
        id: 'task',
        type: 'bpmn:Task',
        parentId: '',
        bounds: { x, y, width: 100, height: 80 },
        name: `T${x}`,
      },
      {
        kind: 'createConnection',
        id: 'flow',
        type: 'bpmn:SequenceFlow',
        sourceId: previousId,
        targetId: 'task',
        waypoints: [],
        name: '',
      },
    ]);
    return [change, change.event.idMap['task']!];
  }

  /**
   * The i-th edit of a typical editing session on `lastId` (a task): mostly layout, which leaves
   * the graph as it is, sometimes a rename or a new connected task. Returns the new last task.
   */
  async edit(lastId: string, i: number): Promise<[ProjectedChange, string]> {
    switch (i % 5) {
      case 0:
        return this.growFrom(lastId, 3000 + i * 150, 3000);
      case 1:
      case 2:
        return [
          await this.change([{ kind: 'moveElements', elementIds: [lastId], delta: { x: 5, y: 5 }, newParentId: '' }]),
          lastId,
        ];
      case 3:
        return [
          await this.change([{ kind: 'updateProperties', elementId: lastId, properties: { name: `Renamed ${i}` } }]),
          lastId,
        ];
      default:
        return [
          await this.change([
            { kind: 'resizeShape', elementId: lastId, bounds: { x: 3000 + i * 150, y: 3000, width: 120, height: 90 } },
          ]),
          lastId,
        ];
    }
  }
}
