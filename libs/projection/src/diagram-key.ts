/** One tenant's diagram as a Map key (ids never hold NUL). */
export function diagramKey(tenantId: string, diagramId: string): string {
  return `${tenantId}\u0000${diagramId}`;
}
