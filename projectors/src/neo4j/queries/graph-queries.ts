/**
 * The graph questions of the Query API (`FindUnreachable`, `FindPaths`, `FindDanglingFlows`),
 * always about one diagram of one tenant. The query server calls an implementation of this
 * (`createNeo4jGraphQueries`); the tenant comes from the caller's verified token, never from
 * the request body.
 */
export interface GraphQueries {
  findUnreachable(scope: GraphScope): Promise<UnreachableAnswer>;
  findPaths(scope: GraphScope, request: PathRequest): Promise<PathsAnswer>;
  findDanglingFlows(scope: GraphScope): Promise<DanglingFlowsAnswer>;
}

export interface GraphScope {
  tenantId: string;
  diagramId: string;
}

export interface GraphElement {
  elementId: string;
  /** e.g. `bpmn:UserTask`. */
  type: string;
  name: string | null;
}

/** Every answer says which diagram version the graph had applied (0: the diagram is not projected). */
interface Answer {
  appliedVersion: number;
}

/**
 * Flow nodes no sequence-flow path reaches from an entry point: a start event, a boundary
 * event, an event sub-process, a compensation handler, content of an ad-hoc sub-process, or —
 * in a process or sub-process without start events — a node without incoming flow.
 */
export interface UnreachableAnswer extends Answer {
  elements: GraphElement[];
}

export type PathMode = 'shortest' | 'all';

export interface PathRequest {
  fromId: string;
  toId: string;
  /** `shortest`: one shortest path; `all`: every simple path (no node twice) up to `maxLength`. */
  mode: PathMode;
  /** Flows per path, 1..MAX_PATH_LENGTH; default DEFAULT_PATH_LENGTH. */
  maxLength?: number;
  /** At most this many paths (mode `all`), 1..MAX_PATHS; default DEFAULT_PATHS. */
  limit?: number;
  /** Follow message flows too (default: sequence flows only). */
  viaMessageFlows?: boolean;
}

export interface GraphPath {
  /** From `fromId` to `toId`, inclusive. */
  elementIds: string[];
  /** The flows between them, in order. */
  flowIds: string[];
}

export interface PathsAnswer extends Answer {
  /** Shortest first, then by element ids. */
  paths: GraphPath[];
  /** More paths exist than `limit`. */
  truncated: boolean;
  /** Requested ends that are not graph nodes of the diagram. */
  missingIds: string[];
}

/**
 * Dangling flows: a sequence or message flow whose source or target is missing or is not a
 * flow node / pool (`flows`), and flow nodes with no sequence flow in or out at all
 * (`isolatedNodes`; event sub-processes, compensation handlers and ad-hoc content are exempt).
 */
export interface DanglingFlowsAnswer extends Answer {
  flows: DanglingFlow[];
  isolatedNodes: GraphElement[];
}

export interface DanglingFlow {
  elementId: string;
  type: string;
  name: string | null;
  /** The ids the flow names, null when it names none that resolves. */
  sourceId: string | null;
  targetId: string | null;
  missing: 'source' | 'target' | 'both';
}

export const DEFAULT_PATH_LENGTH = 50;
export const MAX_PATH_LENGTH = 200;
export const DEFAULT_PATHS = 20;
export const MAX_PATHS = 1000;

/** A request the graph cannot answer; the query server maps `code` to a gRPC status. */
export class GraphQueryError extends Error {
  readonly retriable = false;
  constructor(
    readonly code: 'INVALID_ARGUMENT',
    message: string,
  ) {
    super(message);
    this.name = 'GraphQueryError';
  }
}
