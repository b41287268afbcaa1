import type { Role } from '@flowledger/oidc';
import type { Caller } from './caller.js';

/** What a caller may do; the finer RBAC/ABAC rules of DESIGN.md §9 extend this table. */
export type Action = 'read' | 'propose' | 'create';

const ALLOWED: Record<Action, readonly Role[]> = {
  read: ['viewer', 'editor', 'reviewer', 'admin', 'agent'],
  propose: ['editor', 'admin', 'agent'],
  create: ['editor', 'admin', 'agent'],
};

export function isAllowed(caller: Caller, action: Action): boolean {
  return caller.roles.some((role) => ALLOWED[action].includes(role));
}
