import { describe, expect, it } from 'vitest';
import { graphLabels } from '../store/graph-labels.js';
import {
  appliedVersionQuery,
  danglingFlowsQuery,
  existingIdsQuery,
  isolatedNodesQuery,
  pathsQuery,
  unreachableQuery,
} from './graph-query-cypher.js';
import { GraphQueryError } from './graph-queries.js';

const labels = graphLabels(1);
const scope = { tenantId: 'acme', diagramId: 'd1' };
const all = [
  appliedVersionQuery(labels, scope),
  unreachableQuery(labels, scope),
  pathsQuery(labels, scope, { fromId: 'a', toId: 'b', mode: 'shortest' }),
  pathsQuery(labels, scope, { fromId: 'a', toId: 'b', mode: 'all', viaMessageFlows: true }),
  existingIdsQuery(labels, scope, ['a']),
  danglingFlowsQuery(labels, scope),
  isolatedNodesQuery(labels, scope),
];

describe('graph query builders', () => {
  it('scope every node pattern of the projection by tenant and diagram', () => {
    for (const { text, params } of all) {
      const patterns = text.match(/\(\w+:(Bpmn_v1|BpmnDiagram_v1)[^)]*\)/g) ?? [];
      expect(patterns.length).toBeGreaterThan(0);
      for (const p of patterns) expect(p).toContain('{tenant_id: $tenantId, diagram_id: $diagramId');
      expect(params).toMatchObject({ tenantId: 'acme', diagramId: 'd1' });
    }
  });

  it('cannot build a query without a tenant or a diagram', () => {
    expect(() => unreachableQuery(labels, { tenantId: '', diagramId: 'd1' })).toThrow(GraphQueryError);
    expect(() => danglingFlowsQuery(labels, { tenantId: 'acme', diagramId: '' })).toThrow(GraphQueryError);
    expect(() => pathsQuery(labels, { diagramId: 'd1' } as never, { fromId: 'a', toId: 'b', mode: 'all' })).toThrow(
      /needs a tenant/,
    );
  });

  it('check every node on a path, and bound its length', () => {
    const { text } = pathsQuery(labels, scope, { fromId: 'a', toId: 'b', mode: 'all', maxLength: 7 });

    expect(text).toContain('all(x IN nodes(p) WHERE x.tenant_id = $tenantId AND x.diagram_id = $diagramId)');
    expect(text).toContain('[:SEQUENCE_FLOW*1..7]');
    expect(() => pathsQuery(labels, scope, { fromId: 'a', toId: 'b', mode: 'all', maxLength: 201 })).toThrow(
      GraphQueryError,
    );
    expect(() => pathsQuery(labels, scope, { fromId: 'a', toId: 'b', mode: 'all', limit: 1.5 })).toThrow(
      GraphQueryError,
    );
  });

  it('read the labels of the version they serve', () => {
    expect(unreachableQuery(graphLabels(2), scope).text).toContain(':Bpmn_v2');
    expect(unreachableQuery(graphLabels(2), scope).text).not.toContain(':Bpmn_v1');
  });
});
