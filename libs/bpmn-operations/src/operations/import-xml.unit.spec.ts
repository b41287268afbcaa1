import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apply, givenDiagram, reread, rejectionOf } from './diagram-fixtures.js';

describe('importXml', () => {
  it('replaces the whole diagram, whose ids later operations can use', async () => {
    // given
    const diagram = await givenDiagram('process');
    const xml = readFileSync(new URL('./collaboration.bpmn', import.meta.url), 'utf8');

    // when
    const change = await apply(diagram, [
      { kind: 'importXml', xml },
      { kind: 'updateProperties', elementId: 'Task_B', properties: { name: 'Ship fast' } },
    ]);

    // then
    expect(diagram.elementsById.has('Task_1')).toBe(false);
    expect(diagram.elementsById.get('Task_B')!.name).toBe('Ship fast');
    expect(change.touchedElementIds).toContain('Participant_A');
    await reread(diagram);
  });

  it('refuses XML that is not BPMN as INVALID_OPERATION with the position', async () => {
    const error = await rejectionOf(await givenDiagram('process'), [
      {
        kind: 'importXml',
        xml: '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">\n<bpmn:process id="P"><bpmn:tusk id="x" /></bpmn:process></bpmn:definitions>',
      },
    ]);
    expect(error.code).toBe('INVALID_OPERATION');
    expect(error.violations[0]).toMatchObject({ line: 2, rule: 'bpmn-parse' });
  });
});
