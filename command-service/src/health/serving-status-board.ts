/** The standard `grpc.health.v1` statuses this service reports. */
export type ServingStatus = 'SERVING' | 'NOT_SERVING';

/**
 * Which services this process serves and whether each is up. The empty name stands for the
 * server as a whole, as the gRPC health protocol specifies.
 */
export class ServingStatusBoard {
  private readonly statuses = new Map<string, ServingStatus>();

  constructor(initial: Record<string, ServingStatus>) {
    for (const [service, status] of Object.entries(initial)) this.statuses.set(service, status);
  }

  set(service: string, status: ServingStatus): void {
    this.statuses.set(service, status);
  }

  /** undefined for a service this process does not know. */
  statusOf(service: string): ServingStatus | undefined {
    return this.statuses.get(service);
  }
}
