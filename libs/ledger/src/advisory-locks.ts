/**
 * Postgres advisory lock classes (the first key of the two-key form) used by the ledger, so
 * they cannot collide with each other or with other components' locks in the same database.
 */
export const MIGRATIONS_LOCK_CLASS = 0x464c0001;
/** Second key: `hashtext(tenant/diagram)`; a hash collision only serializes two unrelated diagrams. */
export const PUBLISH_LOCK_CLASS = 0x464c0002;
