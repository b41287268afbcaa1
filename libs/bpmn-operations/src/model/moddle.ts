// bpmn-moddle ships no types; a reference (not an import) lets every consumer's compilation see ours.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../bpmn-moddle.d.ts" />
import BpmnModdle, { type ModdleElement } from 'bpmn-moddle';
import { createRequire } from 'node:module';

/**
 * One moddle per process: it is only a registry of the BPMN meta-model, holds no diagram state,
 * and building it costs more than a small operation does.
 */
export const moddle = new BpmnModdle();
defineReadOnlyAsValues(moddle);

export type { ModdleElement };

const BPMN_TYPE = /^bpmn:[A-Z][A-Za-z]*$/;

/** Whether `type` names a concrete (non-abstract) type of the BPMN package, e.g. `bpmn:Task`. */
export function isConcreteBpmnType(type: string): boolean {
  if (!BPMN_TYPE.test(type)) return false;
  const descriptor = moddle.getTypeDescriptor(type);
  return descriptor !== undefined && descriptor.isAbstract !== true;
}

/** Whether `type` is `superType` or inherits from it, without creating an element. */
export function typeIsA(type: string, superType: string): boolean {
  return probe(type).$instanceOf(superType);
}

/** Literal values of a BPMN enumeration type (e.g. `bpmn:GatewayDirection`), undefined when `type` is none. */
export function enumerationLiterals(type: string): string[] | undefined {
  return enumerations.get(type);
}

const probes = new Map<string, ModdleElement>();

function probe(type: string): ModdleElement {
  let element = probes.get(type);
  if (!element) {
    element = moddle.create(type);
    probes.set(type, element);
  }
  return element;
}

const enumerations = loadEnumerations();

function loadEnumerations(): Map<string, string[]> {
  const require = createRequire(import.meta.url);
  const bpmn = require('bpmn-moddle/resources/bpmn/json/bpmn.json') as {
    enumerations: { name: string; literalValues: { name: string }[] }[];
  };
  return new Map(bpmn.enumerations.map((e) => [`bpmn:${e.name}`, e.literalValues.map((l) => l.name)]));
}

/**
 * moddle makes every element's read-only `$type` and `$attrs` getters, two new closures per
 * element (for bpmn-js's ES6 proxies, which nothing here uses). Elements whose accessors are
 * different functions cannot share a hidden class in V8, so every property access on them is a
 * slow lookup. Plain read-only values behave the same to readers and writers (assigning throws in
 * strict code either way) and make a parse about 30% faster. Must run before the first element
 * type is created: the types' constructors call this `define`.
 */
function defineReadOnlyAsValues(model: BpmnModdle): void {
  const { properties } = model as unknown as { properties: { define: unknown } };
  properties.define = (target: object, name: string, options: PropertyDescriptor) =>
    Object.defineProperty(target, name, options);
}
