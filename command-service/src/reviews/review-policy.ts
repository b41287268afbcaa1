import { z } from 'zod';
import type { Caller } from '@flowledger/auth';

/** Per tenant: an agent's proposals apply at once (`direct`, the default) or wait for a reviewer. */
export type ReviewMode = 'direct' | 'review';
export type AgentReviewPolicy = Readonly<Record<string, ReviewMode>>;

/** `FLOWLEDGER_AGENT_REVIEW_POLICY`, parsed: `{"<tenant>": "review" | "direct"}`. */
export const agentReviewPolicySchema = z.record(z.string().min(1), z.enum(['direct', 'review']));

/** Whether this caller's proposals wait for a reviewer: only agents, only under a `review` tenant. */
export function needsReview(caller: Pick<Caller, 'kind' | 'tenantId'>, policy: AgentReviewPolicy): boolean {
  return caller.kind === 'agent' && (policy[caller.tenantId] ?? 'direct') === 'review';
}

/** Who may list, approve and reject a tenant's waiting proposals, and read its audit log. */
export function mayReview(caller: Pick<Caller, 'roles'>): boolean {
  return caller.roles.some((role) => role === 'reviewer' || role === 'admin');
}
