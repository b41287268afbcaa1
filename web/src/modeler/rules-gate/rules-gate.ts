import RuleProvider from 'diagram-js/lib/features/rules/RuleProvider.js';
import type EventBus from 'diagram-js/lib/core/EventBus.js';
import type CommandStack from 'diagram-js/lib/command/CommandStack.js';
import type Permits from './permits.js';
import type GestureAllowance from './gesture-allowance.js';

/** Above bpmn-js's BpmnRules (1000) and every other provider. */
const GATE_PRIORITY = 5000;

/** Rule names the tools ask about that are not command names. */
const GESTURE_RULES = [
  'connection.start',
  'connection.reconnect',
  'connection.reconnectStart',
  'connection.reconnectEnd',
  'elements.create',
  'elements.move',
  'elements.delete',
  'element.copy',
  'element.paste',
  'elements.paste',
  'element.autoResize',
  'element.updateLabel',
  'shape.attach',
  'shape.resize',
  'shape.replace',
  'lane.add',
  'lane.split',
];

/** What the gate decides about a modeling action right now. */
export type GateDecision =
  /** A permit is held: the action changes the canvas (bpmn-js's own rules still apply). */
  | 'execute'
  /** A user's gesture without a permit: previewed, never executed — it becomes a proposal. */
  | 'propose'
  /** Anything else (a script, a viewer): refused, nothing happens. */
  | 'deny';

/**
 * The Rules Gate (DESIGN.md §7), a rule provider above every other. `decide` is the single
 * source of truth, and both sides of diagram-js ask it:
 * - the tools, through the gate's `canExecute` rule: denied unless a permit is held — except
 *   during a user gesture (the gesture allowance, never for viewers), when the rule passes the
 *   question on to bpmn-js's rules so the drag feedback shows what may be *proposed*;
 * - the command stack (GatedCommandStack), before every command, undo and redo: it runs only
 *   on `execute`; a gesture's command (`propose`) is turned into a proposal instead.
 */
export default class RulesGate extends RuleProvider {
  static override $inject = ['eventBus', 'commandStack', 'permits', 'gestureAllowance'];

  private readOnly = false;

  constructor(
    eventBus: EventBus,
    private readonly commandStack: CommandStack,
    private readonly permits: Permits,
    private readonly gestureAllowance: GestureAllowance,
  ) {
    super(eventBus);
    // Command handlers are registered on diagram.init; gate them all once they are.
    eventBus.on('diagram.init', 100, () => {
      const actions = [...new Set([...GESTURE_RULES, ...this.commandNames()])];
      this.addRule(actions, GATE_PRIORITY, () => (this.decide() === 'deny' ? false : undefined));
    });
  }

  override init(): void {
    // Rules are added on diagram.init (see the constructor), when every command is known.
  }

  /** Whether a modeling action may change the canvas now: only under a permit. */
  decide(): GateDecision {
    if (this.permits.held()) return 'execute';
    if (!this.readOnly && this.gestureAllowance.active()) return 'propose';
    return 'deny';
  }

  /** A viewer may look, select and scroll, never propose. */
  setReadOnly(readOnly: boolean): void {
    this.readOnly = readOnly;
  }

  isReadOnly(): boolean {
    return this.readOnly;
  }

  private commandNames(): string[] {
    return Object.keys((this.commandStack as unknown as { _handlerMap: Record<string, unknown> })._handlerMap);
  }
}
