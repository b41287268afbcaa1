import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry.js';
import type Canvas from 'diagram-js/lib/core/Canvas.js';
import type Modeling from 'bpmn-js/lib/features/modeling/Modeling.js';
import type ElementFactory from 'bpmn-js/lib/features/modeling/ElementFactory.js';
import type BpmnFactory from 'bpmn-js/lib/features/modeling/BpmnFactory.js';
import type BpmnReplace from 'bpmn-js/lib/features/replace/BpmnReplace.js';
import type { JsonValue, Operation, Point } from '../operations.js';

/** A change the canvas cannot follow operation by operation; the editor reloads the version instead. */
export class ReloadRequired extends Error {}

// diagram-js elements, as far as this file touches them.
interface Element {
  id: string;
  parent?: Element;
  waypoints?: Point[];
  businessObject: { $type: string };
}

/**
 * Executes one contract operation on the canvas with bpmn-js modeling, ids already permanent.
 * Runs inside the `flowledger.applyChange` command, so the whole change is one undo step.
 */
export default class OperationApplier {
  static $inject = ['modeling', 'elementRegistry', 'elementFactory', 'bpmnFactory', 'canvas', 'bpmnReplace'];

  constructor(
    private readonly modeling: Modeling,
    private readonly elementRegistry: ElementRegistry,
    private readonly elementFactory: ElementFactory,
    private readonly bpmnFactory: BpmnFactory,
    private readonly canvas: Canvas,
    private readonly bpmnReplace: BpmnReplace,
  ) {}

  apply(operation: Operation, permanent: (id: string) => string): void {
    const { op } = operation;
    const m = this.modeling as unknown as Record<string, (...args: unknown[]) => unknown>;
    switch (op.case) {
      case 'createShape': {
        const { type, bounds, name } = op.value;
        if (!bounds) throw new ReloadRequired('createShape without bounds');
        const id = permanent(op.value.id);
        const parent = op.value.parentId ? this.get(permanent(op.value.parentId)) : this.canvas.getRootElement();
        const businessObject = this.bpmnFactory.create(type, { id, ...(name ? { name } : {}) });
        const expanded = type === 'bpmn:SubProcess' || type === 'bpmn:Participant' ? { isExpanded: true } : {};
        const shape = this.elementFactory.createShape({
          type,
          businessObject,
          width: bounds.width,
          height: bounds.height,
          ...expanded,
        } as never);
        const center = { x: bounds.x + bounds.width / 2, y: bounds.y + bounds.height / 2 };
        const attach = type === 'bpmn:BoundaryEvent' ? { attach: true } : {};
        m.createShape!(shape, center, parent, attach);
        return;
      }
      case 'createConnection': {
        const { type, waypoints, name } = op.value;
        const id = permanent(op.value.id);
        const source = this.get(permanent(op.value.sourceId));
        const target = this.get(permanent(op.value.targetId));
        const businessObject = this.bpmnFactory.create(type, { id, ...(name ? { name } : {}) });
        const attrs = { type, businessObject, ...(waypoints.length >= 2 ? { waypoints: points(waypoints) } : {}) };
        m.connect!(source, target, attrs);
        return;
      }
      case 'moveElements': {
        const elements = op.value.elementIds.map((id) => this.get(permanent(id)));
        const shapes = elements.filter((e) => !e.waypoints);
        const newParent = op.value.newParentId ? this.get(permanent(op.value.newParentId)) : undefined;
        // Listed connections follow when both ends move; bpmn-js moves them with their shapes.
        m.moveElements!(shapes, { ...op.value.delta! }, newParent);
        return;
      }
      case 'resizeShape':
        m.resizeShape!(this.get(permanent(op.value.elementId)), { ...op.value.bounds! });
        return;
      case 'updateWaypoints':
        m.updateWaypoints!(this.get(permanent(op.value.elementId)), points(op.value.waypoints));
        return;
      case 'updateProperties':
        this.updateProperties(this.get(permanent(op.value.elementId)), op.value.properties ?? {});
        return;
      case 'deleteElements': {
        // Elements already gone by an earlier cascade are fine: the server cascades the same way.
        const elements = op.value.elementIds.map((id) => this.elementRegistry.get(permanent(id))).filter(Boolean);
        m.removeElements!(elements);
        return;
      }
      case 'replaceElement': {
        const element = this.get(permanent(op.value.elementId));
        const target = {
          type: op.value.newType,
          ...(op.value.newType === 'bpmn:SubProcess' ? { isExpanded: true } : {}),
        };
        const replaced = (
          this.bpmnReplace as unknown as { replaceElement(e: unknown, t: unknown): Element }
        ).replaceElement(element, target);
        // bpmn-js gives the replacement a new id; the contract keeps the old one.
        m.updateProperties!(replaced, { id: element.id });
        return;
      }
      case 'importXml':
        throw new ReloadRequired('the diagram was replaced by an import');
      default:
        return unreachable(op);
    }
  }

  private updateProperties(element: Element, properties: { [key: string]: JsonValue }): void {
    const m = this.modeling as unknown as Record<string, (...args: unknown[]) => unknown>;
    const changes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(properties)) {
      if (key === 'text' || key === 'name') {
        m.updateLabel!(element, value ?? '');
      } else if (key === 'documentation') {
        changes.documentation =
          value === null ? [] : [this.bpmnFactory.create('bpmn:Documentation', { text: String(value) })];
      } else if (key === 'conditionExpression') {
        changes.conditionExpression =
          value === null ? undefined : this.bpmnFactory.create('bpmn:FormalExpression', { body: String(value) });
      } else if (key === 'default') {
        changes.default = value === null ? undefined : this.get(String(value)).businessObject;
      } else if (value === null || typeof value !== 'object') {
        changes[key] = value === null ? undefined : value;
      } else {
        throw new ReloadRequired(`property ${key} is not a simple value`);
      }
    }
    if (Object.keys(changes).length) m.updateProperties!(element, changes);
  }

  private get(id: string): Element {
    const element = this.elementRegistry.get(id) as Element | undefined;
    if (!element) throw new ReloadRequired(`no element ${id} on the canvas`);
    return element;
  }
}

function points(waypoints: Point[]): Point[] {
  return waypoints.map((p) => ({ x: p.x, y: p.y }));
}

function unreachable(value: never): never {
  throw new ReloadRequired(`unknown operation ${JSON.stringify(value)}`);
}
