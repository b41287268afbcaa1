import { checkTemporaryId, permanentId, register, requireElement, type ApplyState } from '../apply-state.js';
import { connectionOwner } from '../model/connection-rules.js';
import { addEdgeDi, centreOf } from '../model/di.js';
import { addTo } from '../model/element-lists.js';
import { isConnectionType } from '../model/element-kinds.js';
import { isConcreteBpmnType, moddle, type ModdleElement } from '../model/moddle.js';
import type { CreateConnection } from '../operation.js';
import { invalidOperation } from '../operation-error.js';
import { checkStringLength } from '../operation-limits.js';

/**
 * Creates a sequence flow, message flow, association or data association and its edge.
 * Without waypoints the edge runs straight from the source's centre to the target's.
 */
export function createConnection(state: ApplyState, op: CreateConnection): CreateConnection {
  checkTemporaryId(state, op.id);
  if (!isConcreteBpmnType(op.type) || !isConnectionType(op.type)) {
    throw invalidOperation(`${op.type} is not a connection type: use createShape for shapes`, op.id, 'wrong-type');
  }
  checkStringLength('name', op.name, state.limits, op.id);
  const source = requireElement(state, op.sourceId);
  const target = requireElement(state, op.targetId);
  const owner = connectionOwner(state, op.type, source, target);
  const waypoints = op.waypoints.length > 0 ? op.waypoints : [centreOf(state, source), centreOf(state, target)];
  const ordinal = ++state.createdCount;
  const connection = moddle.create(op.type, { id: permanentId(state, op.type, ordinal) });
  if (op.name !== '') connection.name = op.name;

  const shownWith = attach(state, connection, source, target, owner, ordinal);
  register(state, connection);
  addEdgeDi(state, connection, waypoints, shownWith);
  state.idMap[op.id] = connection.id as string;
  state.touched.add(connection.id as string);
  return { ...op, id: connection.id as string, sourceId: source.id as string, targetId: target.id as string };
}

/** Links the connection into its owner and its ends; returns the element whose plane shows the edge. */
function attach(
  state: ApplyState,
  connection: ModdleElement,
  source: ModdleElement,
  target: ModdleElement,
  owner: ModdleElement,
  ordinal: number,
): ModdleElement {
  connection.$parent = owner;
  switch (connection.$type) {
    case 'bpmn:SequenceFlow':
      connection.sourceRef = source;
      connection.targetRef = target;
      addTo(owner, 'flowElements', connection);
      addTo(source, 'outgoing', connection);
      addTo(target, 'incoming', connection);
      return owner;
    case 'bpmn:MessageFlow':
      connection.sourceRef = source;
      connection.targetRef = target;
      addTo(owner, 'messageFlows', connection);
      return owner;
    case 'bpmn:Association':
      connection.sourceRef = source;
      connection.targetRef = target;
      addTo(owner, 'artifacts', connection);
      return owner;
    case 'bpmn:DataOutputAssociation':
      connection.targetRef = target;
      addTo(source, 'dataOutputAssociations', connection);
      return source;
    default: {
      // A data input association must name a target inside the activity (XSD); modelers use a placeholder property.
      connection.sourceRef = [source];
      const property = moddle.create('bpmn:Property', {
        id: permanentId(state, 'bpmn:Property', ordinal),
        name: '__targetRef_placeholder',
      });
      property.$parent = target;
      addTo(target, 'properties', property);
      register(state, property);
      connection.targetRef = property;
      addTo(target, 'dataInputAssociations', connection);
      return target;
    }
  }
}
