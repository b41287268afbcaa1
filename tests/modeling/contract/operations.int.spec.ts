import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDiagram, semanticSummary, type Operation, type SemanticSummary } from '@flowledger/bpmn-operations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flow, shape, task } from '../../support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../support/test-tenant.js';

// Every kind of operation of the contract, over the wire (protobuf oneof and Struct mapping
// included), each checked in the diagram GetDiagram serves afterwards.
const tenant = uniqueTenant('operations');
const alice = clientFor(tenant, 'alice', ['editor']);
let diagramId: string;
let version = 1;
const ids: Record<string, string> = {};
beforeAll(async () => {
  ({ diagramId } = await alice.createDiagram('Every operation'));
});
afterAll(() => alice.close());

/** Proposes on the current version, expects Applied, returns the summary of the result. */
async function apply(...operations: Operation[]): Promise<SemanticSummary> {
  const response = await alice.propose(diagramId, version, operations);
  if (response.result !== 'applied') throw new Error(`expected Applied, got ${JSON.stringify(response.rejected)}`);
  version = response.applied.version;
  Object.assign(ids, response.applied.idMap);
  return semanticSummary(await parseDiagram((await alice.getDiagram(diagramId)).xml));
}
const element = (s: SemanticSummary, id: string) => s.elements.find((e) => e.id === id);
const bounds = (s: SemanticSummary, id: string) => s.shapes.find((e) => e.elementId === id)?.bounds;
const waypoints = (s: SemanticSummary, id: string) => s.edges.find((e) => e.elementId === id)?.waypoints;

describe('operations over gRPC', () => {
  it('createShape', async () => {
    const s = await apply(shape('start', 'bpmn:StartEvent', 100, 100, 'Go'), task('t', 300, 'Work'));
    expect(element(s, ids['start']!)).toMatchObject({ type: 'bpmn:StartEvent', name: 'Go' });
    expect(bounds(s, ids['t']!)).toEqual({ x: 300, y: 100, width: 100, height: 80 });
  });

  it('createConnection', async () => {
    const s = await apply(flow('f', ids['start']!, ids['t']!));
    expect(s.connections).toContainEqual({
      id: ids['f'],
      type: 'bpmn:SequenceFlow',
      source: ids['start'],
      target: ids['t'],
    });
  });

  it('moveElements', async () => {
    const s = await apply({ kind: 'moveElements', elementIds: [ids['t']!], delta: { x: 20, y: -10 }, newParentId: '' });
    expect(bounds(s, ids['t']!)).toMatchObject({ x: 320, y: 90 });
  });

  it('resizeShape', async () => {
    const s = await apply({
      kind: 'resizeShape',
      elementId: ids['t']!,
      bounds: { x: 320, y: 90, width: 140, height: 90 },
    });
    expect(bounds(s, ids['t']!)).toEqual({ x: 320, y: 90, width: 140, height: 90 });
  });

  it('updateWaypoints', async () => {
    const points = [
      { x: 136, y: 118 },
      { x: 200, y: 118 },
      { x: 200, y: 135 },
      { x: 320, y: 135 },
    ];
    const s = await apply({ kind: 'updateWaypoints', elementId: ids['f']!, waypoints: points });
    expect(waypoints(s, ids['f']!)).toEqual(points);
  });

  it('updateProperties (strings, booleans, numbers and null in a Struct)', async () => {
    await apply({
      kind: 'updateProperties',
      elementId: ids['t']!,
      properties: { name: 'Review', isForCompensation: true, startQuantity: 2, documentation: 'why' },
    });
    const { xml } = await alice.getDiagram(diagramId);
    expect(xml).toMatch(/name="Review"/);
    expect(xml).toMatch(/isForCompensation="true"/);
    expect(xml).toMatch(/startQuantity="2"/);
    expect(xml).toContain('<bpmn:documentation>why</bpmn:documentation>');

    const s = await apply({ kind: 'updateProperties', elementId: ids['t']!, properties: { name: null } });
    expect(element(s, ids['t']!)?.name).toBeNull();
  });

  it('replaceElement', async () => {
    const s = await apply({ kind: 'replaceElement', elementId: ids['t']!, newType: 'bpmn:UserTask' });
    expect(element(s, ids['t']!)?.type).toBe('bpmn:UserTask');
    expect(s.connections.find((c) => c.id === ids['f'])?.target).toBe(ids['t']);
  });

  it('deleteElements (with its connections)', async () => {
    const s = await apply({ kind: 'deleteElements', elementIds: [ids['t']!] });
    expect(element(s, ids['t']!)).toBeUndefined();
    expect(element(s, ids['f']!)).toBeUndefined();
    expect(element(s, ids['start']!)).toBeDefined();
  });

  it('importXml', async () => {
    const source = readFileSync(join(import.meta.dirname, '../../fixtures/miwg-reference/A.1.0.bpmn'), 'utf8');
    const s = await apply({ kind: 'importXml', xml: source });
    expect(s).toEqual(semanticSummary(await parseDiagram(source)));
  });
});
