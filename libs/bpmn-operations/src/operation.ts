/**
 * The operations of the contract (DESIGN.md §3, `flowledger.modeling.v1.Operation`) as plain
 * domain values. The gRPC adapter maps the protobuf form (oneof, Struct) to these and back;
 * events carry them as applied ("resolved": permanent ids instead of temporary ones).
 */
export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface CreateShape {
  kind: 'createShape';
  id: string;
  type: string;
  /** Empty: the diagram's root process. */
  parentId: string;
  bounds: Bounds;
  name: string;
}

export interface CreateConnection {
  kind: 'createConnection';
  id: string;
  type: string;
  sourceId: string;
  targetId: string;
  waypoints: Point[];
  name: string;
}

export interface MoveElements {
  kind: 'moveElements';
  elementIds: string[];
  delta: Point;
  /** Empty: keep the current parent. */
  newParentId: string;
}

export interface ResizeShape {
  kind: 'resizeShape';
  elementId: string;
  bounds: Bounds;
}

export interface UpdateWaypoints {
  kind: 'updateWaypoints';
  elementId: string;
  waypoints: Point[];
}

export interface UpdateProperties {
  kind: 'updateProperties';
  elementId: string;
  /** A null value removes the property. */
  properties: Record<string, JsonValue>;
}

export interface DeleteElements {
  kind: 'deleteElements';
  elementIds: string[];
}

export interface ReplaceElement {
  kind: 'replaceElement';
  elementId: string;
  newType: string;
}

export interface ImportXml {
  kind: 'importXml';
  xml: string;
}

export type Operation =
  | CreateShape
  | CreateConnection
  | MoveElements
  | ResizeShape
  | UpdateWaypoints
  | UpdateProperties
  | DeleteElements
  | ReplaceElement
  | ImportXml;

export type OperationKind = Operation['kind'];
