import pino from 'pino';

/**
 * Structured JSON logs. Every line about a proposal carries `tenant_id`, `diagram_id`,
 * `version`, `transaction_id` and `request_id`, so one grep follows an edit end to end.
 */
export const logger = pino({
  base: { service: 'command-service' },
  level: process.env.LOG_LEVEL ?? 'info',
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});

export type Logger = typeof logger;

/** How a Postgres channel listener (change notices, presence) reports that it cannot listen yet; it retries. */
export const warnCannotListen = (error: unknown, channel: string) =>
  logger.warn({ err: error, channel }, 'cannot listen on the Postgres channel yet; retrying');
