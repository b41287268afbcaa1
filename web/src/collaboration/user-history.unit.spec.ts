import { describe, expect, it } from 'vitest';
import type { Operation } from '../modeler/operations.js';
import { UserHistory } from './user-history.js';

const create = (id: string): Operation => ({
  op: {
    case: 'createShape',
    value: { id, type: 'bpmn:Task', parentId: '', name: '', bounds: { x: 0, y: 0, width: 100, height: 80 } },
  },
});
const remove = (...ids: string[]): Operation => ({ op: { case: 'deleteElements', value: { elementIds: ids } } });
const rename = (id: string, name: string): Operation => ({
  op: { case: 'updateProperties', value: { elementId: id, properties: { name } } },
});

describe('UserHistory: undo/redo as proposals', () => {
  it('a recorded gesture is undone by its inverse, in permanent ids', () => {
    const history = new UserHistory();
    history.recorded({ forward: [create('tmp')], inverse: [remove('tmp')] }, { tmp: 'Task_2_1' });
    expect(history.nextUndo()!.inverse).toEqual([remove('Task_2_1')]);
    expect(history.nextRedo()).toBeUndefined();
  });

  it('redo re-creates under the old id as a temporary one, and later entries follow the new permanent id', () => {
    // given: create (v2), then rename it (v3)
    const history = new UserHistory();
    history.recorded({ forward: [create('tmp')], inverse: [remove('tmp')] }, { tmp: 'Task_2_1' });
    history.recorded({ forward: [rename('Task_2_1', 'B')], inverse: [rename('Task_2_1', '')] }, {});
    // when: undo both, redo the create (the server names it Task_6_1)
    history.undone({});
    history.undone({});
    expect(history.nextRedo()!.forward).toEqual([create('Task_2_1')]);
    history.redone({ Task_2_1: 'Task_6_1' });
    // then: the rename's redo names the re-created task
    expect(history.nextRedo()!.forward).toEqual([rename('Task_6_1', 'B')]);
    expect(history.nextUndo()!.inverse).toEqual([remove('Task_6_1')]);
  });

  it('a new gesture clears redo; a refused undo is forgotten', () => {
    const history = new UserHistory();
    history.recorded({ forward: [create('a')], inverse: [remove('a')] }, { a: 'A' });
    history.undone({});
    history.recorded({ forward: [create('b')], inverse: [remove('b')] }, { b: 'B' });
    expect(history.nextRedo()).toBeUndefined();
    history.dropUndo();
    expect(history.nextUndo()).toBeUndefined();
  });
});
