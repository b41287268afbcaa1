import type EventBus from 'diagram-js/lib/core/EventBus.js';
import type CommandStack from 'diagram-js/lib/command/CommandStack.js';
import type Permits from '../rules-gate/permits.js';
import type { Operation } from '../operations.js';
import { resetExecution } from '../command-stack-recovery.js';
import ApplyChangeHandler, { type ApplyChangeContext } from './apply-change.handler.js';

/**
 * Executes a change the server applied (one's own or another user's) under a permit, as one
 * undo step. Throws when the canvas cannot follow; the caller then reloads that version.
 */
export default class ChangeApplier {
  static $inject = ['eventBus', 'commandStack', 'permits'];

  constructor(
    eventBus: EventBus,
    private readonly commandStack: CommandStack,
    private readonly permits: Permits,
  ) {
    eventBus.on('diagram.init', () =>
      commandStack.registerHandler('flowledger.applyChange', ApplyChangeHandler as never),
    );
  }

  apply(version: number, operations: Operation[], idMap: Record<string, string>): void {
    const context: ApplyChangeContext = { operations, idMap, version };
    try {
      this.permits.run('apply', () => this.commandStack.execute('flowledger.applyChange', context as never));
    } catch (error) {
      resetExecution(this.commandStack);
      throw error;
    }
  }
}
