import { describe, expect, it } from 'vitest';
import type { DiagramEvent } from '@flowledger/events';
import type { ProjectedChange } from '@flowledger/projection';
import { copyText } from './staged-history.js';

function change(overrides: Partial<DiagramEvent>): ProjectedChange {
  const event = {
    eventSchemaVersion: 1,
    eventType: 'CHANGES_APPLIED',
    tenantId: 'acme',
    diagramId: 'd-1',
    diagramName: null,
    version: 7,
    baseVersion: 6,
    transactionId: 'tx-7',
    actorId: 'alice',
    actorKind: 'USER',
    runId: null,
    requestId: null,
    occurredAt: new Date(Date.UTC(2026, 11, 3, 22, 10, 0, 5)),
    operations: [
      { kind: 'deleteElements', elementIds: ['a'] },
      { kind: 'deleteElements', elementIds: ['b'] },
    ],
    idMap: {},
    resultHash: 'h7',
    ...overrides,
  } as DiagramEvent;
  return { event, diagram: undefined as never };
}

describe("a rebuild's history rows in COPY's text format", () => {
  it('writes a line per event, its columns in the staging table order, null as \\N', () => {
    const text = copyText([change({}), change({ version: 8, runId: 'run-1', actorKind: 'AGENT', operations: [] })]);

    expect(text).toBe(
      'acme\td-1\t7\tCHANGES_APPLIED\ttx-7\talice\tUSER\t\\N\t2026-12-03T22:10:00.005Z\t2\th7\n' +
        'acme\td-1\t8\tCHANGES_APPLIED\ttx-7\talice\tAGENT\trun-1\t2026-12-03T22:10:00.005Z\t0\th7\n',
    );
  });

  it('escapes backslashes, tabs and line breaks inside a value', () => {
    const [line] = copyText([change({ actorId: 'a\\b\tc\nd\re' })]).split('\n');

    expect(line!.split('\t')[5]).toBe('a\\\\b\\tc\\nd\\re');
    expect(line!.split('\t')).toHaveLength(11);
  });

  it('is empty for no changes', () => {
    expect(copyText([])).toBe('');
  });
});
