import CommandStack from 'diagram-js/lib/command/CommandStack.js';
import type EventBus from 'diagram-js/lib/core/EventBus.js';
import type { Injector } from 'didi';
import type RulesGate from './rules-gate.js';

/** What `rulesGate.gesture` and `rulesGate.denied` carry: the command the gate kept from running. */
export interface RefusedCommand {
  command: string;
  context: Record<string, unknown>;
}

/**
 * diagram-js's command stack, asking the Rules Gate before it changes anything. diagram-js's
 * own stack runs whatever it is given (only the tools ask the rules), so the gate would be
 * advice; here `execute`, `undo` and `redo` run only when `rulesGate.decide()` says `execute` —
 * the same decision the gate's rule gives the tools. What the gate refuses changes nothing: a user
 * gesture is handed on as `rulesGate.gesture` (to be proposed), anything else is reported as
 * `rulesGate.denied`; undo and redo become `rulesGate.undo` / `rulesGate.redo` (the user's own
 * history, proposed to the server).
 */
export default class GatedCommandStack extends CommandStack {
  static override $inject = ['eventBus', 'injector'];

  private readonly bus: EventBus;
  private readonly injector: Injector;

  constructor(eventBus: EventBus, injector: Injector) {
    super(eventBus, injector);
    this.bus = eventBus;
    this.injector = injector;
  }

  override execute(command: string, context: Record<string, unknown>): void {
    const decision = this.gate().decide();
    if (decision === 'execute') return super.execute(command, context);
    const refused: RefusedCommand = { command, context };
    this.bus.fire(decision === 'propose' ? 'rulesGate.gesture' : 'rulesGate.denied', refused);
  }

  override undo(): void {
    const decision = this.gate().decide();
    if (decision === 'execute') return super.undo();
    if (decision === 'propose') this.bus.fire('rulesGate.undo', {});
  }

  override redo(): void {
    const decision = this.gate().decide();
    if (decision === 'execute') return super.redo();
    if (decision === 'propose') this.bus.fire('rulesGate.redo', {});
  }

  /** The last step was a probe the caller reverted: it must not be redoable. */
  forgetRedo(): void {
    const internals = this as unknown as { _stack: unknown[]; _stackIdx: number };
    internals._stack.splice(internals._stackIdx + 1);
  }

  // The gate depends on the command stack (it gates every registered command): looked up on use.
  private gate(): RulesGate {
    return this.injector.get<RulesGate>('rulesGate');
  }
}
