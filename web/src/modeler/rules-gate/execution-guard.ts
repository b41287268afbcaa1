import type EventBus from 'diagram-js/lib/core/EventBus.js';
import type CommandStack from 'diagram-js/lib/command/CommandStack.js';
import type Permits from './permits.js';
import type RulesGate from './rules-gate.js';

export interface RefusedCommand {
  command: string;
  context: Record<string, unknown>;
}

/**
 * Enforces the gate where changes happen. diagram-js's command stack does not consult the rules
 * itself, so `execute`, `undo` and `redo` run only under a permit. A refused top-level command
 * changes nothing; if it came from a user gesture it is handed on as `rulesGate.gesture` (to be
 * proposed), otherwise it is reported as `rulesGate.denied` and goes nowhere.
 */
export default class ExecutionGuard {
  static $inject = ['commandStack', 'permits', 'rulesGate', 'eventBus'];

  constructor(commandStack: CommandStack, permits: Permits, rulesGate: RulesGate, eventBus: EventBus) {
    const execute = commandStack.execute.bind(commandStack);
    const undo = commandStack.undo.bind(commandStack);
    const redo = commandStack.redo.bind(commandStack);

    commandStack.execute = (command: string, context: Record<string, unknown>) => {
      if (permits.held()) return execute(command, context);
      const refused: RefusedCommand = { command, context };
      eventBus.fire(rulesGate.mayPropose() ? 'rulesGate.gesture' : 'rulesGate.denied', refused);
    };
    // Local undo would revert other users' changes too: undo is a proposal (rulesGate.undo).
    commandStack.undo = () => {
      if (permits.held()) return undo();
      if (rulesGate.mayPropose()) eventBus.fire('rulesGate.undo', {});
    };
    commandStack.redo = () => {
      if (permits.held()) return redo();
      if (rulesGate.mayPropose()) eventBus.fire('rulesGate.redo', {});
    };
  }
}
