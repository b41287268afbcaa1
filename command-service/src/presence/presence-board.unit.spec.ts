import { describe, expect, it } from 'vitest';
import { PresenceBoard, type PresenceUpdate } from './presence-board.js';

const EXPIRES_AFTER = 6_000;
const beat = (actorId: string, at: number, selected: string[] = [], extra: Partial<PresenceUpdate> = {}) => ({
  tenantId: 'acme',
  diagramId: 'd1',
  actorId,
  selectedElementIds: selected,
  leaving: false,
  at,
  ...extra,
});

describe('PresenceBoard', () => {
  it('a first heartbeat joins; a new selection is a change, a repeated one is not', () => {
    const board = new PresenceBoard(EXPIRES_AFTER);

    expect(board.apply(beat('ann', 1_000))).toBe(true);
    expect(board.apply(beat('ann', 3_000))).toBe(false);
    expect(board.apply(beat('ann', 4_000, ['Task_1', 'Flow_1']))).toBe(true);
    expect(board.apply(beat('ann', 5_000, ['Flow_1', 'Task_1']))).toBe(false);

    expect(board.participants('acme', 'd1')).toEqual([
      { actorId: 'ann', selectedElementIds: ['Flow_1', 'Task_1'], lastSeen: 5_000 },
    ]);
  });

  it('keeps diagrams and tenants apart and orders participants by actor', () => {
    const board = new PresenceBoard(EXPIRES_AFTER);
    board.apply(beat('ben', 1_000));
    board.apply(beat('ann', 1_000));
    board.apply(beat('cid', 1_000, [], { diagramId: 'd2' }));
    board.apply(beat('dan', 1_000, [], { tenantId: 'other' }));

    expect(board.participants('acme', 'd1').map((p) => p.actorId)).toEqual(['ann', 'ben']);
    expect(board.participants('acme', 'd2').map((p) => p.actorId)).toEqual(['cid']);
    expect(board.participants('other', 'd1').map((p) => p.actorId)).toEqual(['dan']);
  });

  it('leaving removes at once; leaving unknown is no change', () => {
    const board = new PresenceBoard(EXPIRES_AFTER);
    board.apply(beat('ann', 1_000));

    expect(board.apply(beat('ann', 2_000, [], { leaving: true }))).toBe(true);
    expect(board.participants('acme', 'd1')).toEqual([]);
    expect(board.apply(beat('ann', 2_500, [], { leaving: true }))).toBe(false);
  });

  it('an older heartbeat arriving late changes nothing, not even a goodbye', () => {
    const board = new PresenceBoard(EXPIRES_AFTER);
    board.apply(beat('ann', 5_000, ['Task_1']));

    expect(board.apply(beat('ann', 4_000, ['Task_2']))).toBe(false);
    expect(board.apply(beat('ann', 4_500, [], { leaving: true }))).toBe(false);
    expect(board.participants('acme', 'd1')[0]!.selectedElementIds).toEqual(['Task_1']);
  });

  it('expires whoever missed heartbeats for longer than the expiry, and says which diagrams changed', () => {
    const board = new PresenceBoard(EXPIRES_AFTER);
    board.apply(beat('ann', 1_000));
    board.apply(beat('ben', 4_000));
    board.apply(beat('cid', 1_000, [], { diagramId: 'd2' }));

    expect(board.expire(7_000)).toEqual([]);
    expect(board.expire(7_001)).toEqual([
      { tenantId: 'acme', diagramId: 'd1' },
      { tenantId: 'acme', diagramId: 'd2' },
    ]);
    expect(board.participants('acme', 'd1').map((p) => p.actorId)).toEqual(['ben']);
    expect(board.participants('acme', 'd2')).toEqual([]);
  });
});
