/**
 * Topic and subject names. Tenant ids become part of a topic name, so they are restricted to
 * the characters Kafka allows there (and the dot stays our separator).
 */
const TENANT_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function diagramEventsTopic(tenantId: string): string {
  if (!TENANT_ID.test(tenantId)) {
    throw new Error(`tenant id "${tenantId}" cannot name a topic: use 1-100 of [A-Za-z0-9_-]`);
  }
  return `flowledger.${tenantId}.diagram-events`;
}

/** The value subject under the registry's default TopicNameStrategy. */
export function diagramEventsSubject(tenantId: string): string {
  return `${diagramEventsTopic(tenantId)}-value`;
}

/** Announcements of stored snapshots (snapshotter), keyed by diagram id. */
export function snapshotsTopic(tenantId: string): string {
  return diagramEventsTopic(tenantId).replace(/\.diagram-events$/, '.snapshots');
}

export function snapshotsSubject(tenantId: string): string {
  return `${snapshotsTopic(tenantId)}-value`;
}

/** The audit log of agents' proposals under review (command service), keyed by diagram id. */
export function auditTopic(tenantId: string): string {
  return diagramEventsTopic(tenantId).replace(/\.diagram-events$/, '.audit');
}

export function auditSubject(tenantId: string): string {
  return `${auditTopic(tenantId)}-value`;
}
