import { z } from 'zod';
import { loadStackConfig } from '@flowledger/config';

const port = (fallback: number) => z.coerce.number().int().positive().max(65_535).default(fallback);

/** Settings only the sidecar reads; its gRPC address comes from the stack config. */
const schema = z.object({
  FLOWLEDGER_MODDLE_METRICS_PORT: port(9468),
  /** 0.0.0.0 so a Prometheus on another host can scrape it, as for the other services. */
  FLOWLEDGER_MODDLE_METRICS_BIND_HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type LogLevel = z.infer<typeof schema>['LOG_LEVEL'];

export interface ModdleSidecarConfig {
  grpc: { bindAddress: string };
  metrics: { port: number; bindHost: string };
  logLevel: LogLevel;
}

/** Reads and validates the sidecar's configuration once, at start; throws naming each bad variable. */
export function loadModdleSidecarConfig(env: NodeJS.ProcessEnv = process.env): ModdleSidecarConfig {
  const stack = loadStackConfig(env);
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid moddle-sidecar configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    grpc: { bindAddress: `${stack.host}:${stack.moddle.port}` },
    metrics: { port: e.FLOWLEDGER_MODDLE_METRICS_PORT, bindHost: e.FLOWLEDGER_MODDLE_METRICS_BIND_HOST },
    logLevel: e.LOG_LEVEL,
  };
}
