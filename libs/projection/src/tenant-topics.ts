const TENANT_TOPIC = /^flowledger\.([A-Za-z0-9_-]{1,100})\.diagram-events$/;

/** The tenant whose diagram-events topic this is, or undefined for any other topic. */
export function tenantOfTopic(topic: string): string | undefined {
  return TENANT_TOPIC.exec(topic)?.[1];
}

/** The tenant diagram-events topics among `topics`, sorted (optionally only those of `tenants`). */
export function tenantTopics(topics: string[], tenants?: string[]): string[] {
  const wanted = tenants && new Set(tenants);
  return topics
    .filter((t) => {
      const tenant = tenantOfTopic(t);
      return tenant !== undefined && (!wanted || wanted.has(tenant));
    })
    .sort();
}
