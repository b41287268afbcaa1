import type { ApplyState } from '../apply-state.js';
import { invalidOperation } from '../operation-error.js';
import { collaborationOf, flowContainerOf, participantOf } from './containers.js';
import type { ModdleElement } from './moddle.js';

/**
 * Which connections BPMN allows, and the element that will own the new one (README,
 * "createConnection"). Throws INVALID_OPERATION naming the rule that refused it.
 */
export function connectionOwner(
  state: ApplyState,
  type: string,
  source: ModdleElement,
  target: ModdleElement,
): ModdleElement {
  switch (type) {
    case 'bpmn:SequenceFlow':
      return sequenceFlowOwner(source, target);
    case 'bpmn:MessageFlow':
      return messageFlowOwner(state, source, target);
    case 'bpmn:Association':
      return associationOwner(source, target);
    case 'bpmn:DataInputAssociation':
      requireKind(
        source,
        ['bpmn:DataObjectReference', 'bpmn:DataStoreReference'],
        'source of a data input association',
      );
      requireKind(target, ['bpmn:Activity'], 'target of a data input association');
      return target;
    case 'bpmn:DataOutputAssociation':
      requireKind(source, ['bpmn:Activity'], 'source of a data output association');
      requireKind(
        target,
        ['bpmn:DataObjectReference', 'bpmn:DataStoreReference'],
        'target of a data output association',
      );
      return source;
    default:
      throw invalidOperation(`${type} is not a connection type`, '', 'wrong-type');
  }
}

function sequenceFlowOwner(source: ModdleElement, target: ModdleElement): ModdleElement {
  requireKind(source, ['bpmn:FlowNode'], 'source of a sequence flow');
  requireKind(target, ['bpmn:FlowNode'], 'target of a sequence flow');
  if (source.$instanceOf('bpmn:EndEvent'))
    refuse('a sequence flow cannot leave an end event', source, 'sequence-flow-from-end-event');
  if (target.$instanceOf('bpmn:StartEvent'))
    refuse('a sequence flow cannot enter a start event', target, 'sequence-flow-into-start-event');
  if (target.$instanceOf('bpmn:BoundaryEvent'))
    refuse('a sequence flow cannot enter a boundary event', target, 'sequence-flow-into-boundary-event');
  const container = flowContainerOf(source);
  if (!container || container !== flowContainerOf(target)) {
    refuse(
      `a sequence flow cannot cross pools, processes or sub-process borders (${source.id} → ${target.id})`,
      target,
      'sequence-flow-across-containers',
    );
  }
  return container!;
}

function messageFlowOwner(state: ApplyState, source: ModdleElement, target: ModdleElement): ModdleElement {
  if (!collaborationOf(state))
    refuse('message flows need a collaboration (pools)', source, 'message-flow-without-pools');
  for (const [end, role] of [
    [source, 'source'],
    [target, 'target'],
  ] as const) {
    if (!end.$instanceOf('bpmn:Participant') && !end.$instanceOf('bpmn:Activity') && !end.$instanceOf('bpmn:Event')) {
      refuse(
        `the ${role} of a message flow must be a pool, an activity or an event, not ${end.$type}`,
        end,
        'message-flow-end',
      );
    }
  }
  if (['bpmn:StartEvent', 'bpmn:IntermediateCatchEvent', 'bpmn:BoundaryEvent'].some((t) => source.$instanceOf(t))) {
    refuse(`a message flow cannot leave a catching event (${source.$type})`, source, 'message-flow-from-catch-event');
  }
  if (['bpmn:EndEvent', 'bpmn:IntermediateThrowEvent'].some((t) => target.$instanceOf(t))) {
    refuse(`a message flow cannot enter a throwing event (${target.$type})`, target, 'message-flow-into-throw-event');
  }
  const from = participantOf(state, source);
  const to = participantOf(state, target);
  if (!from || !to)
    refuse('both ends of a message flow must be in pools', from ? target : source, 'message-flow-outside-pools');
  if (from === to) {
    refuse(`a message flow cannot stay within one pool (${from!.id})`, target, 'message-flow-within-pool');
  }
  if (from!.$parent !== to!.$parent) {
    refuse(
      'a message flow cannot join pools of different collaborations',
      target,
      'message-flow-across-collaborations',
    );
  }
  return from!.$parent!;
}

/** One end must be an artifact (text annotation, group); the association lives beside it. */
function associationOwner(source: ModdleElement, target: ModdleElement): ModdleElement {
  const artifact = [target, source].find((e) => e.$instanceOf('bpmn:Artifact'));
  if (!artifact) {
    refuse('an association must connect a text annotation or group', source, 'association-without-artifact');
  }
  const other = artifact === target ? source : target;
  const owner = artifact!.$parent?.$instanceOf('bpmn:Collaboration')
    ? artifact!.$parent
    : (flowContainerOf(other) ?? artifact!.$parent);
  if (!owner) refuse('the association has no container', source, 'association-without-container');
  return owner!;
}

function requireKind(element: ModdleElement, types: string[], role: string): void {
  if (!types.some((t) => element.$instanceOf(t))) {
    refuse(`the ${role} must be ${types.join(' or ')}, not ${element.$type}`, element, 'wrong-connection-end');
  }
}

function refuse(message: string, element: ModdleElement, rule: string): never {
  throw invalidOperation(message, element.id as string, rule);
}
