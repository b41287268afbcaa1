import RuleProvider from 'diagram-js/lib/features/rules/RuleProvider.js';
import type EventBus from 'diagram-js/lib/core/EventBus.js';
import type CommandStack from 'diagram-js/lib/command/CommandStack.js';
import type Permits from './permits.js';
import type UserInput from './user-input.js';

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

/**
 * The Rules Gate (DESIGN.md §7): every modeling action is denied unless a permit is held.
 *
 * Without a permit it answers:
 * - during a user gesture: "don't know", so the BPMN rules decide what may be *proposed* and the
 *   editor's feedback looks as in bpmn.io — the command itself is still never executed
 *   (ExecutionGuard turns it into a proposal);
 * - otherwise (a script, a read-only viewer): `false`.
 */
export default class RulesGate extends RuleProvider {
  static override $inject = ['eventBus', 'commandStack', 'permits', 'userInput'];

  private readOnly = false;

  constructor(
    eventBus: EventBus,
    private readonly commandStack: CommandStack,
    private readonly permits: Permits,
    private readonly userInput: UserInput,
  ) {
    super(eventBus);
    // Command handlers are registered on diagram.init; gate them all once they are.
    eventBus.on('diagram.init', 100, () => {
      this.addRule([...new Set([...GESTURE_RULES, ...this.commandNames()])], GATE_PRIORITY, () => this.answer());
    });
  }

  override init(): void {
    // Rules are added on diagram.init (see the constructor), when every command is known.
  }

  /** A viewer may look, select and scroll, never propose. */
  setReadOnly(readOnly: boolean): void {
    this.readOnly = readOnly;
  }

  isReadOnly(): boolean {
    return this.readOnly;
  }

  /** Whether a refused command is a gesture to turn into a proposal (else it is dropped silently). */
  mayPropose(): boolean {
    return !this.readOnly && this.userInput.active();
  }

  private answer(): boolean | undefined {
    if (this.permits.held()) return undefined;
    return this.mayPropose() ? undefined : false;
  }

  private commandNames(): string[] {
    return Object.keys((this.commandStack as unknown as { _handlerMap: Record<string, unknown> })._handlerMap);
  }
}
