import { typeIsA } from './moddle.js';

/** Connection types createConnection accepts; createShape refuses them. */
export const CONNECTION_TYPES = [
  'bpmn:SequenceFlow',
  'bpmn:MessageFlow',
  'bpmn:Association',
  'bpmn:DataInputAssociation',
  'bpmn:DataOutputAssociation',
] as const;

/** Super types of everything createShape accepts. */
const SHAPE_SUPER_TYPES = [
  'bpmn:FlowNode',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
  'bpmn:TextAnnotation',
  'bpmn:Group',
  'bpmn:Lane',
  'bpmn:Participant',
];

export function isConnectionType(type: string): boolean {
  return CONNECTION_TYPES.some((t) => t === type);
}

export function isShapeType(type: string): boolean {
  return SHAPE_SUPER_TYPES.some((t) => typeIsA(type, t));
}
