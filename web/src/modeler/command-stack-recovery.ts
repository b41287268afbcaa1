import type CommandStack from 'diagram-js/lib/command/CommandStack.js';

/**
 * A command that threw mid-way leaves diagram-js's execution state behind (its action stack
 * never unwinds), and every later command would join it. Clears it before the editor reloads.
 */
export function resetExecution(commandStack: CommandStack): void {
  const internals = commandStack as unknown as {
    _currentExecution: { actions: unknown[]; dirty: unknown[]; trigger: unknown; atomic?: boolean };
  };
  Object.assign(internals._currentExecution, { actions: [], dirty: [], trigger: null, atomic: false });
}
