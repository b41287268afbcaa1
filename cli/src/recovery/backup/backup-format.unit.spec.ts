import { describe, expect, it } from 'vitest';
import { BACKUP_FORMAT, readableBackup, REVIEW_FILES } from './backup-format.js';

describe('readableBackup', () => {
  it('reads the current format', () => {
    expect(
      readableBackup({ format: BACKUP_FORMAT, reviews: { reviews: 2, auditEntries: 5, files: REVIEW_FILES } }),
    ).toEqual({ ok: true, notes: [] });
  });

  it('reads format 1 and says its reviews and audit log are not restored', () => {
    const read = readableBackup({ format: 'flowledger-backup/1' });

    expect(read.ok).toBe(true);
    expect(read.ok && read.notes).toEqual([expect.stringMatching(/flowledger-backup\/1 .*no review or audit data/)]);
  });

  it('refuses an unknown format, a missing manifest and a format-2 manifest without its reviews', () => {
    expect(readableBackup({ format: 'flowledger-backup/3' as never })).toEqual({
      ok: false,
      problem: expect.stringMatching(/flowledger-backup\/3 is not one this tool reads/),
    });
    expect(readableBackup({}).ok).toBe(false);
    expect(readableBackup({ format: BACKUP_FORMAT }).ok).toBe(false);
  });
});
