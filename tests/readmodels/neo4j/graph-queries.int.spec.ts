import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticDiagram } from '../../../projectors/src/neo4j/bench/synthetic-changes.js';
import { uniqueTenant } from '../../support/test-tenant.js';
import { openNeo4jTestBed, type Neo4jTestBed } from './support/neo4j-read-model.js';

// Given small hand-made diagrams projected into Neo4j, the graph questions have known answers.
const tenant = uniqueTenant('neo4j-queries');
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
let bed: Neo4jTestBed;
const scope = (diagramId: string) => ({ tenantId: tenant, diagramId });

beforeAll(async () => {
  bed = await openNeo4jTestBed();
  for (const name of ['process', 'collaboration', 'loops']) {
    const [, created] = await SyntheticDiagram.create(tenant, name, fixture(`${name}.bpmn`));
    await bed.sink.apply(created);
  }
});
afterAll(async () => {
  await bed.sink.reset(tenant);
  await bed.close();
});

describe('FindUnreachable', () => {
  it('finds the task no sequence flow leads to; boundary-event and sub-process paths count as reached', async () => {
    const answer = await bed.queries.findUnreachable(scope('process'));

    expect(answer).toEqual({
      appliedVersion: 1,
      elements: [{ elementId: 'Orphan', type: 'bpmn:Task', name: 'Never reached' }],
    });
  });

  it('finds nothing in a loop reached from its start event', async () => {
    expect((await bed.queries.findUnreachable(scope('loops'))).elements).toEqual([]);
  });

  it('answers with version 0 and nothing for a diagram that is not projected', async () => {
    expect(await bed.queries.findUnreachable(scope('no-such-diagram'))).toEqual({ appliedVersion: 0, elements: [] });
  });
});

describe('FindPaths', () => {
  it('gives the shortest path with its flows', async () => {
    const answer = await bed.queries.findPaths(scope('process'), { fromId: 'Start', toId: 'End', mode: 'shortest' });

    expect(answer).toEqual({
      appliedVersion: 1,
      paths: [
        { elementIds: ['Start', 'Check', 'Ok', 'Ship', 'Sub', 'End'], flowIds: ['F1', 'F2', 'ToShip', 'F4', 'F5'] },
      ],
      truncated: false,
      missingIds: [],
    });
  });

  it('gives every simple path through a loop, never visiting a node twice', async () => {
    const answer = await bed.queries.findPaths(scope('loops'), { fromId: 'A', toId: 'E', mode: 'all' });

    expect(answer.paths).toEqual([
      { elementIds: ['A', 'X', 'B', 'J', 'E'], flowIds: ['f2', 'f3', 'f5', 'f7'] },
      { elementIds: ['A', 'X', 'C', 'J', 'E'], flowIds: ['f2', 'f4', 'f6', 'f7'] },
    ]);
    expect(answer.truncated).toBe(false);
  });

  it('says when there are more paths than asked for, and honours the length bound', async () => {
    const limited = await bed.queries.findPaths(scope('loops'), { fromId: 'A', toId: 'E', mode: 'all', limit: 1 });
    const short = await bed.queries.findPaths(scope('loops'), { fromId: 'A', toId: 'E', mode: 'all', maxLength: 3 });

    expect(limited.paths).toHaveLength(1);
    expect(limited.truncated).toBe(true);
    expect(short.paths).toEqual([]);
  });

  it('follows message flows only when asked to', async () => {
    const request = { fromId: 'CStart', toId: 'Shop', mode: 'shortest' as const };

    expect((await bed.queries.findPaths(scope('collaboration'), request)).paths).toEqual([]);
    expect((await bed.queries.findPaths(scope('collaboration'), { ...request, viaMessageFlows: true })).paths).toEqual([
      { elementIds: ['CStart', 'Send', 'Shop'], flowIds: ['CF', 'Order'] },
    ]);
  });

  it('names the ends that are not in the diagram', async () => {
    const answer = await bed.queries.findPaths(scope('process'), { fromId: 'Start', toId: 'Nope', mode: 'all' });

    expect(answer).toMatchObject({ paths: [], missingIds: ['Nope'] });
  });
});

describe('FindDanglingFlows', () => {
  it('finds the flow without a target and the node without any flow', async () => {
    expect(await bed.queries.findDanglingFlows(scope('process'))).toEqual({
      appliedVersion: 1,
      flows: [
        {
          elementId: 'Broken',
          type: 'bpmn:SequenceFlow',
          name: null,
          sourceId: 'Ship',
          targetId: null,
          missing: 'target',
        },
      ],
      isolatedNodes: [{ elementId: 'Orphan', type: 'bpmn:Task', name: 'Never reached' }],
    });
  });

  it('finds nothing in a well-connected collaboration', async () => {
    expect(await bed.queries.findDanglingFlows(scope('collaboration'))).toEqual({
      appliedVersion: 1,
      flows: [],
      isolatedNodes: [],
    });
  });
});
