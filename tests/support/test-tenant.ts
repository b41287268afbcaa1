import { devToken, ModelingClient } from './modeling-client.js';

/** A tenant id of its own per test file: files run against one shared stack, alongside others. */
export function uniqueTenant(label: string): string {
  return `t-${label}-${Math.random().toString(36).slice(2, 8)}`.toLowerCase().slice(0, 63);
}

/** A client through Envoy for `actor` of `tenant` with `roles` (a fresh dev token from the CLI). */
export function clientFor(tenant: string, actor: string, roles: string[], address?: string): ModelingClient {
  return new ModelingClient(devToken(tenant, actor, roles), { address });
}
