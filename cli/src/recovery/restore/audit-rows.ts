/**
 * How restore puts a backup's audit entries back (pure; the caller reads the files and writes
 * the rows). `audit_entries` is the outbox of the audit topic, ordered by `seq` (a bigserial
 * shared by all tenants of the stack).
 */

/** An `audit_entries` row as the backup holds it (row_to_json): only the columns restore looks at. */
export interface AuditRowJson extends Record<string, unknown> {
  seq: number | string;
  entry_id: string;
  published_at: string | null;
}

/**
 * A published entry that the backup's topic copy does not hold (the table was copied after the
 * topic, under writes) comes back unpublished, so the command service's relay puts it on the
 * topic again, after the restored records, as it would have. Every other column as it was.
 */
export function restoredAuditRow(
  row: AuditRowJson,
  onTopic: ReadonlySet<string>,
  seqShift: bigint,
): { row: AuditRowJson; republished: boolean } {
  const republished = row.published_at !== null && !onTopic.has(row.entry_id);
  const seq = seqShift === 0n ? row.seq : (BigInt(row.seq) + seqShift).toString();
  return { row: { ...row, seq, ...(republished ? { published_at: null } : {}) }, republished };
}

/**
 * The tenant's entries keep their seq when none of them is taken in the target stack (an empty
 * stack, or the one they came from after the tenant was destroyed); otherwise all of them move
 * past the table's highest seq by the same amount, so their order and gaps are kept.
 */
export function auditSeqShift(backup: { min: bigint; taken: number }, tableMax: bigint): bigint {
  return backup.taken === 0 ? 0n : tableMax + 1n - backup.min;
}
