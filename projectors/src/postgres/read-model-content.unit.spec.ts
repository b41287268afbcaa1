import { describe, expect, it } from 'vitest';
import { diffPostgresContent, type PostgresContent } from './read-model-content.js';

const content = (): PostgresContent => ({
  diagram: { name: 'd', applied_version: 2, result_hash: 'h2', element_count: 2, flow_count: 0 },
  elements: new Map([
    ['Task_2_1', { element_type: 'bpmn:Task', name: 'Check', parent_id: 'Process_1' }],
    ['Process_1', { element_type: 'bpmn:Process', name: null, parent_id: 'Definitions_1' }],
  ]),
  flows: new Map(),
  versions: new Map([
    ['1', { event_type: 'DIAGRAM_CREATED', result_hash: 'h1' }],
    ['2', { event_type: 'CHANGES_APPLIED', result_hash: 'h2' }],
  ]),
  activity: new Map([['alice@2026-12-01', 2]]),
});

describe('diffPostgresContent', () => {
  it('finds nothing in rows equal to the replay', () => {
    expect(diffPostgresContent(content(), content())).toEqual([]);
  });

  it('names the row and the column of each difference', () => {
    const stored = content();
    stored.elements.get('Task_2_1')!.name = 'tampered';
    stored.elements.set('Task_9_9', { element_type: 'bpmn:Task', name: null, parent_id: 'Process_1' });
    stored.versions.delete('1');
    stored.activity.set('alice@2026-12-01', 3);
    stored.diagram!.element_count = 999;

    expect(diffPostgresContent(content(), stored)).toEqual([
      'diagrams row: element_count is 999, the replay gives 2',
      'element Task_2_1: name is "tampered", the replay gives "Check"',
      'element Task_9_9: stored, but not in the replay',
      'version 1: missing',
      'actor activity alice@2026-12-01: edits is 3, the replay gives 2',
    ]);
    expect(diffPostgresContent(content(), { ...stored, diagram: undefined })[0]).toBe(
      'diagrams: no row for the diagram',
    );
  });
});
