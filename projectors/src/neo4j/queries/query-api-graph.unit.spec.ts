import { describe, expect, it } from 'vitest';
import { QueryError } from '../../query/query-error.js';
import { GraphQueryError, type GraphQueries } from './graph-queries.js';
import { queryApiGraph } from './query-api-graph.js';

// A GraphQueries holding fixed answers: the adapter's mapping is what is under test here.
const answers: GraphQueries = {
  findUnreachable: async ({ diagramId }) =>
    diagramId === 'unknown'
      ? { appliedVersion: 0, elements: [] }
      : { appliedVersion: 3, elements: [{ elementId: 'T', type: 'bpmn:Task', name: null }] },
  findPaths: async (_, request) => {
    if (request.limit === 2000) throw new GraphQueryError('INVALID_ARGUMENT', 'limit must be an integer in 1..1000');
    return request.toId === 'Nope'
      ? { appliedVersion: 3, paths: [], truncated: false, missingIds: ['Nope'] }
      : {
          appliedVersion: 3,
          paths: [{ elementIds: ['A', 'B', 'C'], flowIds: ['f1', 'f2'] }],
          truncated: false,
          missingIds: [],
        };
  },
  findDanglingFlows: async () => ({
    appliedVersion: 3,
    flows: [
      { elementId: 'F', type: 'bpmn:SequenceFlow', name: null, sourceId: null, targetId: 'B', missing: 'source' },
    ],
    isolatedNodes: [],
  }),
};
const api = queryApiGraph(answers);

describe('queryApiGraph', () => {
  it('interleaves flow nodes and flows in a path', async () => {
    expect(await api.findPaths('t', 'd', 'A', 'C', 0)).toEqual([['A', 'f1', 'B', 'f2', 'C']]);
  });

  it('maps names and dangling reasons to the API’s strings', async () => {
    expect(await api.findUnreachable('t', 'd')).toEqual([{ elementId: 'T', type: 'bpmn:Task', name: '' }]);
    expect(await api.findDanglingFlows('t', 'd')).toEqual([
      { flowId: 'F', type: 'bpmn:SequenceFlow', sourceId: '', targetId: 'B', reason: 'missing source' },
    ]);
  });

  it('answers NOT_FOUND for a diagram the graph does not have, or a missing end', async () => {
    await expect(api.findUnreachable('t', 'unknown')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.findPaths('t', 'd', 'A', 'Nope', 5)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('turns a bad argument into INVALID_ARGUMENT', async () => {
    const failure = api.findPaths('t', 'd', 'A', 'C', 2000);
    await expect(failure).rejects.toBeInstanceOf(QueryError);
    await expect(failure).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
