import type EventBus from 'diagram-js/lib/core/EventBus.js';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry.js';
import type Canvas from 'diagram-js/lib/core/Canvas.js';
import type Permits from '../rules-gate/permits.js';
import type GatedCommandStack from '../rules-gate/gated-command-stack.js';
import type { RefusedCommand } from '../rules-gate/gated-command-stack.js';
import { referencedIds, type Operation } from '../operations.js';
import { snapshotElements, type DiagramSnapshot } from './element-snapshot.js';
import { diffSnapshots } from './snapshot-diff.js';
import { resetExecution } from '../command-stack-recovery.js';

/** What `proposals.proposed` carries: the operations and the existing elements they concern. */
export interface Proposal {
  command: string;
  operations: Operation[];
  /** What undoes it (in the same temporary ids), for the user's own undo. */
  inverse: Operation[];
  elementIds: string[];
}

export interface Translation {
  operations: Operation[];
  inverse: Operation[];
}

/**
 * Turns a refused user gesture into a proposal. The gesture's command is executed under a
 * probe permit and reverted within the same synchronous call (so nothing is painted or kept),
 * and the difference it made — every bpmn-js behavior included — becomes contract operations.
 * `shape.replace` is read from its context instead: bpmn-js replaces by creating a new element,
 * the contract keeps the id.
 */
export default class GestureTranslator {
  static $inject = ['eventBus', 'commandStack', 'elementRegistry', 'canvas', 'permits'];

  private temporaryIds = 0;

  constructor(
    private readonly eventBus: EventBus,
    private readonly commandStack: GatedCommandStack,
    private readonly elementRegistry: ElementRegistry,
    private readonly canvas: Canvas,
    private readonly permits: Permits,
  ) {
    eventBus.on('rulesGate.gesture', (event: RefusedCommand) => this.propose(event.command, event.context));
  }

  /** The operations a command would amount to; the canvas is left as it was. */
  translate(command: string, context: Record<string, unknown>): Translation {
    if (command === 'shape.replace') return replacement(context);
    const before = this.snapshot();
    this.permits.run('probe', () => this.commandStack.execute(command, context));
    const after = this.snapshot();
    this.permits.run('probe', () => this.commandStack.undo());
    this.commandStack.forgetRedo();
    const options = {
      rootId: this.canvas.getRootElement().id,
      freshId: (id: string) => `${id}_${++this.temporaryIds}`,
    };
    return { operations: diffSnapshots(before, after, options), inverse: diffSnapshots(after, before, options) };
  }

  private propose(command: string, context: Record<string, unknown>): void {
    let translation: Translation;
    try {
      translation = this.translate(command, context);
    } catch (error) {
      resetExecution(this.commandStack);
      this.eventBus.fire('proposals.failed', { command, error });
      return;
    }
    const { operations, inverse } = translation;
    if (operations.length === 0) {
      this.eventBus.fire('proposals.empty', { command });
      return;
    }
    const elementIds = [...new Set(operations.flatMap(referencedIds))].filter((id) => this.elementRegistry.get(id));
    const proposal: Proposal = { command, operations, inverse, elementIds };
    this.eventBus.fire('proposals.proposed', proposal);
  }

  private snapshot(): DiagramSnapshot {
    return snapshotElements(this.elementRegistry.getAll() as never, this.canvas.getRootElement().id);
  }
}

function replacement(context: Record<string, unknown>): Translation {
  const oldShape = context.oldShape as { id: string; type: string };
  const newData = context.newData as { type: string; businessObject?: { eventDefinitions?: unknown[] } };
  // The contract changes the type only; event definitions have no operation yet.
  if (newData.businessObject?.eventDefinitions?.length) {
    throw new Error('replacing with an event definition (timer, message, …) is not supported yet');
  }
  return {
    operations: [{ op: { case: 'replaceElement', value: { elementId: oldShape.id, newType: newData.type } } }],
    inverse: [{ op: { case: 'replaceElement', value: { elementId: oldShape.id, newType: oldShape.type } } }],
  };
}
