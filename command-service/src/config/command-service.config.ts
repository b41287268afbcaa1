import { z } from 'zod';
import { loadStackConfig, type StackConfig } from '@flowledger/config';
import { PROTO_DIR } from '@flowledger/protos';
import type { ModelingSettings } from '../modeling/modeling-settings.js';
import { DEFAULT_PROPOSAL_LIMITS } from '../modeling/proposals/proposal-limits.js';
import type { LintConfig } from '../modeling/validation/lint-config.js';
import { agentReviewPolicySchema, type AgentReviewPolicy } from '../reviews/review-policy.js';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const limits = DEFAULT_PROPOSAL_LIMITS;

/** Settings only the Command Service reads; where the rest of the stack lives comes from the stack config. */
const schema = z.object({
  /** 0.0.0.0 so a container or another host can reach it; Envoy is the only public entrance. */
  FLOWLEDGER_GRPC_BIND_HOST: z.string().min(1).default('0.0.0.0'),
  FLOWLEDGER_PROTO_DIR: z.string().min(1).optional(),
  FLOWLEDGER_COMMAND_METRICS_PORT: positiveInt(9464),
  FLOWLEDGER_MAX_OPERATIONS_PER_PROPOSAL: positiveInt(limits.maxOperationsPerProposal),
  FLOWLEDGER_MAX_XML_BYTES: positiveInt(limits.maxXmlBytes),
  FLOWLEDGER_MAX_STRING_LENGTH: positiveInt(limits.maxStringLength),
  FLOWLEDGER_MAX_WAYPOINTS_PER_CONNECTION: positiveInt(limits.maxWaypointsPerConnection),
  FLOWLEDGER_MAX_ELEMENTS_PER_DIAGRAM: positiveInt(limits.maxElementsPerDiagram),
  FLOWLEDGER_SNAPSHOT_IN_APPLIED_BYTES: positiveInt(256 * 1024),
  FLOWLEDGER_SNAPSHOT_IN_APPLIED_OPERATIONS: positiveInt(50),
  /** Per-tenant bpmnlint rules as JSON: `{"acme": {"rules": {"label-required": "error"}}}`. */
  FLOWLEDGER_LINT_CONFIG: z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as Record<string, LintConfig>;
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not JSON: ${(error as Error).message}` });
        return z.NEVER;
      }
    }),
  /** Per tenant, whether agents' proposals wait for a reviewer: `{"acme": "review"}`; unnamed tenants are `direct`. */
  FLOWLEDGER_AGENT_REVIEW_POLICY: z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not JSON: ${(error as Error).message}` });
        return z.NEVER;
      }
      const policy = agentReviewPolicySchema.safeParse(json);
      if (policy.success) return policy.data as AgentReviewPolicy;
      for (const issue of policy.error.issues) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${issue.path.join('.') || '(root)'}: ${issue.message}` });
      }
      return z.NEVER;
    }),
  /** How often a Subscribe stream re-reads the ledger without a wake-up (a lost notification costs at most this). */
  FLOWLEDGER_SUBSCRIBE_POLL_MS: positiveInt(1_000),
  /** `sidecar` applies operations through the moddle sidecar instead of in-process. */
  FLOWLEDGER_MODDLE_MODE: z.enum(['in-process', 'sidecar']).default('in-process'),
});

export interface CommandServiceConfig {
  grpc: { port: number; bindAddress: string };
  metrics: { port: number };
  /** Root of the buf module `schemas/proto`; proto files are named relative to it. */
  protoDir: string;
  modeling: ModelingSettings;
  lintPerTenant: Record<string, LintConfig>;
  agentReviewPolicy: AgentReviewPolicy;
  subscribePollMs: number;
  topicPartitions: number;
  moddleMode: 'in-process' | 'sidecar';
  stack: StackConfig;
}

/** Reads and validates the Command Service's configuration once, at start; throws naming each bad variable. */
export function loadCommandServiceConfig(env: NodeJS.ProcessEnv = process.env): CommandServiceConfig {
  const stack = loadStackConfig(env);
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid command-service configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    grpc: { port: stack.grpc.port, bindAddress: `${e.FLOWLEDGER_GRPC_BIND_HOST}:${stack.grpc.port}` },
    metrics: { port: e.FLOWLEDGER_COMMAND_METRICS_PORT },
    protoDir: e.FLOWLEDGER_PROTO_DIR ?? PROTO_DIR,
    modeling: {
      limits: {
        maxOperationsPerProposal: e.FLOWLEDGER_MAX_OPERATIONS_PER_PROPOSAL,
        maxXmlBytes: e.FLOWLEDGER_MAX_XML_BYTES,
        maxStringLength: e.FLOWLEDGER_MAX_STRING_LENGTH,
        maxWaypointsPerConnection: e.FLOWLEDGER_MAX_WAYPOINTS_PER_CONNECTION,
        maxElementsPerDiagram: e.FLOWLEDGER_MAX_ELEMENTS_PER_DIAGRAM,
      },
      snapshotInAppliedBytes: e.FLOWLEDGER_SNAPSHOT_IN_APPLIED_BYTES,
      snapshotInAppliedOperations: e.FLOWLEDGER_SNAPSHOT_IN_APPLIED_OPERATIONS,
    },
    lintPerTenant: e.FLOWLEDGER_LINT_CONFIG,
    agentReviewPolicy: e.FLOWLEDGER_AGENT_REVIEW_POLICY,
    subscribePollMs: e.FLOWLEDGER_SUBSCRIBE_POLL_MS,
    topicPartitions: stack.kafka.tenantTopicPartitions,
    moddleMode: e.FLOWLEDGER_MODDLE_MODE,
    stack,
  };
}
