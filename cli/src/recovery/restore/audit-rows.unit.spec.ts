import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { auditSeqShift, restoredAuditRow, type AuditRowJson } from './audit-rows.js';

const row = (seq: number, entryId: string, publishedAt: string | null): AuditRowJson => ({
  seq,
  entry_id: entryId,
  tenant_id: 'acme',
  at: '2026-12-01T05:30:34.828+00:00',
  action: 'SUBMITTED',
  published_at: publishedAt,
});

describe('restoredAuditRow', () => {
  it('keeps every column of an entry the topic copy holds, and of one never published', () => {
    const published = row(7, 'e7', '2026-12-01T05:30:34.848009+00:00');
    const waiting = row(8, 'e8', null);
    const onTopic = new Set(['e7']);

    expect(restoredAuditRow(published, onTopic, 0n)).toEqual({ row: published, republished: false });
    expect(restoredAuditRow(waiting, onTopic, 0n)).toEqual({ row: waiting, republished: false });
  });

  it('restores an entry published after the topic was copied as unpublished, for the relay', () => {
    const late = row(9, 'e9', '2026-12-01T05:30:35.000001+00:00');

    expect(restoredAuditRow(late, new Set(['e7']), 0n)).toEqual({
      row: { ...late, published_at: null },
      republished: true,
    });
  });

  it('moves the seq by the shift and changes nothing else', () => {
    const r = row(41, 'e41', null);
    expect(restoredAuditRow(r, new Set(), 1000n).row).toEqual({ ...r, seq: '1041' });
  });
});

describe('auditSeqShift', () => {
  it('keeps the seqs when none is taken', () => {
    expect(auditSeqShift({ min: 5n, taken: 0 }, 900n)).toBe(0n);
  });

  it('otherwise moves all of them past the highest seq, in the same order and with the same gaps', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.bigInt({ min: 1n, max: 2n ** 40n }), { minLength: 1 }),
        fc.bigInt({ min: 1n, max: 2n ** 40n }),
        (seqs, tableMax) => {
          const sorted = [...seqs].sort((a, b) => (a < b ? -1 : 1));
          const shift = auditSeqShift({ min: sorted[0]!, taken: 1 }, tableMax);
          const moved = sorted.map((s) => s + shift);
          expect(moved[0]).toBe(tableMax + 1n);
          moved.forEach((m, i) => expect(m - sorted[i]!).toBe(shift));
        },
      ),
    );
  });
});
