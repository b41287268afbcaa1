import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { parseDiagram } from '../diagram.js';
import { moddle } from './moddle.js';

setFlagsFromString('--allow-natives-syntax');
// V8's own check, compiled after the flag is set: do two objects have one hidden class?
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

describe('moddle elements', () => {
  it('of one type share a hidden class (their read-only $type and $attrs are values, not per-element getters)', () => {
    const a = moddle.create('bpmn:Task', { id: 'a', name: 'A' });
    const b = moddle.create('bpmn:Task', { id: 'b', name: 'B' });
    expect(haveSameMap(a, b)).toBe(true);
  });

  it('keep $type and $attrs read-only, $type enumerable and $attrs not', async () => {
    const { elementsById } = await parseDiagram(
      `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:x="urn:x" id="d">
         <bpmn:process id="p"><bpmn:task id="t" x:color="red" /></bpmn:process>
       </bpmn:definitions>`,
    );
    const task = elementsById.get('t')!;
    expect(Object.getOwnPropertyDescriptor(task, '$type')).toEqual({
      value: 'bpmn:Task',
      writable: false,
      enumerable: true,
      configurable: false,
    });
    expect(Object.getOwnPropertyDescriptor(task, '$attrs')).toMatchObject({ writable: false, enumerable: false });
    expect(task.$attrs).toEqual({ 'x:color': 'red' });
    expect(() => {
      (task as { $type: string }).$type = 'bpmn:UserTask';
    }).toThrow(TypeError);
    expect(task.$type).toBe('bpmn:Task');
  });
});
