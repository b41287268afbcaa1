/** The small part of bpmn-moddle's (untyped) API this library uses. */
declare module 'bpmn-moddle' {
  export interface PropertyDescriptor {
    name: string;
    type: string;
    isAttr?: boolean;
    isMany?: boolean;
    isReference?: boolean;
    isId?: boolean;
  }

  export interface ElementDescriptor {
    name: string;
    allTypes: { name: string }[];
    properties: PropertyDescriptor[];
    propertiesByName: Record<string, PropertyDescriptor | undefined>;
    isGeneric?: boolean;
  }

  /** A model element: its properties are plain own fields, e.g. `element.name`, `element.flowElements`. */
  export interface ModdleElement {
    readonly $type: string;
    $parent?: ModdleElement;
    $attrs: Record<string, string>;
    readonly $descriptor: ElementDescriptor;
    $instanceOf(type: string): boolean;
    // Properties are defined by the BPMN meta-model at run time, not by TypeScript.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    get(name: string): any;
    set(name: string, value: unknown): void;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    [property: string]: any;
  }

  export interface ParseWarning {
    message: string;
    error?: Error;
  }

  export interface ParseResult {
    rootElement: ModdleElement;
    elementsById: Record<string, ModdleElement>;
    references: unknown[];
    warnings: ParseWarning[];
  }

  export default class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<ParseResult>;
    toXML(element: ModdleElement, options?: { format?: boolean }): Promise<{ xml: string }>;
    create(type: string, attrs?: Record<string, unknown>): ModdleElement;
    /** An element of a namespace the meta-model does not know (serialized as it is). */
    createAny(name: string, nsUri: string, properties?: Record<string, unknown>): ModdleElement;
    getPackages(): Array<{ uri: string; prefix: string }>;
    getTypeDescriptor(type: string): { name: string; isAbstract?: boolean } | undefined;
  }
}
