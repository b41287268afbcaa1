import { describe, expect, it } from 'vitest';
import { graphLabels } from './graph-labels.js';
import { dropSchemaStatements, schemaStatements } from './graph-schema.js';

describe('graph labels of projection versions and their generations', () => {
  it('keep the plain names for generation 1 and name later generations apart', () => {
    expect(graphLabels(1)).toEqual({
      projectionVersion: 1,
      generation: 1,
      element: 'Bpmn_v1',
      diagram: 'BpmnDiagram_v1',
      key: 'bpmn_v1',
    });
    expect(graphLabels(1, 3)).toMatchObject({ element: 'Bpmn_v1_g3', diagram: 'BpmnDiagram_v1_g3', key: 'bpmn_v1_g3' });
    expect(() => graphLabels(1, 0)).toThrow(/generation/);
  });

  it('give each generation constraints of its own, which dropping removes again', () => {
    const created = schemaStatements(graphLabels(4, 2)).join('\n');
    expect(created).toContain('CREATE CONSTRAINT bpmn_v4_g2_element_key IF NOT EXISTS');
    expect(created).toContain('CREATE CONSTRAINT bpmn_diagram_v4_g2_key IF NOT EXISTS');
    expect(created).toContain('FOR (n:Bpmn_v4_g2)');
    // Generation 1 keeps the names the constraints always had.
    expect(schemaStatements(graphLabels(4)).join('\n')).toContain(
      'CREATE CONSTRAINT bpmn_diagram_v4_key IF NOT EXISTS',
    );
    const dropped = dropSchemaStatements(graphLabels(4, 2));
    for (const name of [
      'bpmn_v4_g2_element_key',
      'bpmn_diagram_v4_g2_key',
      'bpmn_v4_g2_tenant',
      'bpmn_v4_g2_diagram',
    ]) {
      expect(dropped.join('\n')).toContain(name);
    }
  });
});
