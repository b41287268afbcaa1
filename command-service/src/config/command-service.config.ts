import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadStackConfig, type StackConfig } from '@flowledger/config';

/** Settings only the Command Service reads; where the rest of the stack lives comes from the stack config. */
const schema = z.object({
  /** 0.0.0.0 so a container or another host can reach it; Envoy is the only public entrance. */
  FLOWLEDGER_GRPC_BIND_HOST: z.string().min(1).default('0.0.0.0'),
  FLOWLEDGER_PROTO_DIR: z.string().min(1).optional(),
});

export interface CommandServiceConfig {
  grpc: { port: number; bindAddress: string };
  /** Root of the buf module `schemas/proto`; proto files are named relative to it. */
  protoDir: string;
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
    protoDir: e.FLOWLEDGER_PROTO_DIR ?? fileURLToPath(new URL('../../../schemas/proto', import.meta.url)),
    stack,
  };
}
