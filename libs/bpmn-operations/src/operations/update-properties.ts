import { requireElement, resolveId, type ApplyState } from '../apply-state.js';
import { enumerationLiterals, moddle, type ModdleElement } from '../model/moddle.js';
import type { JsonValue, UpdateProperties } from '../operation.js';
import { invalidOperation } from '../operation-error.js';
import { checkStringLength } from '../operation-limits.js';
import { markChanged } from '../serialization/chunk-cache.js';

const PRIMITIVES: Record<string, (v: JsonValue) => boolean> = {
  String: (v) => typeof v === 'string',
  Boolean: (v) => typeof v === 'boolean',
  Integer: (v) => typeof v === 'number' && Number.isInteger(v),
  Real: (v) => typeof v === 'number' && Number.isFinite(v),
};

/**
 * Sets semantic properties; null removes one. Besides the element's own simple attributes
 * (strings, booleans, numbers, enumerations, e.g. `name`, `isInterrupting`, `cancelActivity`,
 * `gatewayDirection`, `text` of an annotation) it understands `documentation` (text), a sequence
 * flow's `conditionExpression` (its body, as a bpmn:FormalExpression) and `default` (the id of an
 * outgoing sequence flow). Ids, references and lists cannot be set; anything else is unknown.
 */
export function updateProperties(state: ApplyState, op: UpdateProperties): UpdateProperties {
  const element = requireElement(state, op.elementId);
  const resolved: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(op.properties)) {
    if (typeof value === 'string') checkStringLength(name, value, state.limits, element.id as string);
    resolved[name] = setProperty(state, element, name, value);
  }
  markChanged(element);
  state.touched.add(element.id as string);
  return { ...op, elementId: element.id as string, properties: resolved };
}

/** Sets one property; returns the value as applied (a temporary flow id in `default` resolved). */
function setProperty(state: ApplyState, element: ModdleElement, name: string, value: JsonValue): JsonValue {
  switch (name) {
    case 'documentation':
      expect(element, name, value, typeof value === 'string', 'a string');
      element.documentation = value === null ? [] : [child(element, 'bpmn:Documentation', { text: value })];
      return value;
    case 'conditionExpression':
      if (!element.$instanceOf('bpmn:SequenceFlow')) throw unknownProperty(element, name);
      expect(element, name, value, typeof value === 'string', 'a string (the expression body)');
      if (value === null) delete element.conditionExpression;
      else element.conditionExpression = child(element, 'bpmn:FormalExpression', { body: value });
      return value;
    case 'default':
      return setDefaultFlow(state, element, value);
    default:
      setSimpleAttribute(element, name, value);
      return value;
  }
}

function setDefaultFlow(state: ApplyState, element: ModdleElement, value: JsonValue): JsonValue {
  if (!element.$descriptor.propertiesByName['default']) throw unknownProperty(element, 'default');
  expect(element, 'default', value, typeof value === 'string', 'the id of an outgoing sequence flow');
  if (value === null) {
    delete element.default;
    return null;
  }
  const flow = requireElement(state, value as string);
  if (!flow.$instanceOf('bpmn:SequenceFlow') || flow.sourceRef !== element) {
    throw invalidOperation(
      `"${value}" is not an outgoing sequence flow of "${element.id}"`,
      element.id,
      'default-flow',
    );
  }
  element.default = flow;
  return resolveId(state, value as string);
}

function setSimpleAttribute(element: ModdleElement, name: string, value: JsonValue): void {
  const property = element.$descriptor.propertiesByName[name];
  const literals = property ? enumerationLiterals(property.type) : undefined;
  const check = property ? PRIMITIVES[property.type] : undefined;
  const simple = property && !property.isMany && !property.isReference && !property.isId && (check || literals);
  if (!property || !simple) throw unknownProperty(element, name);
  if (literals)
    expect(
      element,
      name,
      value,
      typeof value === 'string' && literals.includes(value),
      `one of ${literals.join(', ')}`,
    );
  else expect(element, name, value, check!(value), `a ${property.type}`);
  if (value === null) delete element[property.name];
  else element[property.name] = value;
}

function child(owner: ModdleElement, type: string, attrs: Record<string, unknown>): ModdleElement {
  const element = moddle.create(type, attrs);
  element.$parent = owner;
  return element;
}

function expect(element: ModdleElement, name: string, value: JsonValue, ok: boolean, wanted: string): void {
  if (value !== null && !ok) {
    throw invalidOperation(
      `${name} of "${element.id}" must be ${wanted} or null, got ${JSON.stringify(value)}`,
      element.id,
      'property-type',
    );
  }
}

function unknownProperty(element: ModdleElement, name: string) {
  return invalidOperation(
    `${element.$type} has no settable property "${name}"`,
    element.id as string,
    'unknown-property',
  );
}
